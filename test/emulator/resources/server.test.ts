// The Tasks handlers inside the emulator's own HTTPS server, token checks and SQLite store,
// driven by the Azure SDK 11 client: first the emulator as `acrtask emulator start` runs it,
// then a server whose route table also holds the run, task run and agent pool routes.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import {
  DEFAULT_REGISTRY,
  DEFAULT_RESOURCE_GROUP,
  registerAllRoutes,
} from "../../../src/emulator/emulator.js";
import { registerAgentPoolRoutes } from "../../../src/emulator/resources/agent-pools.js";
import type { RunBlobLinks } from "../../../src/emulator/resources/blob-links.js";
import { createRegistry } from "../../../src/emulator/resources/registries.js";
import { ensureResourceGroup } from "../../../src/emulator/resources/resource-groups.js";
import { progressRun } from "../../../src/emulator/resources/run-records.js";
import { registerRunRoutes } from "../../../src/emulator/resources/runs.js";
import { registerScheduleRunRoutes } from "../../../src/emulator/resources/schedule-run.js";
import { registerTaskRunRoutes } from "../../../src/emulator/resources/taskruns.js";
import { issueAccessToken, loadIdentity } from "../../../src/emulator/server/identity.js";
import { Routes } from "../../../src/emulator/server/routes.js";
import { startArmServer } from "../../../src/emulator/server/server.js";
import type { ArmServer } from "../../../src/emulator/server/server.js";
import { ensureTlsFiles } from "../../../src/emulator/server/tls.js";
import type { EmulatorServices } from "../../../src/emulator/server/types.js";
import { openStore } from "../../../src/emulator/store/sqlite.js";
import type { ResourceStore } from "../../../src/emulator/store/types.js";
import { httpClientFor, rawRequest, sdkClient, startTestEmulator } from "../server-harness.js";

const fast = { updateIntervalInMs: 10 };
const ENCODED_STEPS = "c3RlcHM6IFtdCg==";

async function all<Item>(iterator: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}

describe("tasks in the emulator as it starts", () => {
  it("are created, kept across a restart, and missing ones answer as the RP does", async () => {
    const harness = await startTestEmulator();
    try {
      let client = await sdkClient(harness);
      const task = await client.tasks.beginCreateAndWait(
        DEFAULT_RESOURCE_GROUP,
        DEFAULT_REGISTRY,
        "keptTask",
        {
          location: "westus",
          platform: { os: "linux" },
          step: { type: "EncodedTask", encodedTaskContent: ENCODED_STEPS },
        },
        fast,
      );
      expect(task.systemData?.createdByType).toBe("Application");
      expect(task.systemData?.createdBy).toBe(harness.config.clientId);

      await harness.restart();
      client = await sdkClient(harness);
      const listed = await all(client.tasks.list(DEFAULT_RESOURCE_GROUP, DEFAULT_REGISTRY));
      expect(listed.map((kept) => [kept.name, kept.creationDate?.getTime()])).toEqual([
        ["keptTask", task.creationDate?.getTime()],
      ]);

      const path =
        `/subscriptions/${harness.config.subscriptionId}/resourceGroups/${DEFAULT_RESOURCE_GROUP}` +
        `/providers/Microsoft.ContainerRegistry/registries/${DEFAULT_REGISTRY}/tasks/nosuchtask` +
        "?api-version=2019-06-01-preview";
      const token = await import("../server-harness.js").then((module) =>
        module.fetchToken(harness),
      );
      const headers = { authorization: `Bearer ${token}` };
      const missing = await rawRequest(harness, "GET", path, { headers });
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({
        error: {
          code: "EntityNotFound",
          message: "Resource with id 'nosuchtask' is not found.",
          target: "request",
        },
      });
      expect((await rawRequest(harness, "DELETE", path, { headers })).status).toBe(204);
    } finally {
      await harness.stop();
    }
  });
});

describe("runs, task runs and agent pools on the emulator's server and store", () => {
  const links: RunBlobLinks = {
    logLink: (registry, runId) =>
      `https://account.blob.localhost/logs/${registry.name}/${runId}/rawtext.log?sig=1`,
    sourceUploadLink: (registry, path) =>
      `https://account.blob.localhost/${registry.name}/${path}?sig=2`,
  };
  let dataDir: string;
  let store: ResourceStore;
  let server: ArmServer;
  let client: ContainerRegistryManagementClient;

  async function start(): Promise<void> {
    const tls = ensureTlsFiles(dataDir);
    const identity = loadIdentity(dataDir);
    const routes = new Routes();
    registerAllRoutes(routes);
    registerRunRoutes(routes);
    registerScheduleRunRoutes(routes);
    registerTaskRunRoutes(routes);
    registerAgentPoolRoutes(routes);

    store = openStore(join(dataDir, "emulator.sqlite"));
    server = await startArmServer({
      tls,
      identity,
      store,
      routes,
      services: { runBlobLinks: links } as Partial<EmulatorServices>,
    });

    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({
        token: issueAccessToken(
          identity,
          identity.settings.audience,
          `${server.armEndpoint}/${identity.settings.tenantId}/`,
          new Date(),
        ),
        expiresOnTimestamp: Date.now() + 3_000_000,
      }),
    };
    client = new ContainerRegistryManagementClient(credential, identity.settings.subscriptionId, {
      endpoint: server.armEndpoint,
      credentialScopes: [`${identity.settings.audience.replace(/\/$/, "")}/.default`],
      httpClient: await httpClientFor(new Agent({ ca: readFileSync(tls.caCertPath) })),
    });
  }

  async function stop(): Promise<void> {
    await server.close();
    store.close();
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "acrtask-tasks-"));
    await start();
    ensureResourceGroup(server.services, "tasksgroup", "westus");
    await createRegistry(server.services, {
      resourceGroupName: "tasksgroup",
      name: "tasksregistry",
      location: "westus",
      sku: "Premium",
    });
  });

  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("schedule, list, cancel and link runs; the run counter survives a restart", async () => {
    const task = await client.tasks.beginCreateAndWait(
      "tasksgroup",
      "tasksregistry",
      "serverTask",
      {
        location: "westus",
        platform: { os: "linux" },
        step: { type: "EncodedTask", encodedTaskContent: ENCODED_STEPS },
      },
      fast,
    );
    const registryId = (task.id as string).split("/tasks/")[0] as string;

    const first = await client.registries.beginScheduleRunAndWait(
      "tasksgroup",
      "tasksregistry",
      { type: "TaskRunRequest", taskId: task.id as string },
      fast,
    );
    expect(first.runId).toBe("ca1");
    progressRun(store, `${registryId}/runs/ca1`, { status: "Succeeded" }, new Date());

    await stop();
    await start();

    const second = await client.registries.beginScheduleRunAndWait(
      "tasksgroup",
      "tasksregistry",
      {
        type: "EncodedTaskRunRequest",
        encodedTaskContent: ENCODED_STEPS,
        platform: { os: "linux" },
      },
      fast,
    );
    expect(second.runId).toBe("ca2");
    const filtered = await all(
      client.runs.list("tasksgroup", "tasksregistry", {
        filter: "TaskName eq 'serverTask'",
        top: 15,
      }),
    );
    expect(filtered.map((run) => [run.runId, run.status, run.task])).toEqual([
      ["ca1", "Succeeded", "serverTask"],
    ]);

    await client.runs.beginCancelAndWait("tasksgroup", "tasksregistry", "ca2", fast);
    expect((await client.runs.get("tasksgroup", "tasksregistry", "ca2")).status).toBe("Canceled");
    expect((await client.runs.getLogSasUrl("tasksgroup", "tasksregistry", "ca1")).logLink).toBe(
      "https://account.blob.localhost/logs/tasksregistry/ca1/rawtext.log?sig=1",
    );
  });

  it("wait for a task run's run and for an agent pool's operations", async () => {
    const registryId =
      `/subscriptions/${server.services.subscriptionId}/resourceGroups/tasksgroup` +
      "/providers/Microsoft.ContainerRegistry/registries/tasksregistry";
    const poller = await client.taskRuns.beginCreate(
      "tasksgroup",
      "tasksregistry",
      "serverTaskRun",
      {
        runRequest: {
          type: "EncodedTaskRunRequest",
          encodedTaskContent: ENCODED_STEPS,
          platform: { os: "linux" },
        },
      },
      fast,
    );
    const queued = await client.taskRuns.get("tasksgroup", "tasksregistry", "serverTaskRun");
    expect(queued.provisioningState).toBe("Creating");
    const runId = `${registryId}/runs/${queued.runResult?.runId}`;
    setTimeout(() => progressRun(store, runId, { status: "Succeeded" }, new Date()), 50);
    const taskRun = await poller.pollUntilDone();
    expect(taskRun.provisioningState).toBe("Succeeded");
    expect(taskRun.location).toBe("westus");

    const pool = await client.agentPools.beginCreateAndWait(
      "tasksgroup",
      "tasksregistry",
      "pool1",
      { location: "westus", count: 1, tier: "S1", os: "Linux" },
      fast,
    );
    expect(pool.provisioningState).toBe("Succeeded");
    await client.agentPools.beginDeleteAndWait("tasksgroup", "tasksregistry", "pool1", fast);
    expect(await all(client.agentPools.list("tasksgroup", "tasksregistry"))).toEqual([]);
  });
});
