import {
  AGENT_POOL_OPERATION_MS,
  registerAgentPoolRoutes,
} from "../../../src/emulator/resources/agent-pools.js";
import { registerRunRoutes } from "../../../src/emulator/resources/runs.js";
import { registerScheduleRunRoutes } from "../../../src/emulator/resources/schedule-run.js";
import {
  REGISTRY_ID,
  ENDPOINT,
  comparable,
  createHarness,
  pathOf,
  recordedBody,
} from "./harness.js";
import { recording, requestOf } from "./recordings.js";

const API = "api-version=2019-06-01-preview";
const POOLS = `${REGISTRY_ID}/agentPools`;
const OPERATION = /(?<=\/operation(?:Statuses|Results)\/)[0-9a-f-]{36}/;

function harness() {
  return createHarness([registerAgentPoolRoutes, registerRunRoutes, registerScheduleRunRoutes]);
}

function withoutSystemData(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body ?? null), (key, value: unknown) =>
    key === "systemData" ? undefined : value,
  );
}

/** An async URL with the host and the operation id made comparable. */
function comparableUrl(url: string | undefined): string | undefined {
  return url?.replace(ENDPOINT, "https://management.azure.com").replace(OPERATION, "<operation>");
}

describe("agent pool handlers replayed against Azure's 2020 answers", () => {
  it("create, poll, list, delete (with az's own polling) and scale as recorded", async () => {
    const emulator = harness();
    const operationIds = new Map<string, string>();
    let compared = 0;

    for (const interaction of recording("test_acr_agentpool.2020.json")) {
      const expected = recordedBody(interaction) as Record<string, unknown> | undefined;
      let path = pathOf(interaction.uri);
      for (const [recorded, ours] of operationIds) {
        path = path.replace(recorded, ours);
      }

      // Azure's ARM answers 404 for a deleted pool's operation URL; the emulator ends both
      // clients' polling with 204 instead (SDK 11's delete poller fails on that 404).
      if (interaction.status === 404 && path.includes("/operationResults/")) {
        expect((await emulator.call("GET", path)).status).toBe(204);
        continue;
      }

      // The recorded answer says whether the operation had finished: move the clock past it.
      const text = interaction.responseBody ?? "";
      if (/"Succeeded"|EntityNotFound/.test(text) && interaction.method === "GET") {
        emulator.clock.time = new Date(emulator.clock.time.getTime() + AGENT_POOL_OPERATION_MS);
      }

      const response = await emulator.call(interaction.method, path, requestOf(interaction));
      expect(`${interaction.method} ${path} ${response.status}`).toBe(
        `${interaction.method} ${path} ${interaction.status}`,
      );
      expect(comparable(withoutSystemData(response.body))).toBe(comparable(expected ?? null));

      for (const header of ["azure-asyncoperation", "location"]) {
        const recorded = interaction.responseHeaders?.[header];
        const ours = Object.entries(response.headers ?? {}).find(
          ([name]) => name.toLowerCase() === header,
        )?.[1];
        expect(comparableUrl(ours)).toBe(comparableUrl(recorded));
        if (recorded !== undefined && ours !== undefined) {
          operationIds.set(
            (OPERATION.exec(recorded) as RegExpExecArray)[0],
            (OPERATION.exec(ours) as RegExpExecArray)[0],
          );
        }
      }
      compared += 1;
    }
    expect(compared).toBe(45);
  });
});

describe("agent pools", () => {
  it("stay Creating until the operation's time has passed, then show Succeeded", async () => {
    const emulator = harness();
    const created = await emulator.call("PUT", `${POOLS}/pool1?${API}`, {
      location: "eastus",
      tags: { a: "b" },
      properties: { tier: "S2" },
    });
    const status = new URL(created.headers?.["Azure-AsyncOperation"] as string);

    expect(created.status).toBe(201);
    expect(created.headers?.["Retry-After"]).toBe("1");
    expect((created.body as { properties: unknown }).properties).toEqual({
      count: 1,
      tier: "S2",
      os: "Linux",
      provisioningState: "Creating",
    });
    expect((await emulator.call("GET", `${status.pathname}${status.search}`)).body).toEqual({
      status: "Creating",
    });

    emulator.clock.time = new Date(emulator.clock.time.getTime() + AGENT_POOL_OPERATION_MS);
    expect((await emulator.call("GET", `${status.pathname}${status.search}`)).body).toEqual({
      status: "Succeeded",
    });
    const shown = (await emulator.call("GET", `${POOLS}/POOL1?${API}`)).body as Record<
      string,
      unknown
    >;
    expect(shown.name).toBe("pool1");
    expect(shown.tags).toEqual({ a: "b" });
    expect((shown.properties as Record<string, unknown>).provisioningState).toBe("Succeeded");
  });

  it("count the queued runs meant for a pool", async () => {
    const emulator = harness();
    await emulator.call("PUT", `${POOLS}/pool1?${API}`, { location: "eastus", properties: {} });
    for (const agentPoolName of ["pool1", "POOL1", "other", undefined]) {
      await emulator.call("POST", `${REGISTRY_ID}/scheduleRun?${API}`, {
        type: "EncodedTaskRunRequest",
        encodedTaskContent: "c3RlcHM6IFtdCg==",
        platform: { os: "linux" },
        agentPoolName,
      });
    }
    expect(await emulator.call("POST", `${POOLS}/pool1/listQueueStatus?${API}`)).toEqual({
      status: 200,
      body: { count: 2 },
    });
  });

  it("answer 204 when deleting a pool that does not exist, 404 when reading one", async () => {
    const emulator = harness();
    expect(await emulator.call("DELETE", `${POOLS}/nopool?${API}`)).toEqual({ status: 204 });
    expect((await emulator.call("GET", `${POOLS}/nopool?${API}`)).status).toBe(404);
    expect((await emulator.call("POST", `${POOLS}/nopool/listQueueStatus?${API}`)).status).toBe(
      404,
    );
    expect(
      (await emulator.call("GET", `${POOLS}/nopool/operationStatuses/${"0".repeat(8)}?${API}`))
        .status,
    ).toBe(404);
  });

  it.each([
    ["no location", { properties: { count: 1 } }],
    ["a negative count", { location: "eastus", properties: { count: -1 } }],
  ])("reject a pool with %s", async (_case, body) => {
    const emulator = harness();
    expect((await emulator.call("PUT", `${POOLS}/pool1?${API}`, body)).status).toBe(400);
  });

  it("reject names outside 3 to 20 letters, digits and dashes", async () => {
    const emulator = harness();
    const response = await emulator.call("PUT", `${POOLS}/ab?${API}`, { location: "eastus" });
    expect(response.status).toBe(400);
  });
});
