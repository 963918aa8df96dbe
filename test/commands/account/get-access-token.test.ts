import type { AccessToken } from "@azure/core-auth";
import nock from "nock";

import { resetTokenStores } from "../../../src/azure/credentials.js";
import { formatExpiresOn, run } from "../../../src/commands/account/get-access-token.js";
import {
  TEST_CLIENT,
  TEST_SECRET,
  TEST_TENANT,
  azCapture,
  fakeContext,
  seedSignedIn,
  type FakeContext,
} from "../../azure/fake-context.js";

const ARM = "https://127.0.0.1:18443";

let context: FakeContext;

beforeAll(() => {
  nock.disableNetConnect();
});

afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(async () => {
  resetTokenStores();
  context = fakeContext();
  await seedSignedIn(context);
});

afterEach(() => {
  nock.cleanAll();
  context.cleanup();
});

/** The ADFS authority of the local cloud: discovery once, then client-credential tokens. */
function tokenService(discoveries = 1, tokens = 1): { scope: nock.Scope; scopes: string[] } {
  const scopes: string[] = [];
  const scope = nock(ARM)
    .get("/adfs/.well-known/openid-configuration")
    .times(discoveries)
    .reply(200, {
      issuer: `${ARM}/adfs`,
      authorization_endpoint: `${ARM}/adfs/oauth2/authorize`,
      token_endpoint: `${ARM}/adfs/oauth2/token`,
      jwks_uri: `${ARM}/adfs/discovery/keys`,
    })
    .post("/adfs/oauth2/token")
    .query(true)
    .times(tokens)
    .reply((_uri, body) => {
      const form = new URLSearchParams(String(body));
      expect(form.get("client_id")).toBe(TEST_CLIENT);
      expect(form.get("client_secret")).toBe(TEST_SECRET);
      scopes.push(form.get("scope") ?? "");
      return [
        200,
        { token_type: "Bearer", expires_in: 3599, access_token: `token-${scopes.length}` },
      ];
    });
  return { scope, scopes };
}

test("the ARM token of the current account, in az's shape", async () => {
  const { scope, scopes } = tokenService();
  const result = (await run({}, context)) as Record<string, unknown>;
  const expected = JSON.parse(azCapture("get-access-token").stdout);

  expect(Object.keys(result).sort()).toEqual(Object.keys(expected).sort());
  expect(result).toMatchObject({
    accessToken: "token-1",
    subscription: expected.subscription,
    tenant: expected.tenant,
    tokenType: "Bearer",
  });
  expect(scopes).toEqual(["https://management.local.test//.default"]);

  // A second command in the same process is answered from the cache.
  resetTokenStores();
  expect(
    ((await run({}, fakeContext({ configDir: context.configDir }))) as { accessToken: string })
      .accessToken,
  ).toBe("token-1");
  expect(scope.isDone()).toBe(true);
});

test("--tenant: no subscription in the output", async () => {
  const { scope } = tokenService();
  const result = (await run({ tenant: TEST_TENANT }, context)) as Record<string, unknown>;
  const expected = JSON.parse(azCapture("get-access-token-tenant").stdout);
  expect(Object.keys(result).sort()).toEqual(Object.keys(expected).sort());
  expect(result.tenant).toBe(TEST_TENANT);
  expect(scope.isDone()).toBe(true);
});

test("--resource and --scope choose the scope; the cache answers repeats", async () => {
  // Each command builds its credential afresh, so MSAL discovers the authority once per command.
  const { scope, scopes } = tokenService(2, 2);
  await run({ resource: "https://vault.azure.net" }, context);
  await run({ scope: ["https://x/.default"] }, context);
  resetTokenStores();
  expect((await run({ resource: "https://vault.azure.net" }, context)) as object).toMatchObject({
    accessToken: "token-1",
  });
  expect(scopes).toEqual(["https://vault.azure.net/.default", "https://x/.default"]);
  expect(scope.isDone()).toBe(true);
});

test("az's errors", async () => {
  await expect(run({ subscription: "x", tenant: "y" }, context)).rejects.toThrow(
    azCapture("get-access-token-both")
      .stderr.replace(/^ERROR: /, "")
      .trim(),
  );
  await expect(run({ resourceType: "ms-graph" }, context)).rejects.toThrow(
    azCapture("get-access-token-graph")
      .stderr.replace(/^ERROR: /, "")
      .replace("<config dir>", context.configDir)
      .trim(),
  );
});

test("expiresOn is Python's local-time strftime of whole seconds", () => {
  const seconds = Date.UTC(2026, 11, 4, 7, 44, 55) / 1000;
  const expected = new Date(seconds * 1000);
  const local = `${expected.getFullYear()}-12-0${expected.getDate()} ${String(expected.getHours()).padStart(2, "0")}:${String(expected.getMinutes()).padStart(2, "0")}:55.000000`;
  expect(formatExpiresOn(seconds)).toBe(local);
  const token: AccessToken = { token: "t", expiresOnTimestamp: seconds * 1000 + 999 };
  expect(formatExpiresOn(Math.trunc(token.expiresOnTimestamp / 1000))).toBe(local);
});
