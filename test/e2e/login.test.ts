// The built CLI (bin/acrtask, after `npm run build`) through the whole sign-in flow against a
// local HTTPS sign-in server whose CA is made here, compared with what the real az 2.45 printed
// for the same flow (test/fixtures/signin/az, recorded with capture.sh beside them).

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { azCapture } from "../azure/fake-context.js";
import {
  createTestCertificates,
  startSigninServer,
  type SigninServer,
  type TestCertificates,
} from "../azure/signin-server.js";

const ROOT = join(__dirname, "..", "..");
const TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const SECRET = "s3cret-Value~1";
/** Where the az captures' server listened; ours listens on a free port. */
const CAPTURED_URL = "https://127.0.0.1:18443";

interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
}

let workDir: string;
let configDir: string;
let certificates: TestCertificates;
let server: SigninServer;

function acrtask(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin", "acrtask"), ...args],
      {
        cwd: workDir,
        env: {
          PATH: process.env.PATH,
          HOME: workDir,
          TZ: "UTC",
          NODE_EXTRA_CA_CERTS: certificates.caCertPath,
          ACRTASK_CONFIG_DIR: configDir,
          AZURE_CORE_ERROR_RECOMMENDATION: "off",
        },
      },
      (error, stdout, stderr) => {
        const rc = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ stdout, stderr, rc });
      },
    );
  });
}

/** The az capture with the server's address of this run. */
function az(name: string): Outcome {
  const capture = azCapture(name);
  const local = (text: string) =>
    text.replaceAll(CAPTURED_URL, server.url).replaceAll("<config dir>", configDir);
  return { stdout: local(capture.stdout), stderr: local(capture.stderr), rc: capture.rc };
}

/** A fresh config directory with the local cloud registered and active. */
async function useLocalCloud(name: string): Promise<void> {
  configDir = join(workDir, name);
  const register = await acrtask(
    "cloud", "register", "--name", "LocalStub",
    "--endpoint-resource-manager", `${server.url}/`,
    "--endpoint-active-directory", `${server.url}/adfs`,
    "--endpoint-active-directory-resource-id", "https://management.local.test/",
    "--endpoint-active-directory-graph-resource-id", "https://graph.local.test/",
  ); // prettier-ignore
  expect(register.rc).toBe(0);
  expect((await acrtask("cloud", "set", "--name", "LocalStub")).rc).toBe(0);
}

function tokenRequests(): number {
  return server.requests.filter((request) => request.path.includes("/oauth2/")).length;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) {
    throw new Error("dist/cli.js is missing: run `npm run build` before the end-to-end tests");
  }
  workDir = mkdtempSync(join(tmpdir(), "acrtask-e2e-login-"));
  configDir = join(workDir, "config");
  certificates = createTestCertificates(workDir);
  server = await startSigninServer({
    certificates,
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    subscriptions: [
      {
        subscriptionId: "00000000-1111-2222-3333-444444444444",
        displayName: "Stub Subscription",
        tenantId: TENANT,
      },
      {
        subscriptionId: "55555555-6666-7777-8888-999999999999",
        displayName: "Second Sub",
        tenantId: TENANT,
        state: "Disabled",
        managedByTenants: ["abababab-0000-4000-8000-000000000001"],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

// One flow, in the order the az captures were made: each step depends on the previous ones.
test("the sign-in flow prints what az 2.45 prints", async () => {
  const expectSame = async (capture: string, ...args: string[]) => {
    expect({ capture, ...(await acrtask(...args)) }).toEqual({ capture, ...az(capture) });
  };

  await expectSame("cloud-show-default", "cloud", "show");
  await expectSame("cloud-list-default", "cloud", "list");
  await expectSame(
    "cloud-register",
    "cloud",
    "register",
    "--name",
    "LocalStub",
    "--endpoint-resource-manager",
    `${server.url}/`,
    "--endpoint-active-directory",
    `${server.url}/adfs`,
    "--endpoint-active-directory-resource-id",
    "https://management.local.test/",
    "--endpoint-active-directory-graph-resource-id",
    "https://graph.local.test/",
    "--suffix-acr-login-server-endpoint",
    ".azurecr.io",
  );
  await expectSame(
    "cloud-register-again",
    "cloud",
    "register",
    "--name",
    "LocalStub",
    "--endpoint-resource-manager",
    `${server.url}/`,
  );
  await expectSame("cloud-register-missing", "cloud", "register", "--name", "Incomplete");
  await expectSame("cloud-set", "cloud", "set", "--name", "LocalStub");
  await expectSame("account-show-logged-out", "account", "show");
  await expectSame("account-list-logged-out", "account", "list");

  const refused = await acrtask(
    "login", "--service-principal", "-u", CLIENT, "-p", "wrong", "--tenant", TENANT,
  ); // prettier-ignore
  expect(refused).toEqual(az("login-wrong-secret"));

  await expectSame(
    "login-sp",
    "login", "--service-principal", "-u", CLIENT, "-p", SECRET, "--tenant", TENANT,
  ); // prettier-ignore
  const afterLogin = tokenRequests();

  await expectSame("account-show", "account", "show");
  await expectSame("account-show-by-name", "account", "show", "-s", "second SUB");
  await expectSame("account-show-unknown", "account", "show", "-s", "nope");
  await expectSame("account-list", "account", "list");
  await expectSame("account-list-all", "account", "list", "--all");
  await expectSame("account-list-table", "account", "list", "-o", "table");

  // get-access-token: az's keys; the token is the one the server issued at login, from the
  // cache, in a new process, without a token request.
  const token = await acrtask("account", "get-access-token");
  expect(token.rc).toBe(0);
  const printed = JSON.parse(token.stdout);
  const expected = JSON.parse(az("get-access-token").stdout);
  expect(Object.keys(printed).sort()).toEqual(Object.keys(expected).sort());
  expect(printed).toMatchObject({
    subscription: expected.subscription,
    tenant: expected.tenant,
    tokenType: "Bearer",
  });
  expect(server.issuedTokens).toContain(printed.accessToken);
  expect(printed.expiresOn).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000000$/);
  expect(tokenRequests()).toBe(afterLogin);

  const byTenant = JSON.parse(
    (await acrtask("account", "get-access-token", "--tenant", TENANT)).stdout,
  );
  expect(Object.keys(byTenant).sort()).toEqual(
    Object.keys(JSON.parse(az("get-access-token-tenant").stdout)).sort(),
  );

  await expectSame(
    "get-access-token-both",
    "account",
    "get-access-token",
    "-s",
    "x",
    "--tenant",
    "y",
  );
  await expectSame(
    "get-access-token-graph",
    "account",
    "get-access-token",
    "--resource-type",
    "ms-graph",
  );
  await expectSame("account-set-unknown", "account", "set", "-s", "SECOND");
  await expectSame("account-set", "account", "set", "-s", "Second Sub");
  await expectSame("account-show-after-set", "account", "show");
  await expectSame("cloud-show", "cloud", "show");
  await expectSame(
    "cloud-update",
    "cloud",
    "update",
    "--suffix-acr-login-server-endpoint",
    ".azurecr.local",
  );
  await expectSame("cloud-show-updated", "cloud", "show", "-n", "LocalStub", "--query", "suffixes");
  await expectSame(
    "cloud-register-short",
    "cloud",
    "register",
    "-n",
    "Short",
    "--endpoint-resource-manager",
    `${server.url}/`,
    "--suffix-acr-login-server-endpoint",
    ".azurecr.io",
  );
  await expectSame("cloud-show-short", "cloud", "show", "-n", "Short");
  await expectSame("cloud-unregister", "cloud", "unregister", "-n", "Short");
  await expectSame("cloud-unregister-again", "cloud", "unregister", "-n", "Short");
  await expectSame("cloud-unregister-active", "cloud", "unregister", "-n", "LocalStub");
  await expectSame("cloud-unregister-builtin", "cloud", "unregister", "-n", "AzureChinaCloud");
  await expectSame("cloud-set-azure", "cloud", "set", "-n", "azurecloud");
  await expectSame("cloud-set-back", "cloud", "set", "-n", "localstub");
  await expectSame(
    "cloud-register-bad-config",
    "cloud",
    "register",
    "-n",
    "Bad",
    "--cloud-config",
    "notjson",
  );

  // Everything written is owner-only; the secret is stored, and only in its own file.
  expect(statSync(configDir).mode & 0o777).toBe(0o700);
  for (const name of readdirSync(configDir)) {
    expect({ name, mode: statSync(join(configDir, name)).mode & 0o777 }).toEqual({
      name,
      mode: 0o600,
    });
    const holdsSecret = readFileSync(join(configDir, name), "utf8").includes(SECRET);
    expect({ name, holdsSecret }).toEqual({
      name,
      holdsSecret: name === "servicePrincipalEntries.json",
    });
  }

  await expectSame("logout", "logout");
  await expectSame("logout-again", "logout");
  expect(readFileSync(join(configDir, "servicePrincipalEntries.json"), "utf8")).not.toContain(
    SECRET,
  );
  expect(readFileSync(join(configDir, "tokenCache.json"), "utf8")).not.toContain("eyJ");
}, 120_000);

test("--debug traces every call and leaks no secret", async () => {
  await useLocalCloud("config-debug");
  const login = await acrtask(
    "login", "--service-principal", "-u", CLIENT, "-p", SECRET, "--tenant", TENANT, "--debug",
  ); // prettier-ignore
  expect(login.rc).toBe(0);
  expect(JSON.parse(login.stdout)).toHaveLength(2);
  expect(login.stderr).toContain("DEBUG: Request URL: ");
  expect(login.stderr).toMatch(
    /DEBUG: Response status: 200 \(POST https:\/\/127\.0\.0\.1:\d+\/adfs\/oauth2\/token/,
  );
  expect(login.stderr).toContain("client_secret=REDACTED");
  expect(login.stderr).toContain("'Authorization': 'Bearer REDACTED'");

  const token = await acrtask("account", "get-access-token", "--debug", "-o", "none");
  expect(token.rc).toBe(0);

  expect(server.issuedTokens.length).toBeGreaterThan(0);
  for (const outcome of [login, token]) {
    const everything = outcome.stdout + outcome.stderr;
    expect(everything).not.toContain(SECRET);
    for (const issued of server.issuedTokens) {
      expect(everything).not.toContain(issued);
      // Not even the signature part alone.
      expect(everything).not.toContain(issued.split(".")[2]);
    }
  }
}, 60_000);

test("a certificate as the password signs in with a client assertion", async () => {
  await useLocalCloud("config-certificate");
  const before = server.requests.length;
  const login = await acrtask(
    "login", "--service-principal", "-u", CLIENT, "-p", certificates.clientPemPath,
    "--tenant", TENANT, "-o", "none",
  ); // prettier-ignore
  expect(login).toEqual({ stdout: "", stderr: "", rc: 0 });
  const tokenRequest = server.requests.slice(before).find((request) => request.form);
  expect(tokenRequest?.form?.client_assertion_type).toBe(
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  );
  expect(tokenRequest?.form?.client_secret).toBeUndefined();
  const stored = JSON.parse(readFileSync(join(configDir, "servicePrincipalEntries.json"), "utf8"));
  expect(stored).toEqual([
    { client_id: CLIENT, tenant: TENANT, certificate: certificates.clientPemPath },
  ]);
}, 60_000);

test("version names acrtask and the az release it follows", async () => {
  const outcome = await acrtask("version");
  const packageVersion = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
  expect(outcome.rc).toBe(0);
  expect(JSON.parse(outcome.stdout)).toEqual({
    acrtask: packageVersion,
    "azure-cli": "2.45.0",
    extensions: {},
  });
  // The key scripts read is where az has it.
  expect(Object.keys(JSON.parse(az("version-shape").stdout))).toContain("azure-cli");
});
