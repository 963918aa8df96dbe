import { registerTaskRoutes } from "../../../src/emulator/resources/tasks.js";
import type { TaskDocument } from "../../../src/emulator/resources/tasks.js";
import {
  ENDPOINT,
  REGISTRY_ID,
  comparable,
  createHarness,
  pathOf,
  recordedBody,
} from "./harness.js";
import { recording, requestOf } from "./recordings.js";

const TASKS = `${REGISTRY_ID}/tasks`;
const API = "api-version=2019-06-01-preview";

function dockerTask(overrides: Record<string, unknown> = {}) {
  return {
    location: "westus",
    properties: {
      status: "Enabled",
      platform: { os: "linux", architecture: "amd64" },
      agentConfiguration: { cpu: 2 },
      timeout: 3600,
      step: {
        type: "Docker",
        contextPath: "https://github.com/Azure-Samples/acr-build-helloworld-node",
        imageNames: ["testtask:v1"],
        isPushEnabled: true,
        noCache: false,
        dockerFilePath: "Dockerfile",
        arguments: [],
      },
      credentials: {},
      ...overrides,
    },
  };
}

describe("task handlers replayed against Azure's 2025 answers", () => {
  const interactions = recording("test_acr_task.2025-04.excerpts.json").filter((interaction) =>
    /\/tasks\//.test(interaction.uri),
  );

  it("answer every recorded task call with the recorded status and JSON shape", async () => {
    const harness = createHarness([registerTaskRoutes]);
    let compared = 0;

    for (const interaction of interactions) {
      const expected = recordedBody(interaction) as Record<string, unknown> | undefined;

      // The first build of a Docker task reports its base images; the runner stores them.
      const dependencies = (
        (expected?.properties as Record<string, unknown> | undefined)?.step as
          Record<string, unknown> | undefined
      )?.baseImageDependencies;
      if (dependencies !== undefined) {
        const id = `${TASKS}/testTask`;
        const stored = harness.store.get<TaskDocument>(id);
        if (stored !== undefined && stored.document.properties.step !== undefined) {
          (stored.document.properties.step as Record<string, unknown>).baseImageDependencies =
            dependencies;
          harness.store.put(stored);
        }
      }

      const response = await harness.call(
        interaction.method,
        pathOf(interaction.uri),
        requestOf(interaction),
      );

      expect(response.status).toBe(interaction.status);
      if (expected !== undefined) {
        expect(comparable(response.body)).toBe(comparable(expected));
        compared += 1;
      } else if (interaction.method === "DELETE") {
        expect(response.body).toBeUndefined();
      }
    }
    expect(compared).toBe(11);
  });
});

describe("task handlers replayed against Azure's 2020 answers", () => {
  it("create, list in creation order, get, update and delete as recorded", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const interactions = recording("test_acr_task.2020.json").filter((interaction) =>
      /\/tasks(\/|\?)/.test(interaction.uri),
    );
    expect(interactions.map((interaction) => interaction.method)).toEqual([
      "PUT",
      "PUT",
      "GET",
      "GET",
      "POST",
      "PATCH",
      "DELETE",
    ]);

    for (const interaction of interactions) {
      const expected = recordedBody(interaction) as Record<string, unknown> | undefined;
      const response = await harness.call(
        interaction.method,
        pathOf(interaction.uri),
        requestOf(interaction),
      );
      expect(response.status).toBe(interaction.status);
      if (expected === undefined) {
        continue;
      }

      // 2020 answers carried no systemData and the builds had added base image dependencies.
      const actual = JSON.parse(JSON.stringify(response.body)) as Record<string, unknown>;
      const strip = (resource: Record<string, unknown>) => {
        delete resource.systemData;
        const step = (resource.properties as Record<string, unknown>).step as Record<
          string,
          unknown
        >;
        delete step.baseImageDependencies;
        return resource;
      };
      const normalise = (body: Record<string, unknown>) =>
        Array.isArray(body.value)
          ? { value: (body.value as Record<string, unknown>[]).map(strip) }
          : strip(body);
      expect(comparable(normalise(actual))).toBe(comparable(normalise(expected)));
    }
  });
});

describe("task create", () => {
  it("fills the service defaults and echoes enum casing as sent", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const response = await harness.call("PUT", `${TASKS}/sdkTask?${API}`, {
      location: "westus",
      properties: {
        platform: { os: "Linux" },
        step: { type: "Docker", dockerFilePath: "Dockerfile", contextPath: "src" },
      },
    });

    expect(response.status).toBe(200);
    const properties = (response.body as { properties: Record<string, unknown> }).properties;
    expect(properties).toEqual({
      provisioningState: "Succeeded",
      creationDate: "2025-04-08T08:17:32.561+00:00",
      status: "Enabled",
      platform: { os: "Linux" },
      agentConfiguration: { cpu: 2 },
      timeout: 3600,
      step: {
        type: "Docker",
        isPushEnabled: true,
        noCache: false,
        dockerFilePath: "Dockerfile",
        contextPath: "src",
      },
    });
    expect(Object.keys(properties)).toEqual([
      "provisioningState",
      "creationDate",
      "status",
      "platform",
      "agentConfiguration",
      "timeout",
      "step",
    ]);
  });

  it("hides every secret outside listDetails, which shows them", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const body = {
      location: "eastus",
      tags: { team: "a" },
      properties: {
        platform: { os: "linux", architecture: "arm64", variant: "v8" },
        step: {
          type: "Docker",
          contextPath: "https://github.com/foo/bar.git#mybranch:sub",
          contextAccessToken: "TOKEN123",
          imageNames: ["img:{{.Run.ID}}"],
          dockerFilePath: "Dockerfile",
          arguments: [
            { name: "A", value: "1", isSecret: false },
            { name: "S", value: "2", isSecret: true },
          ],
        },
        trigger: {
          sourceTriggers: [
            {
              sourceRepository: {
                sourceControlType: "Github",
                repositoryUrl: "https://github.com/foo/bar.git#mybranch:sub",
                branch: "mybranch",
                sourceControlAuthProperties: { tokenType: "PAT", token: "TOKEN123", scope: "repo" },
              },
              sourceTriggerEvents: ["commit"],
              name: "defaultSourceTriggerName",
            },
          ],
          baseImageTrigger: {
            baseImageTriggerType: "Runtime",
            updateTriggerEndpoint: "https://user:pass@hook.example.com?token=x",
            name: "defaultBaseimageTriggerName",
          },
        },
        credentials: {
          customRegistries: {
            "test.acr.com": {
              userName: { value: "testuser", type: "Opaque" },
              password: { value: "random", type: "Opaque" },
            },
          },
        },
      },
    };

    const created = await harness.call("PUT", `${TASKS}/secretTask?${API}`, body);
    const shown = await harness.call("GET", `${TASKS}/secretTask?${API}`);
    const listed = await harness.call("GET", `${TASKS}?${API}`);
    const details = await harness.call("POST", `${TASKS}/secretTask/listDetails?${API}`);

    for (const masked of [
      created.body,
      shown.body,
      (listed.body as { value: unknown[] }).value[0],
    ]) {
      const text = JSON.stringify(masked);
      expect(text).not.toContain("TOKEN123");
      expect(text).not.toContain("random");
      expect(text).not.toContain("pass@hook");
      expect(text).toContain('"customRegistries":{"test.acr.com":null}');
      expect(text).toContain('"arguments":[{"name":"A","value":"1","isSecret":false}]');
      expect(text).toContain('"updateTriggerEndpoint":null');
    }
    const revealed = JSON.stringify(details.body);
    expect(revealed).toContain('"contextAccessToken":"TOKEN123"');
    expect(revealed).toContain('"token":"TOKEN123"');
    expect(revealed).toContain('"password":{"value":"random","type":"Opaque"}');
    expect(revealed).toContain('{"name":"S","value":"2","isSecret":true}');
    expect((shown.body as { tags: unknown }).tags).toEqual({ team: "a" });
  });

  it("replaces an existing task on PUT, keeping its creation date and creator", async () => {
    const harness = createHarness([registerTaskRoutes]);
    await harness.call("PUT", `${TASKS}/replaced?${API}`, dockerTask(), "first@example.com");
    harness.clock.time = new Date("2025-04-08T09:00:00.5Z");

    const replaced = await harness.call(
      "PUT",
      `${TASKS}/REPLACED?${API}`,
      dockerTask({ timeout: 600 }),
      "second@example.com",
    );

    const body = replaced.body as Record<string, Record<string, unknown>>;
    expect(body.name).toBe("replaced");
    expect(body.properties.creationDate).toBe("2025-04-08T08:17:32.561+00:00");
    expect(body.properties.timeout).toBe(600);
    expect(body.systemData).toEqual({
      createdBy: "first@example.com",
      createdByType: "User",
      createdAt: "2025-04-08T08:17:32.561+00:00",
      lastModifiedBy: "second@example.com",
      lastModifiedByType: "User",
      lastModifiedAt: "2025-04-08T09:00:00.5+00:00",
    });
  });

  it("fills a system identity and user identities, with stable ids", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const uami =
      "/subscriptions/x/resourcegroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
    const first = await harness.call("PUT", `${TASKS}/identity1?${API}`, {
      ...dockerTask(),
      identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [uami]: {} } },
    });
    const second = await harness.call("PUT", `${TASKS}/identity2?${API}`, {
      ...dockerTask(),
      identity: { type: "UserAssigned", userAssignedIdentities: { [uami]: {} } },
    });

    const identity = (first.body as { identity: Record<string, unknown> }).identity;
    expect(Object.keys(identity)).toEqual([
      "principalId",
      "tenantId",
      "type",
      "userAssignedIdentities",
    ]);
    expect(identity.tenantId).toBe(harness.services.tenantId);
    expect(identity.userAssignedIdentities).toEqual(
      (second.body as { identity: Record<string, unknown> }).identity.userAssignedIdentities,
    );
    const user = (identity.userAssignedIdentities as Record<string, Record<string, string>>)[uami];
    expect(user?.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
  });

  it.each([
    ["no location", { properties: dockerTask().properties }, "location"],
    [
      "no platform",
      { location: "westus", properties: { step: dockerTask().properties.step } },
      "properties.platform",
    ],
    ["an unknown step type", dockerTask({ step: { type: "Shell" } }), "properties.step.type"],
    [
      "a Docker step without a Dockerfile",
      dockerTask({ step: { type: "Docker" } }),
      "properties.step.dockerFilePath",
    ],
    ["a timeout out of range", dockerTask({ timeout: 10 }), "properties.timeout"],
  ])("rejects a body with %s", async (_case, body, target) => {
    const harness = createHarness([registerTaskRoutes]);
    const response = await harness.call("PUT", `${TASKS}/badTask?${API}`, body);
    expect(response.status).toBe(400);
    expect((response.body as { error: { target: string } }).error.target).toBe(target);
    expect((await harness.call("GET", `${TASKS}/badTask?${API}`)).status).toBe(404);
  });

  it("creates a system task with only its status, timeout and log template", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const response = await harness.call("PUT", `${TASKS}/quicktask?${API}`, {
      location: "eastus",
      tags: { testkey: "value" },
      properties: { status: "Enabled", isSystemTask: true, logTemplate: "acr/tasks:{{.Run.OS}}" },
    });

    expect(response.status).toBe(200);
    expect((response.body as { properties: unknown }).properties).toEqual({
      provisioningState: "Succeeded",
      creationDate: "2025-04-08T08:17:32.561+00:00",
      status: "Enabled",
      timeout: 3600,
      logTemplate: "acr/tasks:{{.Run.OS}}",
      isSystemTask: true,
    });
  });

  it("rejects a name the SDKs would not send", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const response = await harness.call("PUT", `${TASKS}/a.b?${API}`, dockerTask());
    expect(response.status).toBe(400);
    expect((response.body as { error: { code: string } }).error.code).toBe("InvalidResourceName");
  });
});

describe("task update", () => {
  it("merges triggers by name, adds new timers and keeps what was not sent", async () => {
    const harness = createHarness([registerTaskRoutes]);
    await harness.call(
      "PUT",
      `${TASKS}/timerTask?${API}`,
      dockerTask({
        trigger: {
          timerTriggers: [{ schedule: "0 21 * * *", status: "Enabled", name: "t1" }],
          baseImageTrigger: {
            baseImageTriggerType: "Runtime",
            updateTriggerPayloadType: "Default",
            status: "Enabled",
            name: "defaultBaseimageTriggerName",
          },
        },
      }),
    );

    const response = await harness.call("PATCH", `${TASKS}/timerTask?${API}`, {
      properties: {
        agentConfiguration: {},
        platform: {},
        trigger: {
          timerTriggers: [
            { name: "t1", schedule: "0 22 * * *" },
            { name: "t2", schedule: "0 1 * * *" },
          ],
          baseImageTrigger: { name: "defaultBaseimageTriggerName", status: "Disabled" },
        },
        timeout: 900,
      },
    });

    const properties = (response.body as { properties: Record<string, unknown> }).properties;
    expect(properties.trigger).toEqual({
      timerTriggers: [
        { schedule: "0 22 * * *", status: "Enabled", name: "t1" },
        { schedule: "0 1 * * *", status: "Enabled", name: "t2" },
      ],
      baseImageTrigger: {
        baseImageTriggerType: "Runtime",
        updateTriggerPayloadType: "Default",
        status: "Disabled",
        name: "defaultBaseimageTriggerName",
      },
    });
    expect(properties.platform).toEqual({ os: "linux", architecture: "amd64" });
    expect(properties.agentConfiguration).toEqual({ cpu: 2 });
    expect(properties.timeout).toBe(900);
  });

  it("refuses to change the step's type", async () => {
    const harness = createHarness([registerTaskRoutes]);
    await harness.call("PUT", `${TASKS}/stepTask?${API}`, dockerTask());
    const response = await harness.call("PATCH", `${TASKS}/stepTask?${API}`, {
      properties: { step: { type: "FileTask", taskFilePath: "acb.yaml" } },
    });
    expect(response.status).toBe(400);
  });

  it("assigns and then drops identities as az's identity commands send them", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const uami =
      "/subscriptions/x/resourcegroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a";
    await harness.call("PUT", `${TASKS}/idTask?${API}`, {
      ...dockerTask(),
      identity: { type: "SystemAssigned" },
    });
    const assigned = await harness.call("PATCH", `${TASKS}/idTask?${API}`, {
      identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [uami]: {} } },
    });
    const removed = await harness.call("PATCH", `${TASKS}/idTask?${API}`, {
      identity: { type: "None" },
    });

    const identity = (assigned.body as { identity: Record<string, unknown> }).identity;
    expect(identity.type).toBe("SystemAssigned, UserAssigned");
    expect(Object.keys(identity.userAssignedIdentities as object)).toEqual([uami]);
    expect((removed.body as Record<string, unknown>).identity).toBeUndefined();
  });

  it("answers 404 with the RP's error for a task that does not exist", async () => {
    const harness = createHarness([registerTaskRoutes]);
    for (const [method, suffix] of [
      ["GET", ""],
      ["PATCH", ""],
      ["POST", "/listDetails"],
    ] as const) {
      const response = await harness.call(method, `${TASKS}/missing${suffix}?${API}`, {});
      expect(response).toEqual({
        status: 404,
        body: {
          error: {
            code: "EntityNotFound",
            message: "Resource with id 'missing' is not found.",
            target: "request",
          },
        },
      });
    }
  });
});

describe("task delete and list", () => {
  it("deletes with 200 and an empty body, and answers 204 when nothing was there", async () => {
    const harness = createHarness([registerTaskRoutes]);
    await harness.call("PUT", `${TASKS}/goneTask?${API}`, dockerTask());
    expect(await harness.call("DELETE", `${TASKS}/goneTask?${API}`)).toEqual({ status: 200 });
    expect(await harness.call("DELETE", `${TASKS}/goneTask?${API}`)).toEqual({ status: 204 });
  });

  it("pages with an absolute nextLink that carries the api-version", async () => {
    const harness = createHarness([registerTaskRoutes]);
    for (let index = 0; index < 105; index += 1) {
      await harness.call(
        "PUT",
        `${TASKS}/task${String(104 - index).padStart(3, "0")}?${API}`,
        dockerTask(),
      );
    }

    const first = (await harness.call("GET", `${TASKS}?${API}`)).body as {
      value: { name: string }[];
      nextLink: string;
    };
    expect(first.value).toHaveLength(100);
    expect(first.value[0]?.name).toBe("task104");
    expect(first.nextLink).toBe(
      `${ENDPOINT}${TASKS}?api-version=2019-06-01-preview&%24skipToken=100`,
    );

    const second = (await harness.call("GET", first.nextLink)).body as Record<string, unknown>;
    expect((second.value as { name: string }[]).map((task) => task.name)).toEqual([
      "task004",
      "task003",
      "task002",
      "task001",
      "task000",
    ]);
    expect(second).not.toHaveProperty("nextLink");
  });

  it("answers ARM's 404 when the registry does not exist", async () => {
    const harness = createHarness([registerTaskRoutes]);
    const response = await harness.call(
      "GET",
      `${REGISTRY_ID.replace("clireg000002", "otherreg")}/tasks?${API}`,
    );
    expect(response.status).toBe(404);
    expect((response.body as { error: { code: string; message: string } }).error).toEqual({
      code: "ResourceNotFound",
      message:
        "The Resource 'Microsoft.ContainerRegistry/registries/otherreg' under resource group " +
        "'clitest.rg000001' was not found. For more details please go to " +
        "https://aka.ms/ARMResourceNotFoundFix",
    });
  });
});
