// A Context for tests: a fresh config directory, captured warnings and debug lines, a fixed
// clock if asked for.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Context, GlobalOptions } from "../../src/cli/context.js";

export interface FakeContext extends Context {
  /** What was written to stderr directly (not through the logger). */
  stderrText: string[];
  warnings: string[];
  debugLines: string[];
  cleanup(): void;
}

export function fakeContext(
  options: {
    configDir?: string;
    globals?: Partial<GlobalOptions>;
    env?: NodeJS.ProcessEnv;
    now?: () => Date;
    commandName?: string;
  } = {},
): FakeContext {
  const configDir = options.configDir ?? mkdtempSync(join(tmpdir(), "acrtask-signin-"));
  const warnings: string[] = [];
  const debugLines: string[] = [];
  const stderrText: string[] = [];
  const sink = { write: () => undefined, isTTY: false };
  return {
    commandName: options.commandName ?? "test",
    globals: {
      output: "json",
      debug: false,
      verbose: false,
      onlyShowErrors: false,
      ...options.globals,
    },
    stdout: sink,
    stderr: { write: (text: string) => void stderrText.push(text), isTTY: false },
    logger: {
      warning: (message) => warnings.push(message),
      info: () => undefined,
      debug: (message) => debugLines.push(message),
    },
    env: options.env ?? {},
    cwd: process.cwd(),
    configDir,
    now: options.now ?? (() => new Date()),
    services: {},
    stderrText,
    warnings,
    debugLines,
    cleanup: () => rmSync(configDir, { recursive: true, force: true }),
  };
}

/** az's JSON output (json.dumps(indent=2, sort_keys=True)) for ASCII data, plus the newline. */
export function azJson(value: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) {
      return item.map(sorted);
    }
    if (item && typeof item === "object") {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sorted((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return JSON.stringify(sorted(value), null, 2) + "\n";
}

/** One capture of the real az from test/fixtures/signin/az. */
export function azCapture(name: string): { stdout: string; stderr: string; rc: number } {
  const base = join(__dirname, "..", "fixtures", "signin", "az", name);
  return {
    stdout: readFileSync(`${base}.stdout`, "utf8"),
    stderr: readFileSync(`${base}.stderr`, "utf8"),
    rc: Number(readFileSync(`${base}.rc`, "utf8").trim()),
  };
}

export const TEST_TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
export const TEST_CLIENT = "11111111-2222-3333-4444-555555555555";
export const TEST_SECRET = "s3cret-Value~1";

/** The subscription listing of the sign-in server (and of the az captures). */
export const TEST_LISTING = [
  {
    id: "/subscriptions/00000000-1111-2222-3333-444444444444",
    managedByTenants: [],
    subscriptionId: "00000000-1111-2222-3333-444444444444",
    tenantId: TEST_TENANT,
    displayName: "Stub Subscription",
    state: "Enabled",
  },
  {
    id: "/subscriptions/55555555-6666-7777-8888-999999999999",
    managedByTenants: [{ tenantId: "abababab-0000-4000-8000-000000000001" }],
    subscriptionId: "55555555-6666-7777-8888-999999999999",
    tenantId: TEST_TENANT,
    displayName: "Second Sub",
    state: "Disabled",
  },
];

/**
 * The state the capture sequence reaches after `cloud register`, `cloud set` and the service
 * principal login: the LocalStub cloud (at `armUrl`) active, its two subscriptions stored.
 */
export async function seedSignedIn(
  context: Context,
  armUrl = "https://127.0.0.1:18443",
): Promise<void> {
  const clouds = await import("../../src/azure/clouds.js");
  const profile = await import("../../src/azure/profile.js");

  const cloud = await clouds.buildCloud(
    "LocalStub",
    {
      endpoint_resource_manager: `${armUrl}/`,
      endpoint_active_directory: `${armUrl}/adfs`,
      endpoint_active_directory_resource_id: "https://management.local.test/",
      endpoint_active_directory_graph_resource_id: "https://graph.local.test/",
      suffix_acr_login_server_endpoint: ".azurecr.io",
    },
    undefined,
    false,
    async () => ({ status: 500, bodyText: "" }),
  );
  clouds.addCloud(context.configDir, cloud);
  clouds.setActiveCloudName(context.configDir, "LocalStub");

  const fresh = profile.accountsFromListing(
    TEST_LISTING,
    TEST_TENANT,
    { user: TEST_CLIENT, isServicePrincipal: true },
    "LocalStub",
  );
  const { accounts, defaultId } = profile.mergeAccounts([], fresh);
  clouds.setCloudSubscription(context.configDir, "LocalStub", defaultId);
  profile.saveAccounts(context.configDir, accounts);
  profile.saveServicePrincipal(context.configDir, {
    client_id: TEST_CLIENT,
    tenant: TEST_TENANT,
    client_secret: TEST_SECRET,
  });
}
