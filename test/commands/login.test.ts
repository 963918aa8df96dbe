import nock from "nock";

import { run as login } from "../../src/commands/login.js";
import { run as show } from "../../src/commands/account/show.js";
import { run as getAccessToken } from "../../src/commands/account/get-access-token.js";
import { resetTokenStores } from "../../src/azure/credentials.js";
import { loadServicePrincipals } from "../../src/azure/profile.js";
import { azCapture, azJson, fakeContext, type FakeContext } from "../azure/fake-context.js";

const TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const SECRET = "s3cret-Value~1";
const LOGIN = "https://login.microsoftonline.com";
const ARM = "https://management.azure.com";

const TOKEN =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." +
  Buffer.from(
    JSON.stringify({ tid: TENANT, aud: "https://management.core.windows.net/" }),
  ).toString("base64url") +
  ".c2lnbmF0dXJl";

const LISTING = {
  value: [
    {
      id: "/subscriptions/00000000-1111-2222-3333-444444444444",
      authorizationSource: "RoleBased",
      managedByTenants: [],
      subscriptionId: "00000000-1111-2222-3333-444444444444",
      tenantId: TENANT,
      displayName: "Stub Subscription",
      state: "Enabled",
    },
    {
      id: "/subscriptions/55555555-6666-7777-8888-999999999999",
      managedByTenants: [{ tenantId: "abababab-0000-4000-8000-000000000001" }],
      subscriptionId: "55555555-6666-7777-8888-999999999999",
      tenantId: TENANT,
      displayName: "Second Sub",
      state: "Disabled",
    },
  ],
};

/**
 * Entra ID's token endpoint for one tenant. MSAL knows the public cloud's metadata, so there is
 * no discovery request.
 */
function entraId(tokenReply: (form: URLSearchParams) => [number, object]) {
  const forms: URLSearchParams[] = [];
  const scope = nock(LOGIN)
    .post(`/${TENANT}/oauth2/v2.0/token`)
    .query(true)
    .reply((_uri, body) => {
      const form = new URLSearchParams(String(body));
      forms.push(form);
      return tokenReply(form);
    });
  return { scope, forms };
}

const tokenAnswer = (): [number, object] => [
  200,
  { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: TOKEN },
];

let context: FakeContext;

beforeAll(() => {
  nock.disableNetConnect();
});

afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(() => {
  resetTokenStores();
  context = fakeContext({ commandName: "login" });
});

afterEach(() => {
  nock.cleanAll();
  context.cleanup();
});

/** The az capture against the local cloud, as it reads for the public cloud. */
function expectedLogin(): string {
  return azCapture("login-sp").stdout.replace(/"LocalStub"/g, '"AzureCloud"');
}

test("service principal with a secret: token, subscription listing, az's output", async () => {
  const { scope: entra, forms } = entraId(tokenAnswer);
  const arm = nock(ARM, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
    .get("/subscriptions")
    .query({ "api-version": "2019-11-01" })
    .reply(200, LISTING);

  const result = await login(
    { servicePrincipal: true, username: CLIENT, password: SECRET, tenant: TENANT },
    context,
  );

  expect(azJson(result)).toBe(expectedLogin());
  expect(context.warnings).toEqual([]);
  expect(forms).toHaveLength(1);
  expect(forms[0].get("grant_type")).toBe("client_credentials");
  expect(forms[0].get("client_id")).toBe(CLIENT);
  expect(forms[0].get("client_secret")).toBe(SECRET);
  // az's scope for ARM keeps the audience's trailing slash.
  expect(forms[0].get("scope")).toBe("https://management.core.windows.net//.default");
  expect(loadServicePrincipals(context.configDir)).toEqual([
    { client_id: CLIENT, tenant: TENANT, client_secret: SECRET },
  ]);
  expect(entra.isDone()).toBe(true);
  expect(arm.isDone()).toBe(true);

  // The next commands sign in from the cache: no token request (the network is closed).
  resetTokenStores();
  const account = await show({}, fakeContext({ configDir: context.configDir }));
  expect(azJson(account)).toBe(
    azCapture("account-show").stdout.replace(/"LocalStub"/g, '"AzureCloud"'),
  );
  const token = (await getAccessToken({}, fakeContext({ configDir: context.configDir }))) as Record<
    string,
    unknown
  >;
  expect(token.accessToken).toBe(TOKEN);
  expect(Object.keys(token).sort()).toEqual([
    "accessToken",
    "expiresOn",
    "subscription",
    "tenant",
    "tokenType",
  ]);
  expect(token.expiresOn).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000000$/);
});

test("a federated token is sent as the client assertion", async () => {
  const { scope: entra, forms } = entraId(tokenAnswer);
  const arm = nock(ARM).get("/subscriptions").query(true).reply(200, LISTING);

  await login(
    { servicePrincipal: true, username: CLIENT, federatedToken: "federated.jwt", tenant: TENANT },
    context,
  );

  expect(forms[0].get("client_assertion")).toBe("federated.jwt");
  expect(forms[0].get("client_assertion_type")).toBe(
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  );
  expect(forms[0].get("client_secret")).toBeNull();
  expect(loadServicePrincipals(context.configDir)[0]).toEqual({
    client_id: CLIENT,
    tenant: TENANT,
    client_assertion: "federated.jwt",
  });
  expect(entra.isDone() && arm.isDone()).toBe(true);
});

test("a refused secret is az's error, and nothing is stored", async () => {
  const { scope: entra } = entraId(() => [
    401,
    {
      error: "invalid_client",
      error_description: "AADSTS7000215: Invalid client secret provided.",
      error_codes: [7000215],
    },
  ]);

  await expect(
    login({ servicePrincipal: true, username: CLIENT, password: "wrong", tenant: TENANT }, context),
  ).rejects.toThrow(
    azCapture("login-wrong-secret")
      .stderr.replace(/^ERROR: /, "")
      .trimEnd(),
  );
  expect(loadServicePrincipals(context.configDir)).toEqual([]);
  expect(entra.isDone()).toBe(true);
});

test("pages of subscriptions are followed; none at all is an error", async () => {
  entraId(tokenAnswer);
  const arm = nock(ARM)
    .get("/subscriptions")
    .query({ "api-version": "2019-11-01" })
    .reply(200, { value: [LISTING.value[0]], nextLink: `${ARM}/subscriptions?page=2` })
    .get("/subscriptions")
    .query({ page: "2" })
    .reply(200, { value: [LISTING.value[1]] });

  const result = (await login(
    { servicePrincipal: true, username: CLIENT, password: SECRET, tenant: TENANT },
    context,
  )) as unknown[];
  expect(result).toHaveLength(2);
  expect(arm.isDone()).toBe(true);

  // login always asks for a new token, as az does.
  resetTokenStores();
  const secondSignIn = entraId(tokenAnswer).scope;
  const empty = nock(ARM).get("/subscriptions").query(true).reply(200, { value: [] });
  await expect(
    login(
      { servicePrincipal: true, username: CLIENT, password: SECRET, tenant: TENANT },
      fakeContext({ configDir: context.configDir }),
    ),
  ).rejects.toThrow(`No subscriptions found for ${CLIENT}.`);
  expect(empty.isDone() && secondSignIn.isDone()).toBe(true);
});

test("--allow-no-subscriptions signs in to the tenant itself", async () => {
  entraId(tokenAnswer);
  const arm = nock(ARM).get("/subscriptions").query(true).reply(200, { value: [] });

  const result = await login(
    {
      servicePrincipal: true,
      username: CLIENT,
      password: SECRET,
      tenant: TENANT,
      allowNoSubscriptions: true,
    },
    context,
  );
  expect(result).toEqual([
    {
      id: TENANT,
      name: "N/A(tenant level account)",
      state: "Enabled",
      user: { name: CLIENT, type: "servicePrincipal" },
      isDefault: true,
      tenantId: TENANT,
      cloudName: "AzureCloud",
    },
  ]);
  expect(arm.isDone()).toBe(true);
});

test("an ARM error while listing is printed as az prints ARM errors", async () => {
  entraId(tokenAnswer);
  nock(ARM)
    .get("/subscriptions")
    .query(true)
    .reply(403, { error: { code: "AuthorizationFailed", message: "No access." } });

  await expect(
    login({ servicePrincipal: true, username: CLIENT, password: SECRET, tenant: TENANT }, context),
  ).rejects.toMatchObject({
    message: "(AuthorizationFailed) No access.\nCode: AuthorizationFailed\nMessage: No access.",
    exitCode: 1,
  });
});

test.each([
  [
    { identity: true, password: "x" },
    "usage error: '--identity' is not applicable with other arguments",
  ],
  [
    { useDeviceCode: true, username: "u" },
    "usage error: '--use-device-code' is not applicable with other arguments",
  ],
  [
    { useCertSnIssuer: true, username: "u", password: "p" },
    "usage error: '--use-sn-issuer' is only applicable with a service principal",
  ],
  [
    { servicePrincipal: true },
    "usage error: --service-principal --username NAME --password SECRET --tenant TENANT",
  ],
  [
    { servicePrincipal: true, username: CLIENT },
    "Please specify both username and password in non-interactive mode.",
  ],
])("usage errors before any request: %j", async (options, message) => {
  await expect(login({ tenant: TENANT, ...options }, context)).rejects.toThrow(message);
});

test("a tenant given by domain name is resolved through OpenID discovery", async () => {
  const discovery = nock(LOGIN)
    .get("/contoso.onmicrosoft.com/.well-known/openid-configuration")
    .reply(200, { issuer: `https://sts.windows.net/${TENANT}/` });
  const { scope: entra, forms } = entraId(tokenAnswer);
  nock(ARM).get("/subscriptions").query(true).reply(200, LISTING);

  const result = (await login(
    {
      servicePrincipal: true,
      username: CLIENT,
      password: SECRET,
      tenant: "contoso.onmicrosoft.com",
    },
    context,
  )) as { tenantId: string }[];

  expect(result[0].tenantId).toBe(TENANT);
  expect(forms).toHaveLength(1);
  expect(discovery.isDone() && entra.isDone()).toBe(true);
});

describe("a user, with a device code", () => {
  const USER_OID = "99999999-8888-7777-6666-555555555555";
  const OTHER_TENANT = "abababab-0000-4000-8000-000000000001";

  function idToken(tenant: string): string {
    const claims = {
      aud: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      iss: `${LOGIN}/${tenant}/v2.0`,
      iat: 1,
      nbf: 1,
      exp: 4102444800,
      oid: USER_OID,
      preferred_username: "john@contoso.com",
      sub: "s",
      tid: tenant,
      ver: "2.0",
    };
    return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
  }

  function userTokens(tenant: string) {
    return {
      token_type: "Bearer",
      scope: "https://management.core.windows.net//user_impersonation",
      expires_in: 3599,
      access_token: `${TOKEN}-${tenant}`,
      refresh_token: `refresh-${tenant}`,
      id_token: idToken(tenant),
      client_info: Buffer.from(JSON.stringify({ uid: USER_OID, utid: TENANT })).toString(
        "base64url",
      ),
    };
  }

  test(
    "signs in, walks every tenant, warns about empty ones, " + "prints the subscriptions",
    async () => {
      const grants: string[] = [];
      const entra = nock(LOGIN)
        .post("/organizations/oauth2/v2.0/devicecode")
        .query(true)
        .reply(200, {
          device_code: "device-code-1",
          user_code: "ABCD-EFGH",
          verification_uri: "https://microsoft.com/devicelogin",
          expires_in: 900,
          interval: 1,
          message:
            "To sign in, use a web browser to open the page " +
            "https://microsoft.com/devicelogin and enter the code ABCD-EFGH to " +
            "authenticate.",
        })
        .post("/organizations/oauth2/v2.0/token")
        .query(true)
        .reply((_uri, body) => {
          grants.push(new URLSearchParams(String(body)).get("grant_type") ?? "");
          return [200, userTokens(TENANT)];
        })
        .post(`/${TENANT}/oauth2/v2.0/token`)
        .query(true)
        .reply((_uri, body) => {
          grants.push(new URLSearchParams(String(body)).get("grant_type") ?? "");
          return [200, userTokens(TENANT)];
        })
        .post(`/${OTHER_TENANT}/oauth2/v2.0/token`)
        .query(true)
        .reply((_uri, body) => {
          grants.push(new URLSearchParams(String(body)).get("grant_type") ?? "");
          return [200, userTokens(OTHER_TENANT)];
        });
      const arm = nock(ARM)
        .get("/tenants")
        .query({ "api-version": "2019-11-01" })
        .reply(200, {
          value: [
            { tenantId: TENANT, displayName: "Contoso" },
            { tenantId: OTHER_TENANT, displayName: "Fabrikam" },
          ],
        })
        .get("/subscriptions")
        .query({ "api-version": "2019-11-01" })
        .reply(200, LISTING)
        .get("/subscriptions")
        .query({ "api-version": "2019-11-01" })
        .reply(200, { value: [] });

      const result = (await login({}, context)) as Record<string, unknown>[];

      expect(context.stderrText).toEqual([
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin " +
          "and enter the code ABCD-EFGH to authenticate.\n",
      ]);
      expect(context.warnings).toEqual([
        "The following tenants don't contain accessible subscriptions. Use 'az login " +
          "--allow-no-subscriptions' to have tenant level access.",
        `${OTHER_TENANT} 'Fabrikam'`,
      ]);
      expect(result.map((account) => [account.id, account.isDefault, account.user])).toEqual([
        ["00000000-1111-2222-3333-444444444444", true, { name: "john@contoso.com", type: "user" }],
        ["55555555-6666-7777-8888-999999999999", false, { name: "john@contoso.com", type: "user" }],
      ]);
      // One device code sign-in; every tenant's token then comes from the refresh token.
      expect(grants).toEqual(["device_code", "refresh_token", "refresh_token"]);
      expect(entra.isDone() && arm.isDone()).toBe(true);

      // Later commands use the cached refresh token (the latest one issued), silently, in a new
      // process.
      resetTokenStores();
      const refreshTokens: (string | null)[] = [];
      const refresh = nock(LOGIN)
        .post(`/${TENANT}/oauth2/v2.0/token`)
        .query(true)
        .reply((_uri, body) => {
          refreshTokens.push(new URLSearchParams(String(body)).get("refresh_token"));
          return [200, userTokens(TENANT)];
        });
      const token = (await getAccessToken(
        { resource: "https://vault.azure.net" },
        fakeContext({ configDir: context.configDir }),
      )) as { accessToken: string };
      expect(token.accessToken).toBe(`${TOKEN}-${TENANT}`);
      expect(refreshTokens).toEqual([`refresh-${OTHER_TENANT}`]);
      expect(refresh.isDone()).toBe(true);

      // The refresh token lives only in the owner-only MSAL cache file.
      const { readFileSync, readdirSync, statSync } = await import("node:fs");
      const { join } = await import("node:path");
      for (const name of readdirSync(context.configDir)) {
        const path = join(context.configDir, name);
        expect({ name, mode: statSync(path).mode & 0o777 }).toEqual({ name, mode: 0o600 });
        expect({ name, refresh: readFileSync(path, "utf8").includes("refresh-") }).toEqual({
          name,
          refresh: name === "msalTokenCache.json",
        });
      }
    },
  );
});

describe("a managed identity", () => {
  const IMDS = "http://169.254.169.254";

  test("system-assigned: token from IMDS, tenant from the token, az's account naming", async () => {
    const imds = nock(IMDS, { reqheaders: { metadata: "true" } })
      .get("/metadata/identity/oauth2/token")
      .query((query) => query.resource === "https://management.core.windows.net/")
      .reply(200, {
        access_token: TOKEN,
        expires_in: "3599",
        expires_on: String(Math.floor(Date.now() / 1000) + 3599),
        resource: "https://management.core.windows.net/",
        token_type: "Bearer",
      });
    const arm = nock(ARM, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get("/subscriptions")
      .query(true)
      .reply(200, { value: [LISTING.value[0]] });

    const result = (await login({ identity: true }, context)) as Record<string, unknown>[];
    expect(result).toEqual([
      {
        id: "00000000-1111-2222-3333-444444444444",
        name: "Stub Subscription",
        state: "Enabled",
        user: {
          name: "systemAssignedIdentity",
          type: "servicePrincipal",
          assignedIdentityInfo: "MSI",
        },
        isDefault: true,
        tenantId: TENANT,
        homeTenantId: TENANT,
        managedByTenants: [],
        cloudName: "AzureCloud",
      },
    ]);
    expect(imds.isDone() && arm.isDone()).toBe(true);

    // get-access-token for a managed identity refuses --tenant, as az does.
    await expect(
      getAccessToken({ tenant: TENANT }, fakeContext({ configDir: context.configDir })),
    ).rejects.toThrow("Tenant shouldn't be specified for managed identity account");
  });
});
