// acrtask's sign-in state, kept in its own config directory (ACRTASK_CONFIG_DIR, by default
// ~/.acrtask) in the shapes az keeps in ~/.azure, so that what `account show` prints is what az
// prints: azureProfile.json (the subscriptions), config and clouds.config (INI, as az writes
// them), and, owner-only, the service principal secrets and the token caches.

import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import { CliError } from "../cli/errors.js";

export const PROFILE_FILE = "azureProfile.json";
export const CONFIG_FILE = "config";
export const CLOUDS_FILE = "clouds.config";
/** Secrets and certificate paths of signed-in service principals (owner-only). */
export const SERVICE_PRINCIPAL_FILE = "servicePrincipalEntries.json";
/** Access tokens by credential and scope (owner-only). */
export const TOKEN_CACHE_FILE = "tokenCache.json";
/** MSAL's cache for user accounts: refresh tokens (owner-only). */
export const MSAL_CACHE_FILE = "msalTokenCache.json";
/** Which cached MSAL account each signed-in user is (owner-only; no secrets, but personal). */
export const USER_RECORDS_FILE = "userAccounts.json";

export const LOGIN_MESSAGE = "Please run 'az login' to setup account.";
export const TENANT_LEVEL_ACCOUNT_NAME = "N/A(tenant level account)";
export const SYSTEM_ASSIGNED_IDENTITY = "systemAssignedIdentity";
export const USER_ASSIGNED_IDENTITY = "userAssignedIdentity";

/** Where acrtask keeps its state when ACRTASK_CONFIG_DIR is not set. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ACRTASK_CONFIG_DIR || join(homedir(), ".acrtask");
}

// ---------------------------------------------------------------------------------------------
// Files

/** Creates the config directory owner-only when it does not exist yet. */
export function ensureConfigDir(configDir: string): void {
  try {
    mkdirSync(configDir, { recursive: false, mode: 0o700 });
    chmodSync(configDir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      mkdirSync(configDir, { recursive: true, mode: 0o700 });
      chmodSync(configDir, 0o700);
    } else if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw error;
    }
  }
}

/** The file's text without a UTF-8 byte order mark (az writes one), or undefined if absent. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
}

/**
 * Replaces the file in one step, readable and writable by the owner only. A reader never sees
 * half a file, and a secret never sits in a file others can read, even for a moment.
 */
export function writeOwnerOnlyFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function removeFileIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw error;
    }
  }
}

export function readJsonFile<T>(path: string, fallback: T): T {
  const text = readTextIfExists(path);
  if (text === undefined || text.trim() === "") {
    return fallback;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`Failed to parse '${path}'. Resolve the error or delete this file.`);
  }
}

export function writeJsonFile(configDir: string, name: string, value: unknown): void {
  ensureConfigDir(configDir);
  writeOwnerOnlyFile(join(configDir, name), JSON.stringify(value, null, 2) + "\n");
}

// ---------------------------------------------------------------------------------------------
// INI files as Python's configparser reads and writes them

/** Sections in file order, each with its options in order; option names are lower-case. */
export type IniDocument = Map<string, Map<string, string>>;

export function parseIni(text: string): IniDocument {
  const document: IniDocument = new Map();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;

  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) {
      lastKey = undefined;
      continue;
    }

    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      section = document.get(header[1]) ?? new Map<string, string>();
      document.set(header[1], section);
      lastKey = undefined;
      continue;
    }

    // An indented line continues the previous value.
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey)}\n${trimmed}`);
      continue;
    }

    const separator = /[=:]/.exec(trimmed);
    if (!section || !separator) {
      continue;
    }
    lastKey = trimmed.slice(0, separator.index).trim().toLowerCase();
    section.set(lastKey, trimmed.slice(separator.index + 1).trim());
  }
  return document;
}

export function serializeIni(document: IniDocument): string {
  let text = "";
  for (const [name, options] of document) {
    text += `[${name}]\n`;
    for (const [key, value] of options) {
      text += `${key} = ${value.replace(/\n/g, "\n\t")}\n`;
    }
    text += "\n";
  }
  return text;
}

export function readIni(configDir: string, name: string): IniDocument {
  return parseIni(readTextIfExists(join(configDir, name)) ?? "");
}

export function writeIni(configDir: string, name: string, document: IniDocument): void {
  ensureConfigDir(configDir);
  writeOwnerOnlyFile(join(configDir, name), serializeIni(document));
}

// ---------------------------------------------------------------------------------------------
// Accounts (azureProfile.json)

export interface AccountUser {
  name: string;
  type: "user" | "servicePrincipal";
  /** Managed identity accounts: MSI, MSIClient-<id>, MSIObject-<id> or MSIResource-<id>. */
  assignedIdentityInfo?: string;
  useCertSNIssuerAuth?: boolean;
  [key: string]: unknown;
}

/** One subscription as az stores it; `account show` prints it as it is. */
export interface Account {
  id: string;
  name: string | null;
  state: string | null;
  user: AccountUser;
  isDefault: boolean;
  tenantId: string;
  environmentName: string;
  homeTenantId?: string | null;
  managedByTenants?: { tenantId: string | null }[] | null;
  [key: string]: unknown;
}

interface ProfileDocument {
  subscriptions?: Account[];
  [key: string]: unknown;
}

function readProfile(configDir: string): ProfileDocument {
  const profile = readJsonFile<ProfileDocument | null>(join(configDir, PROFILE_FILE), {});
  return profile && typeof profile === "object" ? profile : {};
}

/** Every stored account of every cloud, in stored order. */
export function loadAllAccounts(configDir: string): Account[] {
  const subscriptions = readProfile(configDir).subscriptions;
  return Array.isArray(subscriptions) ? subscriptions : [];
}

/** The accounts of one cloud (or of all clouds), as az's load_cached_subscriptions. */
export function loadAccounts(configDir: string, cloudName: string, allClouds = false): Account[] {
  return loadAllAccounts(configDir).filter(
    (account) => allClouds || account.environmentName === cloudName,
  );
}

export function saveAccounts(configDir: string, accounts: Account[]): void {
  const profile = readProfile(configDir);
  writeJsonFile(configDir, PROFILE_FILE, { ...profile, subscriptions: accounts });
}

/**
 * The account `--subscription` names (by id or name, case-insensitively), or the default one;
 * az's errors otherwise.
 */
export function findAccount(accounts: readonly Account[], subscription?: string): Account {
  if (accounts.length === 0) {
    throw new CliError(LOGIN_MESSAGE);
  }

  const wanted = subscription?.toLowerCase();
  const matches = accounts.filter((account) =>
    wanted
      ? account.id.toLowerCase() === wanted || (account.name ?? "").toLowerCase() === wanted
      : account.isDefault,
  );
  if (matches.length === 0 && subscription) {
    throw new CliError(
      `Subscription '${subscription}' not found. Check the spelling and casing and try again.`,
    );
  }
  if (matches.length === 0) {
    throw new CliError("No subscription found. Run 'az account set' to select a subscription.");
  }
  if (matches.length > 1) {
    throw new CliError(
      `Multiple subscriptions with the name '${subscription}' found. Specify the subscription ID.`,
    );
  }
  return matches[0];
}

/** A subscription as ARM's subscription listing (api-version 2019-11-01) returns it. */
export interface ListedSubscription {
  id?: string;
  subscriptionId?: string;
  displayName?: string | null;
  state?: string | null;
  tenantId?: string | null;
  managedByTenants?: { tenantId?: string | null }[] | null;
  [key: string]: unknown;
}

const SUBSCRIPTION_STATES = ["Enabled", "Warned", "PastDue", "Disabled", "Deleted"];

/** msrest maps an enum value case-insensitively onto its canonical spelling. */
function canonicalState(state: unknown): string | null {
  if (typeof state !== "string") {
    return state === undefined || state === null ? null : String(state);
  }
  return SUBSCRIPTION_STATES.find((known) => known.toLowerCase() === state.toLowerCase()) ?? state;
}

export interface AccountIdentity {
  user: string;
  isServicePrincipal: boolean;
  useCertSNIssuer?: boolean;
  assignedIdentityInfo?: string;
}

/**
 * Accounts from a subscription listing made with a token of `tokenTenant`, as az's
 * _normalize_properties builds them (the listing's tenantId is the home tenant).
 */
export function accountsFromListing(
  listing: readonly ListedSubscription[],
  tokenTenant: string,
  identity: AccountIdentity,
  cloudName: string,
): Account[] {
  return listing.map((subscription) => {
    const account: Account = {
      id: (subscription.id ?? "").split("/").pop() ?? "",
      name: subscription.displayName ?? null,
      state: canonicalState(subscription.state),
      user: {
        name: identity.user,
        type: identity.isServicePrincipal ? "servicePrincipal" : "user",
      },
      isDefault: false,
      tenantId: tokenTenant,
      environmentName: cloudName,
      homeTenantId: subscription.tenantId ?? null,
      managedByTenants: Array.isArray(subscription.managedByTenants)
        ? subscription.managedByTenants.map((tenant) => ({ tenantId: tenant?.tenantId ?? null }))
        : null,
    };
    if (identity.useCertSNIssuer) {
      account.user.useCertSNIssuerAuth = true;
    }
    if (identity.assignedIdentityInfo) {
      account.user.assignedIdentityInfo = identity.assignedIdentityInfo;
    }
    return account;
  });
}

/** Tenant-level accounts for tenants without subscriptions (`--allow-no-subscriptions`). */
export function tenantLevelAccounts(
  tenants: readonly string[],
  identity: AccountIdentity,
  cloudName: string,
): Account[] {
  return tenants.map((tenant) => {
    const account: Account = {
      id: tenant,
      name: TENANT_LEVEL_ACCOUNT_NAME,
      state: "Enabled",
      user: {
        name: identity.user,
        type: identity.isServicePrincipal ? "servicePrincipal" : "user",
      },
      isDefault: false,
      tenantId: tenant,
      environmentName: cloudName,
    };
    if (identity.assignedIdentityInfo) {
      account.user.assignedIdentityInfo = identity.assignedIdentityInfo;
    }
    return account;
  });
}

/**
 * Merges freshly listed accounts into the stored ones, as az's _set_subscriptions: the
 * subscription id is the key; the previous default stays the default if it was listed again,
 * otherwise the first enabled new account becomes it. Mutates and returns `fresh` too, since
 * `login` prints those.
 */
export function mergeAccounts(
  stored: readonly Account[],
  fresh: Account[],
  merge = true,
): { accounts: Account[]; defaultId?: string } {
  const active = stored.find((account) => account.isDefault);
  const byId = new Map<string, Account>();
  if (merge) {
    for (const account of stored) {
      byId.set(account.id, account);
    }
  }
  for (const account of fresh) {
    byId.set(account.id, account);
  }
  const accounts = [...byId.values()];
  if (accounts.length === 0) {
    return { accounts };
  }

  let newActive: Account | undefined;
  if (active) {
    newActive = fresh.find((account) => account.id === active.id);
    for (const account of accounts) {
      account.isDefault = false;
    }
  }
  newActive ??= fresh.find((account) => account.state === "Enabled") ?? fresh[0];
  if (!newActive) {
    // Nothing new to choose from (a refresh that found nothing): keep what was there.
    return { accounts };
  }
  newActive.isDefault = true;
  return { accounts, defaultId: newActive.id };
}

/** Parses az's managed-identity account naming back into (type, id). */
export function managedIdentityOf(
  account: Account,
): { type: "MSI" | "MSIClient" | "MSIObject" | "MSIResource"; id?: string } | undefined {
  const user = account.user?.name;
  if (user !== SYSTEM_ASSIGNED_IDENTITY && user !== USER_ASSIGNED_IDENTITY) {
    return undefined;
  }
  const info = account.user.assignedIdentityInfo ?? account.name ?? "";
  const separator = info.indexOf("-");
  const type = separator < 0 ? info : info.slice(0, separator);
  if (type === "MSI" || type === "MSIClient" || type === "MSIObject" || type === "MSIResource") {
    return { type, id: separator < 0 ? undefined : info.slice(separator + 1) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Service principal secrets (owner-only file)

export interface ServicePrincipalEntry {
  client_id: string;
  tenant: string;
  client_secret?: string;
  /** Path of a PEM file holding the private key and the certificate. */
  certificate?: string;
  use_cert_sn_issuer?: boolean;
  client_assertion?: string;
}

export function loadServicePrincipals(configDir: string): ServicePrincipalEntry[] {
  const entries = readJsonFile<unknown>(join(configDir, SERVICE_PRINCIPAL_FILE), []);
  return Array.isArray(entries) ? (entries as ServicePrincipalEntry[]) : [];
}

/** Stores the entry, replacing one for the same client and tenant. */
export function saveServicePrincipal(configDir: string, entry: ServicePrincipalEntry): void {
  const entries = loadServicePrincipals(configDir).filter(
    (existing) => !(existing.client_id === entry.client_id && existing.tenant === entry.tenant),
  );
  entries.push(entry);
  writeJsonFile(configDir, SERVICE_PRINCIPAL_FILE, entries);
}

export function removeServicePrincipal(configDir: string, clientId: string): void {
  const entries = loadServicePrincipals(configDir);
  const remaining = entries.filter((entry) => entry.client_id !== clientId);
  if (remaining.length !== entries.length) {
    writeJsonFile(configDir, SERVICE_PRINCIPAL_FILE, remaining);
  }
}

/**
 * The stored entry for a service principal, preferring the one of `tenant`; az falls back to
 * another tenant's entry with a warning, assuming a multi-tenant app.
 */
export function findServicePrincipal(
  configDir: string,
  clientId: string,
  tenant: string,
  warn: (message: string) => void,
): ServicePrincipalEntry {
  const matches = loadServicePrincipals(configDir).filter((entry) => entry.client_id === clientId);
  if (matches.length === 0) {
    throw new CliError(
      `Could not retrieve credential from local cache for service principal ${clientId}. ` +
        "Run `az login` for this service principal.",
    );
  }
  const sameTenant = matches.find((entry) => entry.tenant === tenant);
  if (sameTenant) {
    return sameTenant;
  }
  warn(
    `Could not retrieve credential from local cache for service principal ${clientId} under ` +
      `tenant ${tenant}. Trying credential under tenant ${matches[0].tenant}, assuming that is ` +
      "an app credential.",
  );
  return matches[0];
}

// ---------------------------------------------------------------------------------------------
// Signed-in users: the MSAL account each user name maps to

export interface StoredUserRecord {
  authority: string;
  homeAccountId: string;
  clientId: string;
  tenantId: string;
  username: string;
}

export function loadUserRecords(configDir: string): StoredUserRecord[] {
  const records = readJsonFile<unknown>(join(configDir, USER_RECORDS_FILE), []);
  return Array.isArray(records) ? (records as StoredUserRecord[]) : [];
}

export function saveUserRecord(configDir: string, record: StoredUserRecord): void {
  const records = loadUserRecords(configDir).filter(
    (existing) => existing.username.toLowerCase() !== record.username.toLowerCase(),
  );
  records.push(record);
  writeJsonFile(configDir, USER_RECORDS_FILE, records);
}

export function removeUserRecord(configDir: string, username: string): void {
  const records = loadUserRecords(configDir);
  const remaining = records.filter(
    (record) => record.username.toLowerCase() !== username.toLowerCase(),
  );
  if (remaining.length !== records.length) {
    writeJsonFile(configDir, USER_RECORDS_FILE, remaining);
  }
}
