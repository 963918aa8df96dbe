import nock from "nock";

import { createTask, deleteTask, listTasks, showTask, updateTask } from "../../src/api/tasks.js";
import { expectAzError, runOperation } from "./run-operation.js";

// The shaping of wire JSON into az's dicts belongs to the output layer; here it only has to
// be asked for the right thing, so it hands back what it was given.
jest.mock("../../src/api/shape.js", () => ({
  azShape: (schema: string, wire: unknown) => ({ schema, wire }),
}));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const task = { registry: "myreg", name: "newtask" };

describe("task create (az's body, validation order and messages)", () => {
  test("Docker step, triggers, identity, platform, auth mode (capture 25)", async () => {
    const outcome = await runOperation("25-task-create-body", createTask, {
      ...task,
      contextPath: "https://github.com/foo/bar.git#mybranch:sub",
      file: "Dockerfile",
      image: ["img:{{.Run.ID}}"],
      gitAccessToken: "TOKEN123",
      arg: ["A=1", "B"],
      secretArg: ["S=2"],
      schedule: ["0 * * * *", "nightly:0 0 * * *"],
      assignIdentity: [
        "[system]",
        "/subscriptions/x/rg/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
      ],
      platform: "Linux/ARM64/v8",
      authMode: "None",
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({ schema: "Task", wire: outcome.capture.answers[2].body });
  });

  test("the system task goes through the poller: its first response is the result", async () => {
    const outcome = await runOperation("create-system-task", createTask, {
      registry: "myreg",
      name: "quicktask",
      isSystemTask: true,
      timeout: 900,
      logTemplate: "t",
    });

    expect(outcome.result).toEqual({
      schema: "TaskFromInitialResponse",
      wire: outcome.capture.answers[2].body,
    });
  });

  test.each([
    ["create-no-context", { file: "Dockerfile" }],
    ["create-no-token", { contextPath: "https://github.com/a/b.git", file: "Dockerfile" }],
    ["create-cmd-and-file", { contextPath: "/dev/null", cmd: "x", file: "y" }],
    [
      "create-missing-file",
      { contextPath: "https://github.com/a/b.git", commitTriggerEnabled: false },
    ],
    ["create-no-acb-yaml", { contextPath: "/dev/null" }],
    ["create-bad-os", { contextPath: "/dev/null", cmd: "x", platform: "mac/arm" }],
    ["create-bad-arch", { contextPath: "/dev/null", cmd: "x", platform: "linux/sparc" }],
    ["create-bad-variant", { contextPath: "/dev/null", cmd: "x", platform: "linux/arm64/V8" }],
    ["create-timeout-low", { contextPath: "/dev/null", cmd: "x", timeout: 299 }],
    ["create-timeout-high", { contextPath: "/dev/null", cmd: "x", timeout: 28801 }],
  ])("%s: az's error, after the registry lookup", async (name, options) => {
    const outcome = await runOperation(name, createTask, { ...task, ...options });

    expectAzError(outcome);
  });
});

describe("task show and list", () => {
  test("show reads the task with GET", async () => {
    const outcome = await runOperation("show", showTask, { registry: "myreg", name: "mytask" });

    expect(outcome.result).toEqual({ schema: "Task", wire: outcome.capture.answers[2].body });
  });

  test("--with-secure-properties reads it with listDetails", async () => {
    const outcome = await runOperation("show-secure", showTask, {
      registry: "myreg",
      name: "mytask",
      withSecureProperties: true,
    });

    expect(outcome.result).toEqual({ schema: "Task", wire: outcome.capture.answers[2].body });
  });

  test("a missing task is ARM's 404, exit 3 (capture 21)", async () => {
    const outcome = await runOperation("21-task-show-404-details", showTask, {
      registry: "myreg",
      name: "nope",
    });

    expectAzError(outcome);
  });

  test("list returns every task of every page (capture registry-paged)", async () => {
    const outcome = await runOperation("registry-paged", listTasks, { registry: "myreg" });

    const pages = outcome.capture.answers
      .slice(3)
      .map((answer) => answer.body as { value: unknown[] });
    expect(outcome.result).toEqual(
      pages.flatMap((page) => page.value).map((wire) => ({ schema: "Task", wire })),
    );
  });

  test("list with -g skips the resource listing (capture list-empty)", async () => {
    const outcome = await runOperation("list-empty", listTasks, {
      registry: "myreg",
      resourceGroup: "MyRG",
    });

    expect(outcome.result).toEqual([]);
  });

  test("list through a login-server name (capture registry-suffix)", async () => {
    const outcome = await runOperation("registry-suffix", listTasks, {
      registry: "myreg.azurecr.io",
    });

    expect(outcome.result).toHaveLength(2);
  });
});

describe("task delete", () => {
  test.each(["delete", "delete-204"])("%s: one DELETE, no result", async (name) => {
    const outcome = await runOperation(name, deleteTask, {
      registry: "myreg",
      name: "mytask",
      yes: true,
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toBeUndefined();
  });

  test("a 404 on the DELETE itself is an error, exit 3", async () => {
    const outcome = await runOperation("delete-404", deleteTask, {
      registry: "myreg",
      name: "mytask",
      yes: true,
    });

    expectAzError(outcome);
  });

  test("a 404 while polling the deletion means it is gone", async () => {
    const outcome = await runOperation("lro-delete-location", deleteTask, {
      registry: "myreg",
      name: "mytask",
      yes: true,
    });

    expect(outcome.error).toBeUndefined();
  });

  test("without --yes and without a way to ask, it fails after the lookup as az does", async () => {
    const outcome = await runOperation("delete-no-tty", deleteTask, {
      registry: "myreg",
      name: "mytask",
    });

    expectAzError(outcome);
  });

  test("a 'no' cancels before any DELETE", async () => {
    const outcome = await runOperation(
      "delete",
      deleteTask,
      { registry: "myreg", name: "mytask", confirm: () => false },
      {},
      { to: 2 },
    );

    expect(outcome.error).toEqual({ message: "Operation cancelled.", exitCode: 1 });
  });

  test("asks after the registry lookup, with az's prompt", async () => {
    const prompts: string[] = [];
    const outcome = await runOperation("delete", deleteTask, {
      registry: "myreg",
      name: "mytask",
      confirm: (prompt: string) => {
        prompts.push(prompt);
        return true;
      },
    });

    expect(prompts).toEqual(["Are you sure you want to delete the task 'mytask'  (y/n): "]);
    expect(outcome.error).toBeUndefined();
  });
});

describe("task update (listDetails, then az's PATCH)", () => {
  const mytask = { registry: "myreg", name: "mytask" };

  test("the PATCH's own answer is the result, as az's poller returns it (capture 24)", async () => {
    const outcome = await runOperation("24-task-update-lro-output", updateTask, {
      ...mytask,
      status: "Enabled",
    });

    expect(outcome.result).toEqual({
      schema: "TaskFromInitialResponse",
      wire: outcome.capture.answers[3].body,
    });
  });

  test("a polled update returns the task of the final GET", async () => {
    const outcome = await runOperation(
      "lro-update-async-json",
      updateTask,
      { ...mytask, status: "Enabled" },
      { sleep: async () => undefined },
    );

    const last = outcome.capture.answers[outcome.capture.answers.length - 1];
    expect(outcome.result).toEqual({ schema: "Task", wire: last.body });
  });

  test("a failed asynchronous update is ARM's error", async () => {
    const outcome = await runOperation(
      "lro-update-failed",
      updateTask,
      { ...mytask, status: "Enabled" },
      { sleep: async () => undefined },
    );

    expectAzError(outcome);
  });

  test("a timeout alone cannot change an encoded task", async () => {
    const outcome = await runOperation("update-encoded-timeout-only", updateTask, {
      ...mytask,
      timeout: 500,
    });

    expectAzError(outcome);
  });

  test(
    "null context on a Docker task without --cmd/--file: an " + "error where az 2.45 crashes",
    async () => {
      const outcome = await runOperation("update-crash-null-context", updateTask, {
        ...mytask,
        contextPath: "/dev/null",
      });

      expect(outcome.capture.exitCode).toBe(1);
      expect(outcome.error?.exitCode).toBe(1);
      expect(outcome.error?.message).toMatch(
        /give --cmd or --file along with --context \/dev\/null/,
      );
    },
  );

  test("enabling a commit trigger where none exists adds one where az 2.45 crashes", async () => {
    const bodies: string[] = [];
    const patch = nock("https://management.azure.com")
      .patch(
        "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/myrg/providers/Microsoft.ContainerRegistry/registries/myreg/tasks/mytask?api-version=2019-06-01-preview",
        (body) => bodies.push(JSON.stringify(body)) > 0,
      )
      .reply(200, { name: "mytask" });

    const outcome = await runOperation("update-crash-commit-trigger", updateTask, {
      ...mytask,
      commitTriggerEnabled: true,
    });

    expect(patch.isDone()).toBe(true);
    expect(JSON.parse(bodies[0])).toEqual({
      properties: {
        platform: {},
        agentConfiguration: {},
        step: {
          type: "Docker",
          contextPath: "https://github.com/Azure-Samples/acr-build-helloworld-node.git",
          isPushEnabled: true,
        },
        trigger: {
          sourceTriggers: [
            {
              sourceRepository: {
                sourceControlType: "Github",
                repositoryUrl: "https://github.com/Azure-Samples/acr-build-helloworld-node.git",
                branch: "master",
                sourceControlAuthProperties: { tokenType: "PAT" },
              },
              sourceTriggerEvents: ["commit"],
              status: "Enabled",
              name: "defaultSourceTriggerName",
            },
          ],
          baseImageTrigger: { name: "defaultBaseimageTriggerName" },
        },
        credentials: {},
      },
    });
    expect(outcome.result).toEqual({ schema: "TaskFromInitialResponse", wire: { name: "mytask" } });
  });
});
