// The real @azure/arm-containerregistry 11.0.0 client against the Tasks handlers: its request
// shapes, response deserialisation, pagers and LRO pollers all go through the handlers, over an
// in-process HttpClient (no network) that plays the server's part.

import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import {
  AGENT_POOL_OPERATION_MS,
  registerAgentPoolRoutes,
} from "../../../src/emulator/resources/agent-pools.js";
import type { RunBlobLinks } from "../../../src/emulator/resources/blob-links.js";
import { progressRun } from "../../../src/emulator/resources/run-records.js";
import { registerRunRoutes } from "../../../src/emulator/resources/runs.js";
import { registerScheduleRunRoutes } from "../../../src/emulator/resources/schedule-run.js";
import { registerTaskRunRoutes } from "../../../src/emulator/resources/taskruns.js";
import { registerTaskRoutes } from "../../../src/emulator/resources/tasks.js";
import type { RouteTable } from "../../../src/emulator/server/types.js";
import {
  REGISTRY,
  REGISTRY_ID,
  RESOURCE_GROUP,
  SUBSCRIPTION,
  createHarness,
  tokenFor,
} from "./harness.js";
import type { Harness } from "./harness.js";

const links: RunBlobLinks = {
  logLink: (_registry, runId) =>
    `https://acct.blob.core.windows.net/logs/${runId}/rawtext.log?sig=1`,
  sourceUploadLink: (_registry, path) => `https://acct.blob.core.windows.net/source/${path}?sig=2`,
};

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: tokenFor("sdk@example.com"),
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

/** Hands each SDK request to the harness, moving its clock on as real time would pass. */
function inProcessClient(harness: Harness, requests: string[]): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      expect(url.origin).toBe("https://management.azure.com");
      requests.push(`${request.method} ${url.pathname.replace(REGISTRY_ID, "{reg}")}${url.search}`);
      harness.clock.time = new Date(harness.clock.time.getTime() + AGENT_POOL_OPERATION_MS / 2);

      const body =
        typeof request.body === "string" && request.body !== ""
          ? JSON.parse(request.body)
          : undefined;
      const answer = await harness.call(
        request.method,
        `${url.pathname}${url.search}`,
        body,
        undefined,
        request.headers.get("authorization"),
      );
      const headers = createHttpHeaders(answer.headers);
      if (answer.body !== undefined) {
        headers.set("content-type", "application/json; charset=utf-8");
      }
      return {
        request,
        status: answer.status,
        headers,
        bodyAsText: answer.body === undefined ? "" : JSON.stringify(answer.body),
      };
    },
  };
}

function setUp() {
  const harness = createHarness([
    registerTaskRoutes,
    registerTaskRunRoutes,
    registerAgentPoolRoutes,
    (routes: RouteTable) => registerRunRoutes(routes, links),
    (routes: RouteTable) => registerScheduleRunRoutes(routes, links),
  ]);
  // The SDK's endpoint is the emulator's ARM endpoint; async URLs are built from it.
  harness.services.armEndpoint = "https://management.azure.com";
  const requests: string[] = [];
  const client = new ContainerRegistryManagementClient(credential, SUBSCRIPTION, {
    httpClient: inProcessClient(harness, requests),
  });
  return { harness, requests, client };
}

const fast = { updateIntervalInMs: 1 };

async function all<Item>(iterator: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}

describe("@azure/arm-containerregistry 11.0.0 against the Tasks handlers", () => {
  it("creates, reads, lists, updates and deletes tasks, each in one call", async () => {
    const { client, requests } = setUp();

    const created = await client.tasks.beginCreateAndWait(
      RESOURCE_GROUP,
      REGISTRY,
      "sdkTask",
      {
        location: "westus",
        platform: { os: "Linux" },
        step: {
          type: "Docker",
          dockerFilePath: "Dockerfile",
          contextPath: "https://github.com/a/b.git",
        },
        credentials: {
          customRegistries: {
            "other.azurecr.io": {
              userName: { value: "u", type: "Opaque" },
              password: { value: "pw", type: "Opaque" },
            },
          },
        },
      },
      fast,
    );
    expect(created.provisioningState).toBe("Succeeded");
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.credentials?.customRegistries?.["other.azurecr.io"]).toBeNull();
    expect(created.systemData?.createdBy).toBe("sdk@example.com");

    const updated = await client.tasks.beginUpdateAndWait(
      RESOURCE_GROUP,
      REGISTRY,
      "sdkTask",
      { timeout: 600, status: "Disabled" },
      fast,
    );
    expect(updated.timeout).toBe(600);
    expect(updated.status).toBe("Disabled");

    const details = await client.tasks.getDetails(RESOURCE_GROUP, REGISTRY, "sdkTask");
    expect(details.credentials?.customRegistries?.["other.azurecr.io"]?.password?.value).toBe("pw");
    expect((await client.tasks.get(RESOURCE_GROUP, REGISTRY, "sdkTask")).step?.type).toBe("Docker");
    expect(
      (await all(client.tasks.list(RESOURCE_GROUP, REGISTRY))).map((task) => task.name),
    ).toEqual(["sdkTask"]);

    await client.tasks.beginDeleteAndWait(RESOURCE_GROUP, REGISTRY, "sdkTask", fast);
    await expect(client.tasks.get(RESOURCE_GROUP, REGISTRY, "sdkTask")).rejects.toMatchObject({
      statusCode: 404,
      code: "EntityNotFound",
    });
    expect(
      requests.filter(
        (request) =>
          request.startsWith("PUT") || request.startsWith("PATCH") || request.startsWith("DELETE"),
      ),
    ).toEqual([
      "PUT {reg}/tasks/sdkTask?api-version=2019-06-01-preview",
      "PATCH {reg}/tasks/sdkTask?api-version=2019-06-01-preview",
      "DELETE {reg}/tasks/sdkTask?api-version=2019-06-01-preview",
    ]);
  });

  it(
    "schedules runs, lists them with a filter and $top, updates, " + "cancels and links their logs",
    async () => {
      const { client, harness } = setUp();
      await client.tasks.beginCreateAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        "runTask",
        {
          location: "westus",
          platform: { os: "linux", architecture: "arm" },
          step: { type: "EncodedTask", encodedTaskContent: "c3RlcHM6IFtdCg==" },
        },
        fast,
      );

      const queued = await client.registries.beginScheduleRunAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        {
          type: "TaskRunRequest",
          taskId: `${REGISTRY_ID}/tasks/runTask`,
        },
        fast,
      );
      expect(queued.runId).toBe("ca1");
      expect(queued.status).toBe("Queued");
      const quick = await client.registries.beginScheduleRunAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        {
          type: "DockerBuildRequest",
          dockerFilePath: "Dockerfile",
          platform: { os: "linux" },
          sourceLocation: "https://github.com/a/b.git",
        },
        fast,
      );
      progressRun(
        harness.store,
        `${REGISTRY_ID}/runs/${quick.runId}`,
        { status: "Running" },
        harness.services.now(),
      );

      const filtered = await all(
        client.runs.list(RESOURCE_GROUP, REGISTRY, { filter: "TaskName eq 'runTask'", top: 15 }),
      );
      expect(filtered.map((run) => [run.runId, run.task, run.platform?.architecture])).toEqual([
        ["ca1", "runTask", "arm"],
      ]);
      expect(
        (await all(client.runs.list(RESOURCE_GROUP, REGISTRY, { top: 1 }))).map((run) => run.runId),
      ).toEqual(["ca2"]);

      const archived = await client.runs.beginUpdateAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        "ca1",
        { isArchiveEnabled: true },
        fast,
      );
      expect(archived.isArchiveEnabled).toBe(true);

      await client.runs.beginCancelAndWait(RESOURCE_GROUP, REGISTRY, "ca2", fast);
      const canceled = await client.runs.get(RESOURCE_GROUP, REGISTRY, "ca2");
      expect(canceled.status).toBe("Canceled");
      expect(canceled.finishTime).toBeInstanceOf(Date);

      expect((await client.runs.getLogSasUrl(RESOURCE_GROUP, REGISTRY, "ca1")).logLink).toBe(
        "https://acct.blob.core.windows.net/logs/ca1/rawtext.log?sig=1",
      );
      const upload = await client.registries.getBuildSourceUploadUrl(RESOURCE_GROUP, REGISTRY);
      expect(upload.uploadUrl).toBe(
        `https://acct.blob.core.windows.net/source/${upload.relativePath}?sig=2`,
      );
    },
  );

  it("creates a task run and waits for its run, then updates, reads and deletes it", async () => {
    const { client, harness } = setUp();
    const poller = await client.taskRuns.beginCreate(
      RESOURCE_GROUP,
      REGISTRY,
      "sdkTaskRun",
      {
        location: "westus",
        runRequest: {
          type: "EncodedTaskRunRequest",
          encodedTaskContent: "c3RlcHM6IFtdCg==",
          platform: { os: "linux" },
          values: [{ name: "secret", value: "s3", isSecret: true }],
        },
      },
      fast,
    );

    // The body-mode poller keeps reading the task run until its run ends.
    setTimeout(() => {
      progressRun(
        harness.store,
        `${REGISTRY_ID}/runs/ca1`,
        { status: "Succeeded" },
        harness.services.now(),
      );
    }, 20);
    const created = await poller.pollUntilDone();
    expect(created.provisioningState).toBe("Succeeded");
    expect(created.runResult?.status).toBe("Succeeded");

    const updated = await client.taskRuns.beginUpdate(
      RESOURCE_GROUP,
      REGISTRY,
      "sdkTaskRun",
      { forceUpdateTag: "again" },
      fast,
    );
    expect(updated.getResult()?.runResult?.runId).toBe("ca2");
    const afterUpdate = await client.taskRuns.get(RESOURCE_GROUP, REGISTRY, "sdkTaskRun");
    expect(afterUpdate.runResult?.runId).toBe("ca2");
    expect(afterUpdate.provisioningState).toBe("Updating");

    const details = await client.taskRuns.getDetails(RESOURCE_GROUP, REGISTRY, "sdkTaskRun");
    expect(JSON.stringify(details.runRequest)).toContain("s3");
    expect(JSON.stringify(afterUpdate.runRequest)).not.toContain("s3");
    expect(
      (await all(client.taskRuns.list(RESOURCE_GROUP, REGISTRY))).map((taskRun) => taskRun.name),
    ).toEqual(["sdkTaskRun"]);

    await client.taskRuns.beginDeleteAndWait(RESOURCE_GROUP, REGISTRY, "sdkTaskRun", fast);
    expect(await all(client.taskRuns.list(RESOURCE_GROUP, REGISTRY))).toEqual([]);
  });

  it(
    "creates, scales and deletes an agent pool through Azure's " + "asynchronous operations",
    async () => {
      const { client, requests } = setUp();

      const created = await client.agentPools.beginCreateAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        "pool1",
        {
          location: "westus",
          count: 1,
          tier: "S1",
          os: "Linux",
        },
        fast,
      );
      expect(created.provisioningState).toBe("Succeeded");

      const scaled = await client.agentPools.beginUpdateAndWait(
        RESOURCE_GROUP,
        REGISTRY,
        "pool1",
        { count: 3 },
        fast,
      );
      expect(scaled.count).toBe(3);
      expect(scaled.provisioningState).toBe("Succeeded");
      expect(
        (await client.agentPools.getQueueStatus(RESOURCE_GROUP, REGISTRY, "pool1")).count,
      ).toBe(0);
      expect(
        (await all(client.agentPools.list(RESOURCE_GROUP, REGISTRY))).map((pool) => pool.name),
      ).toEqual(["pool1"]);

      await client.agentPools.beginDeleteAndWait(RESOURCE_GROUP, REGISTRY, "pool1", fast);
      await expect(client.agentPools.get(RESOURCE_GROUP, REGISTRY, "pool1")).rejects.toMatchObject({
        statusCode: 404,
      });
      expect(
        requests.some((request) => /\/agentPools\/pool1\/operationStatuses\//.test(request)),
      ).toBe(true);
      expect(
        requests.some((request) => /\/agentPools\/pool1\/operationResults\//.test(request)),
      ).toBe(true);
    },
  );
});
