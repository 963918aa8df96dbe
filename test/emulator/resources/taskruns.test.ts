import { registerTaskRunRoutes } from "../../../src/emulator/resources/taskruns.js";
import { registerRunRoutes } from "../../../src/emulator/resources/runs.js";
import { registerTaskRoutes } from "../../../src/emulator/resources/tasks.js";
import { progressRun } from "../../../src/emulator/resources/run-records.js";
import { REGISTRY_ID, comparable, createHarness, pathOf, recordedBody } from "./harness.js";
import { recording } from "./recordings.js";

const API = "api-version=2019-06-01-preview";
const TASK_RUN = `${REGISTRY_ID}/taskRuns/testTaskRun`;

/** The taskRuns resource of the Azure CLI test's ARM template, as its deployment PUT it. */
const TEMPLATE_TASK_RUN = {
  location: "westus",
  properties: {
    runRequest: {
      type: "DockerBuildRequest",
      imageNames: ["testtaskrun:v1"],
      sourceLocation: "https://github.com/Azure-Samples/acr-build-helloworld-node.git",
      dockerFilePath: "Dockerfile",
      values: [],
      isPushEnabled: true,
      platform: { os: "linux", architecture: "amd64" },
      credentials: {},
    },
  },
};

function harness() {
  return createHarness([registerTaskRoutes, registerRunRoutes, registerTaskRunRoutes]);
}

describe("task run handlers", () => {
  it("list, show and delete a finished task run as Azure answered in 2026", async () => {
    const emulator = harness();
    const created = await emulator.call("PUT", `${TASK_RUN}?${API}`, TEMPLATE_TASK_RUN);
    expect(created.status).toBe(201);

    const interactions = recording("test_acr_taskrun.2026-03.excerpts.json");
    const shown = recordedBody(interactions[1] as never) as {
      properties: { runResult: { properties: Record<string, unknown> } };
    };
    const runId = `${REGISTRY_ID}/runs/ca1`;
    progressRun(emulator.store, runId, { status: "Running" }, emulator.services.now());
    progressRun(
      emulator.store,
      runId,
      {
        status: "Succeeded",
        outputImages: shown.properties.runResult.properties.outputImages as [],
      },
      emulator.services.now(),
    );

    for (const interaction of interactions) {
      const path = pathOf(interaction.uri).replace("2025-03-01-preview", "2019-06-01-preview");
      const response = await emulator.call(interaction.method, path);
      expect(response.status).toBe(interaction.status);
      const expected = JSON.parse(
        JSON.stringify(recordedBody(interaction) ?? null).replace(/(["/])cf1"/g, '$1ca1"'),
      ) as unknown;
      expect(comparable(response.body ?? null)).toBe(comparable(expected));
    }
    expect((await emulator.call("GET", `${TASK_RUN}?${API}`)).status).toBe(404);
  });

  it("follows its run: Creating while queued, the run's outcome once it ends", async () => {
    const emulator = harness();
    const created = (await emulator.call("PUT", `${TASK_RUN}?${API}`, TEMPLATE_TASK_RUN)).body as {
      properties: { provisioningState: string; runResult: { properties: Record<string, unknown> } };
    };
    expect(created.properties.provisioningState).toBe("Creating");
    expect(created.properties.runResult.properties.status).toBe("Queued");

    progressRun(
      emulator.store,
      `${REGISTRY_ID}/runs/ca1`,
      { status: "Failed", runErrorMessage: "failed during run, err: exit status 1" },
      emulator.services.now(),
    );
    const shown = (await emulator.call("GET", `${TASK_RUN}?${API}`)).body as {
      properties: { provisioningState: string };
    };
    expect(shown.properties.provisioningState).toBe("Failed");
  });

  it("runs again only when the request or forceUpdateTag changes", async () => {
    const emulator = harness();
    await emulator.call("PUT", `${TASK_RUN}?${API}`, TEMPLATE_TASK_RUN);
    const again = await emulator.call("PUT", `${TASK_RUN}?${API}`, TEMPLATE_TASK_RUN);
    expect(again.status).toBe(200);
    const patched = (
      await emulator.call("PATCH", `${TASK_RUN}?${API}`, { properties: { forceUpdateTag: "2" } })
    ).body as {
      properties: {
        provisioningState: string;
        forceUpdateTag: string;
        runResult: { name: string };
      };
    };
    const unchanged = (
      await emulator.call("PATCH", `${TASK_RUN}?${API}`, { properties: { forceUpdateTag: "2" } })
    ).body as { properties: { runResult: { name: string } } };

    expect(patched.properties.runResult.name).toBe("ca2");
    expect(patched.properties.provisioningState).toBe("Updating");
    expect(patched.properties.forceUpdateTag).toBe("2");
    expect(unchanged.properties.runResult.name).toBe("ca2");
    const runs = (await emulator.call("GET", `${REGISTRY_ID}/runs?${API}`)).body as {
      value: unknown[];
    };
    expect(runs.value).toHaveLength(2);
  });

  it("hides the request's secrets except in listDetails", async () => {
    const emulator = harness();
    await emulator.call("PUT", `${TASK_RUN}?${API}`, {
      properties: {
        runRequest: {
          type: "EncodedTaskRunRequest",
          encodedTaskContent: "c3RlcHM6IFtdCg==",
          encodedValuesContent: "c2VjcmV0OiAxCg==",
          values: [
            { name: "plain", value: "1" },
            { name: "hidden", value: "s3cret", isSecret: true },
          ],
          platform: { os: "linux" },
          credentials: {
            customRegistries: {
              "other.azurecr.io": { userName: { value: "u" }, password: { value: "p4ss" } },
            },
          },
        },
      },
    });

    const shown = JSON.stringify((await emulator.call("GET", `${TASK_RUN}?${API}`)).body);
    const listed = JSON.stringify(
      (await emulator.call("GET", `${REGISTRY_ID}/taskRuns?${API}`)).body,
    );
    const details = JSON.stringify(
      (await emulator.call("POST", `${TASK_RUN}/listDetails?${API}`)).body,
    );
    for (const masked of [shown, listed]) {
      expect(masked).not.toContain("s3cret");
      expect(masked).not.toContain("p4ss");
      expect(masked).not.toContain("encodedValuesContent");
      expect(masked).toContain('"customRegistries":{"other.azurecr.io":null}');
      expect(masked).toContain('"location":"westus"');
    }
    expect(details).toContain("s3cret");
    expect(details).toContain("p4ss");
    expect(details).toContain('"encodedValuesContent":"c2VjcmV0OiAxCg=="');
    expect((await emulator.call("GET", `${TASK_RUN}/listDetails?${API}`)).status).toBe(200);
  });

  it("rejects a task run without a valid run request and queues nothing", async () => {
    const emulator = harness();
    for (const body of [
      { properties: {} },
      { properties: { runRequest: { type: "DockerBuildRequest", platform: { os: "linux" } } } },
      { properties: { runRequest: { type: "TaskRunRequest", taskId: "missingTask" } } },
    ]) {
      const response = await emulator.call("PUT", `${TASK_RUN}?${API}`, body);
      expect([400, 404]).toContain(response.status);
    }
    expect((await emulator.call("GET", `${REGISTRY_ID}/runs?${API}`)).body).toEqual({ value: [] });
    expect((await emulator.call("GET", `${REGISTRY_ID}/taskRuns?${API}`)).body).toEqual({
      value: [],
    });
  });

  it("answers 404 for a task run that is not there, and 204 when deleting it", async () => {
    const emulator = harness();
    const missing = await emulator.call("GET", `${TASK_RUN}?${API}`);
    expect(missing.body).toEqual({
      error: {
        code: "EntityNotFound",
        message: "Resource with id 'testTaskRun' is not found.",
        target: "request",
      },
    });
    expect(await emulator.call("DELETE", `${TASK_RUN}?${API}`)).toEqual({ status: 204 });
  });
});
