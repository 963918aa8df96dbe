import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import type { AccessToken, TokenCredential } from "@azure/core-auth";

import {
  CachingCredential,
  TOKEN_REFRESH_MARGIN_MS,
  authorityFor,
  describeAuthenticationFailure,
  environmentServicePrincipal,
  resetTokenStores,
  resourceToScopes,
  scopesToResource,
  tenantOfToken,
  tokenStoreFor,
} from "../../src/azure/credentials.js";
import { fakeContext, type FakeContext } from "./fake-context.js";

let context: FakeContext;

beforeEach(() => {
  resetTokenStores();
  context = fakeContext();
});

afterEach(() => {
  context.cleanup();
});

describe("authorities, as az builds them for MSAL", () => {
  test("public cloud: the tenant is appended, instance discovery stays on", () => {
    expect(authorityFor("https://login.microsoftonline.com/", "t1")).toEqual({
      authorityHost: "https://login.microsoftonline.com",
      tenantId: "t1",
      disableInstanceDiscovery: false,
    });
    expect(authorityFor("https://login.microsoftonline.com").tenantId).toBe("organizations");
  });

  test("ADFS: the tenant is dropped", () => {
    expect(authorityFor("https://127.0.0.1:8443/adfs", "t1")).toEqual({
      authorityHost: "https://127.0.0.1:8443",
      tenantId: "adfs",
      disableInstanceDiscovery: false,
    });
  });

  test("another host: no instance discovery (it would call the public cloud)", () => {
    expect(authorityFor("https://login.stack.local", "t1").disableInstanceDiscovery).toBe(true);
  });
});

test("scopes keep the resource's trailing slash, as az's do", () => {
  expect(resourceToScopes("https://management.core.windows.net/")).toEqual([
    "https://management.core.windows.net//.default",
  ]);
  expect(resourceToScopes("https://vault.azure.net")).toEqual(["https://vault.azure.net/.default"]);
  expect(scopesToResource(["https://management.core.windows.net//.default"])).toBe(
    "https://management.core.windows.net/",
  );
  expect(scopesToResource(["https://x/user_impersonation"])).toBe("https://x");
  expect(scopesToResource([])).toBeUndefined();
});

describe("the token cache", () => {
  function countingCredential(expiresInMs: number, clock: { now: number }) {
    const calls: string[][] = [];
    const credential: TokenCredential = {
      getToken: async (scopes): Promise<AccessToken> => {
        calls.push(Array.isArray(scopes) ? scopes : [scopes]);
        return { token: `token-${calls.length}`, expiresOnTimestamp: clock.now + expiresInMs };
      },
    };
    return { credential, calls };
  }

  test("a token is reused in the process and by the next process, until near expiry", async () => {
    const clock = { now: 1_000_000 };
    const { credential, calls } = countingCredential(3600_000, clock);
    const first = new CachingCredential(
      credential,
      "sp|app|t",
      tokenStoreFor(context.configDir, () => clock.now),
      () => clock.now,
    );

    expect((await first.getToken(["s//.default"])).token).toBe("token-1");
    expect((await first.getToken(["s//.default"])).token).toBe("token-1");
    expect(calls).toHaveLength(1);

    // A new process: nothing in memory, the file answers.
    resetTokenStores();
    const second = new CachingCredential(
      credential,
      "sp|app|t",
      tokenStoreFor(context.configDir, () => clock.now),
      () => clock.now,
    );
    expect((await second.getToken(["s//.default"])).token).toBe("token-1");
    expect(calls).toHaveLength(1);

    // Other scopes and other tenants are other tokens.
    await second.getToken(["other/.default"]);
    await second.getToken(["s//.default"], { tenantId: "t2" });
    expect(calls).toHaveLength(3);

    // Inside the refresh margin the credential is asked again.
    clock.now += 3600_000 - TOKEN_REFRESH_MARGIN_MS + 1;
    expect((await second.getToken(["s//.default"])).token).toBe("token-4");
  });

  test("the cache file is owner-only and holds no token after expiry", async () => {
    const clock = { now: 1_000_000 };
    const { credential } = countingCredential(60_000, clock);
    const cached = new CachingCredential(
      credential,
      "sp|app|t",
      tokenStoreFor(context.configDir, () => clock.now),
      () => clock.now,
    );
    await cached.getToken(["a"]);
    const path = join(context.configDir, "tokenCache.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toContain("token-1");

    clock.now += 120_000;
    await cached.getToken(["b"]);
    const file = readFileSync(path, "utf8");
    expect(file).not.toContain("token-1");
    expect(file).toContain("token-2");
  });

  test("forceRefresh (login) always asks, and claims challenges bypass the cache", async () => {
    const clock = { now: 0 };
    const { credential, calls } = countingCredential(3600_000, clock);
    const store = tokenStoreFor(context.configDir, () => clock.now);
    const login = new CachingCredential(credential, "k", store, () => clock.now, true);
    await login.getToken(["a"]);
    await login.getToken(["a"]);
    expect(calls).toHaveLength(2);

    const later = new CachingCredential(credential, "k", store, () => clock.now);
    expect((await later.getToken(["a"])).token).toBe("token-2");
    await later.getToken(["a"], { claims: "{}" });
    expect(calls).toHaveLength(3);
  });

  test("forget drops one identity's tokens", async () => {
    const clock = { now: 0 };
    const { credential, calls } = countingCredential(3600_000, clock);
    const store = tokenStoreFor(context.configDir, () => clock.now);
    await new CachingCredential(credential, "sp|a|t", store, () => clock.now).getToken(["x"]);
    await new CachingCredential(credential, "sp|b|t", store, () => clock.now).getToken(["x"]);
    store.forget("sp|a|");
    await new CachingCredential(credential, "sp|a|t", store, () => clock.now).getToken(["x"]);
    await new CachingCredential(credential, "sp|b|t", store, () => clock.now).getToken(["x"]);
    expect(calls).toHaveLength(3);
  });
});

describe("environment variables", () => {
  test("a complete set describes a service principal", () => {
    expect(
      environmentServicePrincipal({
        AZURE_CLIENT_ID: "app",
        AZURE_TENANT_ID: "t",
        AZURE_CLIENT_SECRET: "s",
        AZURE_SUBSCRIPTION_ID: "sub",
      }),
    ).toEqual({
      clientId: "app",
      tenantId: "t",
      secret: "s",
      subscriptionId: "sub",
      authorityHost: undefined,
      certificatePath: undefined,
      federatedTokenFile: undefined,
    });
  });

  test.each([
    [{ AZURE_CLIENT_ID: "app", AZURE_TENANT_ID: "t" }],
    [{ AZURE_CLIENT_ID: "app", AZURE_CLIENT_SECRET: "s" }],
    [{ AZURE_TENANT_ID: "t", AZURE_CLIENT_SECRET: "s" }],
    [{}],
  ])("an incomplete set does not: %j", (env) => {
    expect(environmentServicePrincipal(env)).toBeUndefined();
  });
});

test("the tenant of a token", () => {
  const payload = Buffer.from(JSON.stringify({ tid: "tenant-1" })).toString("base64url");
  expect(tenantOfToken(`eyJhbGciOiJub25lIn0.${payload}.sig`)).toBe("tenant-1");
  expect(tenantOfToken("not a token")).toBeUndefined();
});

describe("sign-in failures", () => {
  test("the server's description, then what to run", () => {
    const error = Object.assign(new Error("ClientSecretCredential authentication failed"), {
      name: "AuthenticationError",
      errorResponse: {
        error: "invalid_client",
        errorDescription:
          "AADSTS7000215: Invalid client secret provided. - Correlation ID: Not " +
          "Available - Trace ID: Not Available",
      },
    });
    expect(describeAuthenticationFailure(error)?.message).toBe(
      "AADSTS7000215: Invalid client secret provided.\n" +
        "Interactive authentication is needed. Please run:\naz login",
    );
  });

  test("other errors are not sign-in failures", () => {
    expect(describeAuthenticationFailure(new Error("socket hang up"))).toBeUndefined();
    expect(describeAuthenticationFailure(undefined)).toBeUndefined();
  });
});

test("the cache turns a refused sign-in into az's error", async () => {
  const refusing: TokenCredential = {
    getToken: async () => {
      throw Object.assign(new Error("AADSTS700016: Application not found."), {
        name: "AuthenticationError",
      });
    },
  };
  const cached = new CachingCredential(refusing, "sp|x|t", tokenStoreFor(context.configDir));
  await expect(cached.getToken(["a"])).rejects.toMatchObject({
    message:
      "AADSTS700016: Application not found.\nInteractive authentication is needed. " +
      "Please run:\naz login",
    exitCode: 1,
  });
  const unavailable = new CachingCredential(
    {
      getToken: async () => {
        throw Object.assign(new Error("ManagedIdentityCredential: no endpoint"), {
          name: "CredentialUnavailableError",
        });
      },
    },
    "msi|MSI|",
    tokenStoreFor(context.configDir),
  );
  await expect(unavailable.getToken(["a"])).rejects.toThrow(
    "ManagedIdentityCredential: no endpoint\nInteractive authentication is needed.",
  );
});
