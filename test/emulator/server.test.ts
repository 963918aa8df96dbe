// The HTTPS front door: api-version checks (and the switch that relaxes them), ARM's answers for
// unknown paths and bad bodies, the envelope headers, loopback-only binding, and a restart on
// the same data dir keeping state, identity and port.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { fetchToken, rawRequest, sdkClient, startTestEmulator } from "./server-harness.js";
import type { TestEmulator } from "./server-harness.js";

const REGISTRY_PATH =
  "/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/myregistry";

async function armGet(harness: TestEmulator, path: string, token: string) {
  return rawRequest(harness, "GET", path, { headers: { authorization: `Bearer ${token}` } });
}

describe("strict emulator", () => {
  let harness: TestEmulator;
  let token: string;
  let base: string;

  beforeAll(async () => {
    harness = await startTestEmulator();
    token = await fetchToken(harness);
    base = `/subscriptions/${harness.config.subscriptionId}`;
  });

  afterAll(async () => {
    await harness.stop();
  });

  test("binds 127.0.0.1 and writes emulator.json with every key a client needs", () => {
    const config = JSON.parse(readFileSync(join(harness.dataDir, "emulator.json"), "utf8"));
    expect(Object.keys(config)).toEqual([
      "armEndpoint",
      "activeDirectoryEndpoint",
      "audience",
      "tenantId",
      "subscriptionId",
      "clientId",
      "clientSecret",
      "caCertPath",
      "proxyUrl",
      "acrSuffix",
      "registries",
    ]);
    expect(config.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(config.activeDirectoryEndpoint).toBe(`${config.armEndpoint}/adfs`);
    expect(existsSync(config.caCertPath)).toBe(true);
    expect(statSync(join(harness.dataDir, "emulator.json")).mode & 0o077).toBe(0);
  });

  test("the api-versions clients send are served", async () => {
    for (const version of ["2022-02-01-preview", "2025-11-01"]) {
      const answer = await armGet(harness, `${base}${REGISTRY_PATH}?api-version=${version}`, token);
      expect(answer.status).toBe(200);
    }
    const tasks = await armGet(
      harness,
      `${base}${REGISTRY_PATH}/tasks?api-version=2019-06-01-preview`,
      token,
    );
    expect(tasks.status).toBe(200);
  });

  test(
    "a missing or unknown api-version is refused with ARM's " + "codes and names the switch",
    async () => {
      const missing = await armGet(harness, `${base}${REGISTRY_PATH}`, token);
      expect(missing.status).toBe(400);
      expect(missing.json()).toEqual({
        error: {
          code: "MissingApiVersionParameter",
          message: "The api-version query parameter (?api-version=) is required for all requests.",
        },
      });

      const unknown = await armGet(
        harness,
        `${base}${REGISTRY_PATH}?api-version=2099-01-01`,
        token,
      );
      expect(unknown.status).toBe(400);
      const body = unknown.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe("NoRegisteredProviderFound");
      expect(body.error.message).toContain("'2099-01-01' for type 'registries'");
      expect(body.error.message).toContain("--relax-api-versions");

      // A registry version on a Tasks path is not a Tasks version.
      const wrongGroup = await armGet(
        harness,
        `${base}${REGISTRY_PATH}/tasks?api-version=2025-11-01`,
        token,
      );
      expect((wrongGroup.json() as { error: { message: string } }).error.message).toContain(
        "for type 'registries/tasks'",
      );

      const resources = await armGet(
        harness,
        `${base}/resourcegroups?api-version=1999-01-01`,
        token,
      );
      expect((resources.json() as { error: { code: string } }).error.code).toBe(
        "InvalidApiVersionParameter",
      );
    },
  );

  test("unknown paths, wrong methods and bad JSON get ARM error bodies", async () => {
    const unknownType = await armGet(
      harness,
      `${base}${REGISTRY_PATH}/webhooks?api-version=2025-11-01`,
      token,
    );
    expect(unknownType.status).toBe(404);
    expect((unknownType.json() as { error: { code: string } }).error.code).toBe(
      "InvalidResourceType",
    );

    const post = await rawRequest(
      harness,
      "POST",
      `${base}${REGISTRY_PATH}?api-version=2025-11-01`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(post.status).toBe(405);

    const badJson = await rawRequest(
      harness,
      "PUT",
      `${base}/resourcegroups/rg-json?api-version=2021-04-01`,
      {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{not json",
      },
    );
    expect(badJson.status).toBe(400);
    expect((badJson.json() as { error: { code: string } }).error.code).toBe(
      "InvalidRequestContent",
    );

    const malformed = await armGet(
      harness,
      `/subscriptions/not-a-guid/resourcegroups?api-version=2021-04-01`,
      token,
    );
    expect(malformed.status).toBe(400);
    expect((malformed.json() as { error: { code: string } }).error.code).toBe(
      "InvalidSubscriptionId",
    );
  });

  test("answers carry ARM's envelope headers and echo the client request id", async () => {
    const answer = await rawRequest(
      harness,
      "GET",
      `${base}${REGISTRY_PATH}?api-version=2025-11-01`,
      {
        headers: { authorization: `Bearer ${token}`, "x-ms-client-request-id": "abc-123" },
      },
    );
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(answer.headers["cache-control"]).toBe("no-cache");
    expect(answer.headers["x-ms-client-request-id"]).toBe("abc-123");
    expect(answer.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("doubled slashes route normally (msrestazure asks for //metadata/endpoints)", async () => {
    const answer = await rawRequest(harness, "GET", "//metadata/endpoints?api-version=2015-01-01");
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      authentication: {
        loginEndpoint: `${harness.config.armEndpoint}/adfs`,
        audiences: [harness.config.audience],
      },
    });
  });
});

test("--relax-api-versions serves any version", async () => {
  const harness = await startTestEmulator({ relaxApiVersions: true, noDefaultRegistry: true });
  try {
    const token = await fetchToken(harness);
    const answer = await armGet(
      harness,
      `/subscriptions/${harness.config.subscriptionId}/resourcegroups?api-version=2099-01-01`,
      token,
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ value: [] });
    expect(harness.config.registries).toEqual([]);
  } finally {
    await harness.stop();
  }
});

test(
  "a restart keeps resources, identity, certificates and port; " +
    "a deleted default stays deleted",
  async () => {
    const harness = await startTestEmulator();
    try {
      const before = harness.config;
      const client = await sdkClient(harness);
      await client.registries.beginUpdateAndWait("myresourcegroup", "myregistry", {
        tags: { kept: "yes" },
      });
      const caBefore = readFileSync(before.caCertPath, "utf8");

      await harness.restart();
      expect(harness.config).toEqual(before);
      expect(readFileSync(harness.config.caCertPath, "utf8")).toBe(caBefore);
      const again = await sdkClient(harness);
      const registry = await again.registries.get("myresourcegroup", "myregistry");
      expect(registry.tags).toEqual({ kept: "yes" });

      await again.registries.beginDeleteAndWait("myresourcegroup", "myregistry");
      await harness.restart();
      expect(harness.config.registries).toEqual([]);
    } finally {
      await harness.stop();
    }
  },
);

test("a second emulator on the same data dir is refused until the first stops", async () => {
  const { startEmulator } = await import("../../src/emulator/emulator.js");
  const harness = await startTestEmulator({ noDefaultRegistry: true });
  try {
    await expect(
      startEmulator({ dataDir: harness.dataDir, runRegistries: false, runBlobStorage: false }),
    ).rejects.toThrow(
      `Another emulator (this process) is already running on '${harness.dataDir}'. Stop it ` +
        "first, or use another --data-dir.",
    );
    expect(readFileSync(join(harness.dataDir, "emulator.pid"), "utf8")).toBe(`${process.pid}\n`);

    await harness.restart();
    expect(harness.config.registries).toEqual([]);
  } finally {
    await harness.stop();
  }
});
