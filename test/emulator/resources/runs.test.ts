import { registerRunRoutes } from "../../../src/emulator/resources/runs.js";
import {
  registerScheduleRunRoutes,
  sourceUploadPath,
} from "../../../src/emulator/resources/schedule-run.js";
import { registerTaskRoutes } from "../../../src/emulator/resources/tasks.js";
import {
  progressRun,
  runEvents,
  type RunEvent,
  type RunStatus,
} from "../../../src/emulator/resources/run-records.js";
import type { RunBlobLinks } from "../../../src/emulator/resources/blob-links.js";
import type { RouteTable } from "../../../src/emulator/server/types.js";
import {
  ENDPOINT,
  REGISTRY_ID,
  comparable,
  createHarness,
  pathOf,
  recordedBody,
  type Harness,
} from "./harness.js";
import { recording, requestOf, type RecordedInteraction } from "./recordings.js";

const API = "api-version=2019-06-01-preview";

const fakeLinks: RunBlobLinks = {
  logLink: (registry, runId) =>
    `https://acct.blob.core.windows.net/logs/${registry.name}/${runId}/rawtext.log?sv=x&sig=y`,
  sourceUploadLink: (registry, relativePath) =>
    `https://acct.blob.core.windows.net/${registry.name}/${relativePath}?sv=x&sig=w`,
};

function harnessWithRuns(resourceGroup?: string): Harness {
  return createHarness(
    [
      registerTaskRoutes,
      (routes: RouteTable) => registerRunRoutes(routes, fakeLinks),
      (routes: RouteTable) => registerScheduleRunRoutes(routes, fakeLinks),
    ],
    resourceGroup,
  );
}

/** Azure's westus run ids (`cf1`) written as the emulator's (`ca1`). */
function withEmulatorRunIds(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).replace(/(["/])cf(\d+)"/g, '$1ca$2"'));
}

function withoutSystemData(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) =>
    key === "systemData" ? undefined : value,
  );
}

/**
 * Replays recorded calls in order. Before a recorded GET of a run, the run is moved to the
 * recorded status (what the runner does in between), with the recorded outputs.
 */
async function replay(
  harness: Harness,
  interactions: RecordedInteraction[],
  options: { systemData: boolean },
): Promise<number> {
  let compared = 0;

  for (const interaction of interactions) {
    const expected = withEmulatorRunIds(recordedBody(interaction)) as
      { properties?: Record<string, unknown>; id?: string } | undefined;
    const path = pathOf(interaction.uri).replace(/\/runs\/cf(\d+)/, "/runs/ca$1");

    if (interaction.method === "GET" && /\/runs\/ca\d+\?/.test(path) && expected?.properties) {
      const properties = expected.properties;
      progressRun(
        harness.store,
        expected.id as string,
        {
          status: properties.status as RunStatus,
          outputImages: properties.outputImages as Record<string, unknown>[] | undefined,
          runErrorMessage: properties.runErrorMessage as string | undefined,
        },
        harness.services.now(),
      );
    }

    const response = await harness.call(interaction.method, path, requestOf(interaction));
    expect(response.status).toBe(interaction.status);
    if (expected !== undefined) {
      const actual = options.systemData ? response.body : withoutSystemData(response.body);
      expect(comparable(actual)).toBe(comparable(expected));
      compared += 1;
    }
  }
  return compared;
}

describe("run handlers replayed against Azure's answers", () => {
  it("a task's runs as `acr task run --no-logs` and `update-run` saw them in 2025", async () => {
    const harness = harnessWithRuns();
    const interactions = recording("test_acr_task.2025-04.excerpts.json");
    const firstPart = interactions.slice(0, 7);

    expect(await replay(harness, firstPart, { systemData: true })).toBe(7);

    // The recording ran testTask between these calls (run cf2) without transcribing it.
    const scheduled = await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
      type: "TaskRunRequest",
      taskId: `${REGISTRY_ID.replace("clitest.rg000001", "CLITEST.RG000001")}/tasks/testTask`,
      overrideTaskStepProperties: { arguments: [], values: [] },
    });
    expect((scheduled.body as { name: string }).name).toBe("ca2");
    const patch = interactions[10] as RecordedInteraction;
    const recorded = recordedBody(patch) as { properties: Record<string, unknown> };
    progressRun(harness.store, `${REGISTRY_ID}/runs/ca2`, { status: "Running" }, new Date());
    progressRun(
      harness.store,
      `${REGISTRY_ID}/runs/ca2`,
      { status: "Succeeded", outputImages: recorded.properties.outputImages as [] },
      new Date(),
    );

    expect(await replay(harness, [patch], { systemData: true })).toBe(1);
  });

  it("scheduleRun, polling and list-runs with az's filter as recorded in 2020", async () => {
    const harness = harnessWithRuns();
    const interactions = recording("test_acr_task.2020.json").slice(0, 12);
    expect(interactions.map((interaction) => interaction.method).join(" ")).toBe(
      "PUT PUT GET POST GET GET POST GET GET GET GET GET",
    );
    const list = recording("test_acr_task.2020.json")[12] as RecordedInteraction;
    expect(list.uri).toContain("$filter=TaskName%20eq%20%27testTask%27&$top=15");

    expect(await replay(harness, [...interactions, list], { systemData: false })).toBe(13);
  });

  it("quick runs (FileTaskRunRequest) and their end states as recorded in 2026", async () => {
    const harness = harnessWithRuns("cli_test_acrabac_000001");
    const interactions = recording("test_acr_abac_run.2026-03.excerpts.json");
    expect(await replay(harness, interactions, { systemData: true })).toBe(interactions.length);
  });

  it("a quick build (DockerBuildRequest) as recorded in 2026", async () => {
    const harness = harnessWithRuns("cli_test_acrabac_000001");
    const interactions = recording("test_acr_abac_build.2026-03.excerpts.json");
    expect(await replay(harness, interactions, { systemData: true })).toBe(2);
  });
});

describe("scheduleRun", () => {
  it("numbers runs per registry in base 36 and tells the runner", async () => {
    const harness = harnessWithRuns();
    const events: RunEvent[] = [];
    const listener = (event: RunEvent) => events.push(event);
    runEvents.on("scheduled", listener);

    try {
      const names: string[] = [];
      for (let index = 0; index < 11; index += 1) {
        const response = await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
          type: "EncodedTaskRunRequest",
          encodedTaskContent: "c3RlcHM6IFtdCg==",
          platform: { os: "linux" },
        });
        names.push((response.body as { name: string }).name);
      }
      expect(names.slice(8)).toEqual(["ca9", "caa", "cab"]);
      expect(events.map((event) => event.runId)).toEqual(
        names.map((name) => `${REGISTRY_ID}/runs/${name}`),
      );
    } finally {
      runEvents.off("scheduled", listener);
    }
  });

  it.each([
    ["an unknown type", { type: "ShellRequest" }, "type"],
    [
      "a Docker build without a Dockerfile",
      { type: "DockerBuildRequest", platform: { os: "linux" } },
      "dockerFilePath",
    ],
    [
      "a file task without a platform",
      { type: "FileTaskRunRequest", taskFilePath: "acb.yaml" },
      "platform",
    ],
    ["a task run without a task", { type: "TaskRunRequest" }, "taskId"],
  ])("rejects %s with 400 and queues nothing", async (_case, body, target) => {
    const harness = harnessWithRuns();
    const response = await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, body);
    expect(response.status).toBe(400);
    expect((response.body as { error: { target: string } }).error.target).toBe(target);
    const list = await harness.call("GET", `${REGISTRY_ID}/runs?${API}`);
    expect(list.body).toEqual({ value: [] });
  });

  it("answers 404 for a task that does not exist", async () => {
    const harness = harnessWithRuns();
    const response = await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
      type: "TaskRunRequest",
      taskId: "nosuchtask",
    });
    expect(response.status).toBe(404);
  });

  it("hands out a source upload link and its relative path", async () => {
    const harness = harnessWithRuns();
    const response = await harness.call("POST", `${REGISTRY_ID}/listBuildSourceUploadUrl?${API}`);
    const body = response.body as { uploadUrl: string; relativePath: string };
    expect(Object.keys(body)).toEqual(["uploadUrl", "relativePath"]);
    expect(body.relativePath).toMatch(
      /^source\/202504080817\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.tar\.gz$/,
    );
    expect(body.uploadUrl).toBe(
      `https://acct.blob.core.windows.net/clireg000002/${body.relativePath}?sv=x&sig=w`,
    );
    expect(sourceUploadPath(new Date("2018-02-13T00:00:59Z"))).toMatch(/^source\/201802130000\//);
  });

  it("answers 503 for links when no blob storage was given", async () => {
    const harness = createHarness([registerRunRoutes, registerScheduleRunRoutes]);
    const response = await harness.call("POST", `${REGISTRY_ID}/listBuildSourceUploadUrl?${API}`);
    expect(response.status).toBe(503);
  });
});

describe("runs", () => {
  async function seedRuns(harness: Harness) {
    await harness.call("PUT", `${REGISTRY_ID}/tasks/taskA?${API}`, {
      location: "westus",
      properties: {
        platform: { os: "linux" },
        step: { type: "EncodedTask", encodedTaskContent: "c3RlcHM6IFtdCg==" },
      },
    });
    for (const [taskId, status] of [
      ["taskA", "Succeeded"],
      ["taskA", "Failed"],
      ["taskA", "Succeeded"],
    ] as const) {
      const response = await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
        type: "TaskRunRequest",
        taskId,
      });
      const id = (response.body as { id: string }).id;
      progressRun(harness.store, id, { status: "Running" }, harness.services.now());
      progressRun(
        harness.store,
        id,
        {
          status,
          outputImages: [
            {
              registry: "clireg000002.azurecr.io",
              repository: "hello",
              tag: "v1",
              digest: `sha256:${id.slice(-1)}`,
            },
          ],
        },
        harness.services.now(),
      );
    }
    await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
      type: "DockerBuildRequest",
      dockerFilePath: "Dockerfile",
      platform: { os: "linux" },
    });
  }

  const names = (body: unknown) =>
    (body as { value: { name: string }[] }).value.map((run) => run.name);

  it.each([
    ["", ["ca4", "ca3", "ca2", "ca1"]],
    ["&$top=2", ["ca4", "ca3"]],
    ["&$filter=TaskName%20eq%20%27taska%27&$top=15", ["ca3", "ca2", "ca1"]],
    [
      "&$filter=TaskName%20eq%20%27taskA%27%20and%20Status%20eq%20%27Succeeded%27&$top=15",
      ["ca3", "ca1"],
    ],
    ["&$filter=contains(OutputImageManifests,%20%27hello@sha256:2%27)", ["ca2"]],
    ["&$filter=status%20eq%20%27Queued%27%20or%20(runId%20eq%20%27ca1%27)", ["ca4", "ca1"]],
    ["&$filter=not%20(TaskName%20eq%20%27taskA%27)", ["ca4"]],
    [
      "&$filter=createTime%20ge%202025-04-08T00:00:00Z%20and%20isArchiveEnabled%20eq%20false",
      ["ca4", "ca3", "ca2", "ca1"],
    ],
  ])("list newest first with the query %s", async (query, expected) => {
    const harness = harnessWithRuns();
    await seedRuns(harness);
    const response = await harness.call("GET", `${REGISTRY_ID}/runs?${API}${query}`);
    expect(names(response.body)).toEqual(expected);
  });

  it.each([
    "Colour eq 'red'",
    "TaskName eq",
    "TaskName like 'a'",
    "(TaskName eq 'a'",
    "TaskName eq 'a' extra",
  ])("rejects the filter %s with 400", async (filter) => {
    const harness = harnessWithRuns();
    const response = await harness.call(
      "GET",
      `${REGISTRY_ID}/runs?${API}&$filter=${encodeURIComponent(filter)}`,
    );
    expect(response.status).toBe(400);
    expect((response.body as { error: { target: string } }).error.target).toBe("$filter");
  });

  it("pages runs with a nextLink that keeps the filter and the api-version", async () => {
    const harness = harnessWithRuns();
    for (let index = 0; index < 102; index += 1) {
      await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
        type: "FileTaskRunRequest",
        taskFilePath: "acb.yaml",
        platform: { os: "linux" },
      });
    }
    const first = (
      await harness.call("GET", `${REGISTRY_ID}/runs?${API}&$filter=Status%20eq%20%27Queued%27`)
    ).body as { value: unknown[]; nextLink: string };
    expect(first.nextLink).toBe(
      `${ENDPOINT}${REGISTRY_ID}/runs?api-version=2019-06-01-preview&%24filter=Status%20eq%20%27Queued%27&%24skipToken=100`,
    );
    const second = await harness.call("GET", first.nextLink);
    expect(names(second.body)).toEqual(["ca2", "ca1"]);
  });

  it("cancels a queued run once, tells the runner, and leaves ended runs alone", async () => {
    const harness = harnessWithRuns();
    await seedRuns(harness);
    const canceled: string[] = [];
    const listener = (event: RunEvent) => canceled.push(event.runId);
    runEvents.on("canceled", listener);

    try {
      harness.clock.time = new Date("2025-04-08T08:20:00.25Z");
      expect(await harness.call("POST", `${REGISTRY_ID}/runs/ca4/cancel?${API}`)).toEqual({
        status: 200,
      });
      expect(await harness.call("POST", `${REGISTRY_ID}/runs/ca1/cancel?${API}`)).toEqual({
        status: 200,
      });
    } finally {
      runEvents.off("canceled", listener);
    }

    const run = (await harness.call("GET", `${REGISTRY_ID}/runs/ca4?${API}`)).body as {
      properties: Record<string, unknown>;
    };
    expect(run.properties.status).toBe("Canceled");
    expect(run.properties.startTime).toBe("2025-04-08T08:20:00.25+00:00");
    expect(run.properties.finishTime).toBe("2025-04-08T08:20:00.25+00:00");
    expect(run.properties.lastUpdatedTime).toBe("2025-04-08T08:20:00+00:00");
    const ended = (await harness.call("GET", `${REGISTRY_ID}/runs/ca1?${API}`)).body as {
      properties: Record<string, unknown>;
    };
    expect(ended.properties.status).toBe("Succeeded");
    expect(canceled).toEqual([`${REGISTRY_ID}/runs/ca4`]);
  });

  it("gives the log link of a run, and 404 for a run that does not exist", async () => {
    const harness = harnessWithRuns();
    await seedRuns(harness);
    expect(await harness.call("POST", `${REGISTRY_ID}/runs/ca2/listLogSasUrl?${API}`)).toEqual({
      status: 200,
      body: {
        logLink: "https://acct.blob.core.windows.net/logs/clireg000002/ca2/rawtext.log?sv=x&sig=y",
      },
    });
    const missing = await harness.call("POST", `${REGISTRY_ID}/runs/zz9/listLogSasUrl?${API}`);
    expect(missing.status).toBe(404);
  });

  it("rejects an update whose isArchiveEnabled is not a boolean", async () => {
    const harness = harnessWithRuns();
    await seedRuns(harness);
    const response = await harness.call("PATCH", `${REGISTRY_ID}/runs/ca1?${API}`, {
      isArchiveEnabled: "yes",
    });
    expect(response.status).toBe(400);
  });
});

describe("the runner's progress API", () => {
  it(
    "records a build's base images on its task, and ignores news " + "of a run that has ended",
    async () => {
      const harness = harnessWithRuns();
      await harness.call("PUT", `${REGISTRY_ID}/tasks/buildTask?${API}`, {
        location: "westus",
        properties: {
          status: "Disabled",
          platform: { os: "linux" },
          step: { type: "Docker", dockerFilePath: "Dockerfile", contextPath: "src" },
        },
      });
      await harness.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
        type: "TaskRunRequest",
        taskId: "buildtask",
      });
      const runId = `${REGISTRY_ID}/runs/ca1`;
      const dependencies = [
        {
          type: "Runtime",
          registry: "registry.hub.docker.com",
          repository: "library/node",
          tag: "15-alpine",
          digest: "sha256:6edd",
        },
      ];

      harness.clock.time = new Date("2025-04-08T08:18:00Z");
      progressRun(harness.store, runId, { status: "Running" }, harness.services.now());
      harness.clock.time = new Date("2025-04-08T08:18:20.125Z");
      progressRun(
        harness.store,
        runId,
        {
          status: "Failed",
          runErrorMessage: "failed during run, err: exit status 1",
          baseImageDependencies: dependencies,
        },
        harness.services.now(),
      );
      const late = progressRun(
        harness.store,
        runId,
        { status: "Succeeded" },
        new Date("2025-04-08T09:00:00Z"),
      );

      const run = (await harness.call("GET", `${runId}?${API}`)).body as {
        properties: Record<string, unknown>;
      };
      expect(late?.document.properties.status).toBe("Failed");
      expect(run.properties).toEqual({
        runId: "ca1",
        status: "Failed",
        lastUpdatedTime: "2025-04-08T08:18:20+00:00",
        runType: "QuickRun",
        createTime: "2025-04-08T08:17:32.561+00:00",
        startTime: "2025-04-08T08:18:00+00:00",
        finishTime: "2025-04-08T08:18:20.125+00:00",
        task: "buildTask",
        platform: { os: "linux" },
        agentConfiguration: { cpu: 2 },
        runErrorMessage: "failed during run, err: exit status 1",
        provisioningState: "Succeeded",
        isArchiveEnabled: false,
      });
      const task = (await harness.call("GET", `${REGISTRY_ID}/tasks/buildTask?${API}`)).body as {
        properties: { step: Record<string, unknown> };
      };
      expect(task.properties.step.baseImageDependencies).toEqual(dependencies);
      expect(Object.keys(task.properties.step).slice(-2)).toEqual([
        "baseImageDependencies",
        "contextPath",
      ]);
    },
  );
});
