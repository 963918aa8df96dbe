// The token endpoint and the token checks on every ARM call: discovery under both authority
// forms, client credentials, and ARM's 401 answers for a missing, expired, foreign or
// wrong-audience token.

import { generateKeyPairSync } from "node:crypto";

import { loadIdentity, signJwt } from "../../src/emulator/server/identity.js";
import { fetchToken, rawRequest, sdkClient, startTestEmulator } from "./server-harness.js";
import type { TestEmulator } from "./server-harness.js";

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.stop();
});

function registryPath(): string {
  return (
    `/subscriptions/${harness.config.subscriptionId}/resourceGroups/myresourcegroup/providers/` +
    "Microsoft.ContainerRegistry/registries/myregistry?api-version=2025-11-01"
  );
}

async function getWith(authorization?: string) {
  return rawRequest(harness, "GET", registryPath(), {
    headers: authorization === undefined ? {} : { authorization },
  });
}

function claimsFor(overrides: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: harness.config.audience,
    iss: `${harness.config.armEndpoint}/adfs`,
    iat: now,
    nbf: now,
    exp: now + 600,
    tid: harness.config.tenantId,
    oid: harness.config.clientId,
    appid: harness.config.clientId,
    ...overrides,
  };
}

test("discovery documents for the adfs authority and the tenant's v2.0 authority", async () => {
  const origin = harness.config.armEndpoint;
  const adfs = (await rawRequest(harness, "GET", "/adfs/.well-known/openid-configuration")).json();
  expect(adfs).toMatchObject({
    issuer: `${origin}/adfs`,
    token_endpoint: `${origin}/adfs/oauth2/token`,
    authorization_endpoint: `${origin}/adfs/oauth2/authorize`,
    jwks_uri: `${origin}/adfs/discovery/keys`,
  });

  const tenant = harness.config.tenantId;
  const v2 = (
    await rawRequest(harness, "GET", `/${tenant}/v2.0/.well-known/openid-configuration`)
  ).json();
  expect(v2).toMatchObject({
    issuer: `${origin}/${tenant}/v2.0`,
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
  });

  const unknownTenant = await rawRequest(
    harness,
    "GET",
    "/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration",
  );
  expect(unknownTenant.status).toBe(400);
  expect(unknownTenant.json()).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
});

test(
  "tokens are RS256 JWTs for the asked resource, verifiable " + "with the published key",
  async () => {
    const { createPublicKey, verify } = await import("node:crypto");
    const token = await fetchToken(harness, `${harness.config.audience}/.default`);
    const [header, claims, signature] = token.split(".") as [string, string, string];

    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "RS256" });
    const decoded = JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(decoded).toMatchObject({
      aud: "https://management.acrtask.local",
      tid: harness.config.tenantId,
      appid: harness.config.clientId,
      idtyp: "app",
    });
    expect(decoded.exp).toBe((decoded.iat as number) + 3599);

    const keys = (await rawRequest(harness, "GET", "/adfs/discovery/keys")).json() as {
      keys: Record<string, string>[];
    };
    const key = createPublicKey({ key: keys.keys[0] as never, format: "jwk" });
    expect(
      verify(
        "sha256",
        Buffer.from(`${header}.${claims}`),
        key,
        Buffer.from(signature, "base64url"),
      ),
    ).toBe(true);
  },
);

test(
  "a wrong secret, an unknown client and another grant are " + "refused as Entra ID does",
  async () => {
    const { config } = harness;
    const post = (form: Record<string, string>) =>
      rawRequest(harness, "POST", "/adfs/oauth2/token", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    const scope = `${config.audience}/.default`;

    const wrongSecret = await post({
      grant_type: "client_credentials",
      client_id: config.clientId,
      client_secret: "nope",
      scope,
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json()).toMatchObject({ error: "invalid_client", error_codes: [7000215] });

    const unknownClient = await post({
      grant_type: "client_credentials",
      client_id: "99999999-9999-9999-9999-999999999999",
      client_secret: config.clientSecret,
      scope,
    });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.json()).toMatchObject({ error: "unauthorized_client" });

    const password = await post({ grant_type: "password", client_id: config.clientId, scope });
    expect(password.status).toBe(400);
    expect(password.json()).toMatchObject({ error: "unsupported_grant_type" });
  },
);

test("no token: 401 AuthenticationFailed with a WWW-Authenticate challenge", async () => {
  const answer = await getWith();
  expect(answer.status).toBe(401);
  expect(answer.headers["www-authenticate"]).toBe(
    `Bearer authorization_uri="${harness.config.armEndpoint}/adfs", error="invalid_token", ` +
      `error_description="Authentication failed. The 'Authorization' header is missing."`,
  );
  expect(answer.json()).toEqual({
    error: {
      code: "AuthenticationFailed",
      message: "Authentication failed. The 'Authorization' header is missing.",
    },
  });
});

test("an expired token: 401 ExpiredAuthenticationToken", async () => {
  const identity = loadIdentity(harness.dataDir);
  const past = Math.floor(Date.now() / 1000) - 7200;
  const token = signJwt(
    identity.privateKey,
    identity.keyId,
    claimsFor({ iat: past, nbf: past, exp: past + 3599 }),
  );

  const answer = await getWith(`Bearer ${token}`);
  expect(answer.status).toBe(401);
  const body = answer.json() as { error: { code: string; message: string } };
  expect(body.error.code).toBe("ExpiredAuthenticationToken");
  expect(body.error.message).toMatch(
    /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time '/,
  );
});

test("a token signed by anyone else: 401 InvalidAuthenticationToken", async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const identity = loadIdentity(harness.dataDir);
  const token = signJwt(privateKey, identity.keyId, claimsFor({}));

  const answer = await getWith(`Bearer ${token}`);
  expect(answer.status).toBe(401);
  expect((answer.json() as { error: { code: string } }).error.code).toBe(
    "InvalidAuthenticationToken",
  );

  const garbage = await getWith("Bearer not-a-jwt");
  expect(garbage.status).toBe(401);
  expect(garbage.json()).toEqual({
    error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." },
  });
});

test("a token for another resource: 401 InvalidAuthenticationTokenAudience", async () => {
  const token = await fetchToken(harness, "https://storage.azure.com/.default");
  const answer = await getWith(`Bearer ${token}`);
  expect(answer.status).toBe(401);
  expect((answer.json() as { error: { code: string } }).error.code).toBe(
    "InvalidAuthenticationTokenAudience",
  );
});

test("az's double-slash scope names the same audience", async () => {
  const token = await fetchToken(harness, `${harness.config.audience}/.default`);
  expect(harness.config.audience.endsWith("/")).toBe(true);
  const answer = await getWith(`Bearer ${token}`);
  expect(answer.status).toBe(200);
});

test("the SDK refuses to go on with a credential the emulator does not know", async () => {
  const { ClientSecretCredential } = await import("@azure/identity");
  const { httpClientFor } = await import("./server-harness.js");
  const credential = new ClientSecretCredential(
    harness.config.tenantId,
    harness.config.clientId,
    "wrong-secret",
    {
      authorityHost: harness.config.armEndpoint,
      disableInstanceDiscovery: true,
      httpClient: await httpClientFor(harness.agent),
    },
  );
  const client = await sdkClient(harness, { credential });
  await expect(client.registries.get("myresourcegroup", "myregistry")).rejects.toThrow(
    /AADSTS7000215/,
  );
});
