// Registries backed by real distribution processes and Blob storage by Azurite, through the
// SDK: a created registry answers on its login server with the credentials listCredentials
// gives, deleting it stops it, a restart brings it back, and the Tasks surface's blob links
// come from the running Azurite.

import { request } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Agent } from "node:https";

import { sdkClient, startTestEmulator } from "./server-harness.js";
import type { TestEmulator } from "./server-harness.js";
import { fetchToken, proxiedAgent, rawRequest } from "./server-harness.js";

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator({ runRegistries: true, runBlobStorage: true });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/** One HTTPS call to a blob URL through `agent`. */
function blobCall(
  url: string,
  method: string,
  agent: Agent,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(url, { method, agent, headers }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** GET /v2/ on a registry's login server (`localhost:<port>`), with basic auth if given. */
function registryPing(loginServer: string, auth?: { username: string; password: string }) {
  const [host, port] = loginServer.split(":");
  const headers: Record<string, string> = {};
  if (auth !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      { host: host === "localhost" ? "127.0.0.1" : host, port, path: "/v2/", headers },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

test(
  "the default registry is a running distribution registry " + "guarded by its admin user",
  async () => {
    const client = await sdkClient(harness);
    const registry = await client.registries.get("myresourcegroup", "myregistry");
    expect(registry.loginServer).toMatch(/^localhost:\d+$/);
    expect(harness.config.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const credentials = await client.registries.listCredentials("myresourcegroup", "myregistry");
    const password = credentials.passwords?.[0]?.value ?? "";
    expect(await registryPing(registry.loginServer!)).toBe(401);
    expect(await registryPing(registry.loginServer!, { username: "myregistry", password })).toBe(
      200,
    );
    expect(
      await registryPing(registry.loginServer!, { username: "myregistry", password: "wrong" }),
    ).toBe(401);
  },
);

test("create starts a registry, delete stops it and a restart brings the others back", async () => {
  const client = await sdkClient(harness);
  const token = await fetchToken(harness);
  const put = await rawRequest(
    harness,
    "PUT",
    `/subscriptions/${harness.config.subscriptionId}/resourcegroups/rg-live?api-version=2021-04-01`,
    {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ location: "westus" }),
    },
  );
  expect(put.status).toBe(201);

  const created = await client.registries.beginCreateAndWait("rg-live", "liveregistry1", {
    location: "westus",
    sku: { name: "Standard" },
    adminUserEnabled: true,
  });
  expect(created.loginServer).toMatch(/^localhost:\d+$/);
  expect(await registryPing(created.loginServer!)).toBe(401);

  await client.registries.beginDeleteAndWait("rg-live", "liveregistry1");
  await expect(registryPing(created.loginServer!)).rejects.toThrow(/ECONNREFUSED/);

  const before = await client.registries.get("myresourcegroup", "myregistry");
  await harness.restart();
  const again = await sdkClient(harness);
  const after = await again.registries.get("myresourcegroup", "myregistry");
  expect(await registryPing(after.loginServer!)).toBe(401);
  expect(after.loginServer).toBe(before.loginServer);
  expect(harness.config.registries).toEqual([
    { name: "myregistry", loginServer: after.loginServer, resourceGroup: "myresourcegroup" },
  ]);
}, 60_000);

test("listBuildSourceUploadUrl answers with a link to the running Blob storage", async () => {
  const client = await sdkClient(harness);
  const upload = await client.registries.getBuildSourceUploadUrl("myresourcegroup", "myregistry");
  expect(upload.relativePath).toMatch(/^source\/\d{12}\/[0-9a-f-]{36}\.tar\.gz$/);
  expect(upload.uploadUrl).toMatch(
    /^https:\/\/[a-z0-9]+\.blob\.localhost\/myregistry\/source\/\d{12}\/[0-9a-f-]{36}\.tar\.gz\?.*sig=/,
  );

  // The link works as az uses it: one PUT of the archive, through the blob proxy.
  const archive = Buffer.from("not really a tarball");
  const agent = proxiedAgent(harness);
  const put = await blobCall(upload.uploadUrl!, "PUT", agent, archive, {
    "x-ms-blob-type": "BlockBlob",
    "content-length": String(archive.length),
  });
  expect(put.status).toBe(201);

  const readLink = upload.uploadUrl!.replace(/([?&])sp=[^&]*/, "$1sp=r");
  const refused = await blobCall(readLink, "HEAD", agent);
  expect(refused.status).toBe(403);
});
