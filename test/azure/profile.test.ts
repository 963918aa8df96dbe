import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  accountsFromListing,
  findAccount,
  findServicePrincipal,
  loadAccounts,
  loadAllAccounts,
  loadServicePrincipals,
  managedIdentityOf,
  mergeAccounts,
  parseIni,
  removeServicePrincipal,
  saveAccounts,
  saveServicePrincipal,
  serializeIni,
  tenantLevelAccounts,
  type Account,
} from "../../src/azure/profile.js";
import { azCapture, azJson, fakeContext, type FakeContext } from "./fake-context.js";

const TENANT = "72f988bf-0000-4000-8000-00000000aaaa";
const CLIENT = "11111111-2222-3333-4444-555555555555";

/** The listing the sign-in server returns (and az was captured against). */
const LISTING = [
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
];

const identity = { user: CLIENT, isServicePrincipal: true };

let context: FakeContext;

beforeEach(() => {
  context = fakeContext();
});

afterEach(() => {
  context.cleanup();
});

function freshAccounts(cloud = "LocalStub"): Account[] {
  return accountsFromListing(LISTING, TENANT, identity, cloud);
}

describe("accounts from a subscription listing", () => {
  test("are what az login prints, once environmentName becomes cloudName", () => {
    const { accounts } = mergeAccounts([], freshAccounts());
    const printed = accounts.map(({ environmentName, ...rest }) => ({
      ...rest,
      cloudName: environmentName,
    }));
    expect(azJson(printed)).toBe(azCapture("login-sp").stdout);
  });

  test("missing listing fields become null, states are canonicalised", () => {
    const [account] = accountsFromListing(
      [{ id: "/subscriptions/abc", state: "enabled" }],
      TENANT,
      identity,
      "AzureCloud",
    );
    expect(account).toEqual({
      id: "abc",
      name: null,
      state: "Enabled",
      user: { name: CLIENT, type: "servicePrincipal" },
      isDefault: false,
      tenantId: TENANT,
      environmentName: "AzureCloud",
      homeTenantId: null,
      managedByTenants: null,
    });
  });

  test("tenant-level accounts for --allow-no-subscriptions", () => {
    expect(
      tenantLevelAccounts([TENANT], { user: "u@x", isServicePrincipal: false }, "AzureCloud"),
    ).toEqual([
      {
        id: TENANT,
        name: "N/A(tenant level account)",
        state: "Enabled",
        user: { name: "u@x", type: "user" },
        isDefault: false,
        tenantId: TENANT,
        environmentName: "AzureCloud",
      },
    ]);
  });

  test("managed identity accounts carry their identity in assignedIdentityInfo", () => {
    const [account] = accountsFromListing(
      LISTING.slice(0, 1),
      TENANT,
      {
        user: "userAssignedIdentity",
        isServicePrincipal: true,
        assignedIdentityInfo: "MSIClient-abc",
      },
      "AzureCloud",
    );
    expect(account.user).toEqual({
      name: "userAssignedIdentity",
      type: "servicePrincipal",
      assignedIdentityInfo: "MSIClient-abc",
    });
    expect(managedIdentityOf(account)).toEqual({ type: "MSIClient", id: "abc" });
    expect(managedIdentityOf(freshAccounts()[0])).toBeUndefined();
  });
});

describe("merging a login into the stored accounts", () => {
  test("the first enabled new subscription becomes the default", () => {
    const fresh = freshAccounts();
    fresh.reverse();
    const { accounts, defaultId } = mergeAccounts([], fresh);
    expect(defaultId).toBe("00000000-1111-2222-3333-444444444444");
    expect(accounts.filter((account) => account.isDefault).map((account) => account.id)).toEqual([
      defaultId,
    ]);
  });

  test("the previous default stays the default when it is listed again", () => {
    const stored = freshAccounts();
    stored[1].isDefault = true;
    const { defaultId, accounts } = mergeAccounts(stored, freshAccounts());
    expect(defaultId).toBe("55555555-6666-7777-8888-999999999999");
    expect(accounts).toHaveLength(2);
  });

  test("accounts of other clouds are kept, same ids replaced", () => {
    const other = accountsFromListing(
      [{ id: "/subscriptions/other", displayName: "Other", state: "Enabled", tenantId: TENANT }],
      TENANT,
      identity,
      "AzureCloud",
    );
    other[0].isDefault = true;
    const { accounts } = mergeAccounts(other, freshAccounts());
    expect(
      accounts.map((account) => [account.id, account.environmentName, account.isDefault]),
    ).toEqual([
      ["other", "AzureCloud", false],
      ["00000000-1111-2222-3333-444444444444", "LocalStub", true],
      ["55555555-6666-7777-8888-999999999999", "LocalStub", false],
    ]);
  });
});

describe("finding the account of a command", () => {
  const accounts = mergeAccounts([], freshAccounts()).accounts;

  test("by default, by id or by name, case-insensitively", () => {
    expect(findAccount(accounts).id).toBe("00000000-1111-2222-3333-444444444444");
    expect(findAccount(accounts, "55555555-6666-7777-8888-999999999999").name).toBe("Second Sub");
    expect(findAccount(accounts, "second SUB").id).toBe("55555555-6666-7777-8888-999999999999");
  });

  test("az's errors", () => {
    expect(() => findAccount([])).toThrow(
      azCapture("account-show-logged-out")
        .stderr.replace(/^ERROR: /, "")
        .trim(),
    );
    expect(() => findAccount(accounts, "nope")).toThrow(
      azCapture("account-show-unknown")
        .stderr.replace(/^ERROR: /, "")
        .trim(),
    );
    const noDefault = accounts.map((account) => ({ ...account, isDefault: false }));
    expect(() => findAccount(noDefault)).toThrow(
      "No subscription found. Run 'az account set' to select a subscription.",
    );
    const twins = accounts.map((account) => ({ ...account, name: "Twin" }));
    expect(() => findAccount(twins, "twin")).toThrow(
      "Multiple subscriptions with the name 'twin' found. Specify the subscription ID.",
    );
  });
});

describe("the profile file", () => {
  test("round-trips, owner-only, and filters by cloud", () => {
    const { accounts } = mergeAccounts([], freshAccounts());
    saveAccounts(context.configDir, accounts);
    const path = join(context.configDir, "azureProfile.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadAllAccounts(context.configDir)).toEqual(accounts);
    expect(loadAccounts(context.configDir, "LocalStub")).toHaveLength(2);
    expect(loadAccounts(context.configDir, "AzureCloud")).toHaveLength(0);
    expect(loadAccounts(context.configDir, "AzureCloud", true)).toHaveLength(2);
  });

  test("reads az's own file, byte order mark included, and keeps its other keys", () => {
    const path = join(context.configDir, "azureProfile.json");
    const account = freshAccounts()[0];
    writeFileSync(
      path,
      "\uFEFF" + JSON.stringify({ installationId: "i-1", subscriptions: [account] }),
    );
    expect(loadAllAccounts(context.configDir)).toEqual([account]);
    saveAccounts(context.configDir, []);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      installationId: "i-1",
      subscriptions: [],
    });
  });

  test("a corrupt file is a clear error", () => {
    writeFileSync(join(context.configDir, "azureProfile.json"), "{not json");
    expect(() => loadAllAccounts(context.configDir)).toThrow(
      `Failed to parse '${join(context.configDir, "azureProfile.json")}'.`,
    );
  });
});

describe("service principal entries", () => {
  test("are kept owner-only, one per client and tenant", () => {
    saveServicePrincipal(context.configDir, {
      client_id: CLIENT,
      tenant: TENANT,
      client_secret: "a",
    });
    saveServicePrincipal(context.configDir, {
      client_id: CLIENT,
      tenant: TENANT,
      client_secret: "b",
    });
    saveServicePrincipal(context.configDir, {
      client_id: CLIENT,
      tenant: "other",
      certificate: "/c.pem",
    });
    expect(loadServicePrincipals(context.configDir)).toEqual([
      { client_id: CLIENT, tenant: TENANT, client_secret: "b" },
      { client_id: CLIENT, tenant: "other", certificate: "/c.pem" },
    ]);
    const path = join(context.configDir, "servicePrincipalEntries.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);

    removeServicePrincipal(context.configDir, CLIENT);
    expect(loadServicePrincipals(context.configDir)).toEqual([]);
  });

  test("another tenant's entry is used with az's warning", () => {
    saveServicePrincipal(context.configDir, {
      client_id: CLIENT,
      tenant: TENANT,
      client_secret: "a",
    });
    const warnings: string[] = [];
    expect(
      findServicePrincipal(context.configDir, CLIENT, "t2", (message) => warnings.push(message))
        .tenant,
    ).toBe(TENANT);
    expect(warnings).toEqual([
      `Could not retrieve credential from local cache for service principal ${CLIENT} under ` +
        `tenant t2. Trying credential under tenant ${TENANT}, assuming that is an app credential.`,
    ]);
    expect(() =>
      findServicePrincipal(context.configDir, "nobody", TENANT, () => undefined),
    ).toThrow(
      "Could not retrieve credential from local cache for service principal nobody. " +
        "Run `az login` for this service principal.",
    );
  });
});

test("INI files as configparser writes them", () => {
  const text = "[cloud]\nname = LocalStub\n\n[defaults]\nacr = r\ngroup = g\n\n";
  const document = parseIni(text);
  expect([...document.keys()]).toEqual(["cloud", "defaults"]);
  expect(document.get("defaults")?.get("group")).toBe("g");
  expect(serializeIni(document)).toBe(text);
  expect(parseIni("; comment\n[A]\nKey: value\n  continued\n").get("A")?.get("key")).toBe(
    "value\ncontinued",
  );
});
