// TokenCredentials for every kind of sign-in az 2.45 supports, built on @azure/identity (loaded
// only when a token is needed), and the token cache that makes repeated commands cheap: each
// access token is kept in memory and in an owner-only file until five minutes before it
// expires, so a command run within the hour makes no token request at all.

import { join } from "node:path";

import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

import { CliError } from "../cli/errors.js";
import {
  MSAL_CACHE_FILE,
  TOKEN_CACHE_FILE,
  ensureConfigDir,
  readJsonFile,
  readTextIfExists,
  writeJsonFile,
  writeOwnerOnlyFile,
  type ServicePrincipalEntry,
} from "./profile.js";

/** The public client az and @azure/identity sign users in with. */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Tokens this close to expiry are not handed out; az's own margin is five minutes as well. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Entra ID hosts that answer MSAL's instance discovery. Any other host skips it. */
const KNOWN_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login-us.microsoftonline.com",
  "login.microsoftonline.de",
]);

export interface Authority {
  /** https://login.microsoftonline.com, or the host of an ADFS authority. */
  authorityHost: string;
  /** The tenant; `adfs` for ADFS, where az drops the tenant. */
  tenantId: string;
  disableInstanceDiscovery: boolean;
}

/**
 * Splits a cloud's Active Directory endpoint the way az builds its MSAL authority: an endpoint
 * ending in /adfs is used as it is with tenant `adfs`, any other gets `/<tenant>` appended.
 */
export function authorityFor(activeDirectory: string, tenant?: string): Authority {
  const endpoint = activeDirectory.replace(/\/+$/, "").toLowerCase();
  if (endpoint.endsWith("/adfs")) {
    return {
      authorityHost: endpoint.slice(0, -"/adfs".length),
      tenantId: "adfs",
      disableInstanceDiscovery: false,
    };
  }

  let host = "";
  try {
    host = new URL(endpoint).hostname;
  } catch {
    throw new CliError(`The Active Directory endpoint '${activeDirectory}' is not a valid URL.`);
  }
  return {
    authorityHost: endpoint,
    tenantId: tenant || "organizations",
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(host),
  };
}

/** az's resource_to_scopes: the trailing slash of a resource is kept (`…//.default`). */
export function resourceToScopes(resource: string): string[] {
  return [`${resource}/.default`];
}

/** az's scopes_to_resource. */
export function scopesToResource(scopes: readonly string[]): string | undefined {
  const scope = scopes[0];
  if (scope === undefined) {
    return undefined;
  }
  for (const suffix of ["/.default", "/user_impersonation"]) {
    if (scope.endsWith(suffix)) {
      return scope.slice(0, -suffix.length);
    }
  }
  return scope;
}

// ---------------------------------------------------------------------------------------------
// Token cache

interface CachedToken {
  token: string;
  expiresOnTimestamp: number;
  tokenType?: string;
}

export interface TokenStore {
  get(key: string): CachedToken | undefined;
  set(key: string, token: CachedToken): void;
  /** Forgets every token whose key starts with `prefix` (logout). */
  forget(prefix: string): void;
}

/** Keys name the credential, tenant and scopes; they hold nothing secret. */
type TokenFile = Record<string, CachedToken>;

const stores = new Map<string, TokenStore>();

/** The token store of a config directory; one per process, so memory and file agree. */
export function tokenStoreFor(configDir: string, now: () => number = Date.now): TokenStore {
  const existing = stores.get(configDir);
  if (existing) {
    return existing;
  }

  const path = join(configDir, TOKEN_CACHE_FILE);
  let tokens: TokenFile | undefined;
  const load = (): TokenFile => {
    if (!tokens) {
      const read = readJsonFile<unknown>(path, {});
      tokens = read && typeof read === "object" ? (read as TokenFile) : {};
    }
    return tokens;
  };
  const save = (): void => {
    // Expired entries are dropped whenever the file is written, so it never grows for long.
    const current = load();
    for (const [key, token] of Object.entries(current)) {
      if (token.expiresOnTimestamp <= now()) {
        delete current[key];
      }
    }
    writeJsonFile(configDir, TOKEN_CACHE_FILE, current);
  };

  const store: TokenStore = {
    get: (key) => load()[key],
    set: (key, token) => {
      load()[key] = token;
      save();
    },
    forget: (prefix) => {
      const current = load();
      const before = Object.keys(current).length;
      for (const key of Object.keys(current)) {
        if (key.startsWith(prefix)) {
          delete current[key];
        }
      }
      if (Object.keys(current).length !== before) {
        save();
      }
    },
  };
  stores.set(configDir, store);
  return store;
}

/** Drops the per-process stores; tests call it between cases that share a directory name. */
export function resetTokenStores(): void {
  stores.clear();
}

/** Wraps a credential with the token store. `forceRefresh` skips reading (used by login). */
export class CachingCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    /** Identifies the signed-in identity, e.g. `sp|<client id>|<tenant>`. */
    readonly cacheKey: string,
    private readonly store: TokenStore,
    private readonly now: () => number = Date.now,
    private readonly forceRefresh = false,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const scopeList = Array.isArray(scopes) ? scopes : [scopes];
    const key = `${this.cacheKey}|${options?.tenantId ?? ""}|${scopeList.join(" ")}`;

    const cached = this.store.get(key);
    if (
      !this.forceRefresh &&
      !options?.claims &&
      cached &&
      cached.expiresOnTimestamp - this.now() > TOKEN_REFRESH_MARGIN_MS
    ) {
      return {
        token: cached.token,
        expiresOnTimestamp: cached.expiresOnTimestamp,
        tokenType: "Bearer",
      };
    }

    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopeList, options);
    } catch (error) {
      // A refused sign-in is a user error with az's wording, not a crash.
      throw describeAuthenticationFailure(error) ?? error;
    }
    if (!token) {
      throw new CliError("Failed to get an access token.");
    }
    this.store.set(key, {
      token: token.token,
      expiresOnTimestamp: token.expiresOnTimestamp,
      tokenType: token.tokenType,
    });
    return token;
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials

export interface CredentialOptions {
  /** The cloud's Active Directory endpoint. */
  activeDirectory: string;
  /** Added to the credential's own HTTP pipeline (--debug logging). */
  additionalPolicies?: PipelinePolicy[];
}

function identityOptions(authority: Authority, options: CredentialOptions) {
  return {
    authorityHost: authority.authorityHost,
    disableInstanceDiscovery: authority.disableInstanceDiscovery,
    additionalPolicies: (options.additionalPolicies ?? []).map((policy) => ({
      policy,
      position: "perRetry" as const,
    })),
  };
}

/** A service principal's credential from its stored entry (secret, certificate or assertion). */
export async function servicePrincipalCredential(
  entry: ServicePrincipalEntry,
  tenant: string,
  options: CredentialOptions,
): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  const authority = authorityFor(options.activeDirectory, tenant);
  const common = identityOptions(authority, options);

  if (entry.client_secret !== undefined) {
    return new identity.ClientSecretCredential(
      authority.tenantId,
      entry.client_id,
      entry.client_secret,
      common,
    );
  }
  if (entry.certificate !== undefined) {
    return new identity.ClientCertificateCredential(
      authority.tenantId,
      entry.client_id,
      { certificatePath: entry.certificate },
      { ...common, sendCertificateChain: entry.use_cert_sn_issuer === true },
    );
  }
  if (entry.client_assertion !== undefined) {
    const assertion = entry.client_assertion;
    return new identity.ClientAssertionCredential(
      authority.tenantId,
      entry.client_id,
      async () => assertion,
      common,
    );
  }
  throw new CliError(
    `Could not retrieve credential from local cache for service principal ${entry.client_id}. ` +
      "Run `az login` for this service principal.",
  );
}

export type ManagedIdentityKind = "MSI" | "MSIClient" | "MSIObject" | "MSIResource";

export async function managedIdentityCredential(
  kind: ManagedIdentityKind,
  id: string | undefined,
  options: CredentialOptions,
): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  const common = {
    additionalPolicies: identityOptions(authorityFor(options.activeDirectory), options)
      .additionalPolicies,
  };
  if (kind === "MSIClient" && id) {
    return new identity.ManagedIdentityCredential({ ...common, clientId: id });
  }
  if (kind === "MSIObject" && id) {
    return new identity.ManagedIdentityCredential({ ...common, objectId: id });
  }
  if (kind === "MSIResource" && id) {
    return new identity.ManagedIdentityCredential({ ...common, resourceId: id });
  }
  return new identity.ManagedIdentityCredential(common);
}

/** What @azure/identity needs to use a signed-in user's cached refresh token silently. */
export interface UserRecord {
  authority: string;
  homeAccountId: string;
  clientId: string;
  tenantId: string;
  username: string;
}

interface TokenCacheContextLike {
  cacheHasChanged: boolean;
  tokenCache: { serialize(): string; deserialize(cache: string): void };
}

let persistencePath: string | undefined;
let persistenceRegistered = false;

/**
 * Gives MSAL an owner-only file in the config directory for user accounts' tokens. This is
 * @azure/identity's plugin hook for persistent caches; the file is plain JSON, protected by
 * its mode like az's msal_token_cache.json.
 */
async function usePersistentUserCache(configDir: string): Promise<void> {
  ensureConfigDir(configDir);
  persistencePath = join(configDir, MSAL_CACHE_FILE);
  if (persistenceRegistered) {
    return;
  }

  const { useIdentityPlugin } = await import("@azure/identity");
  const plugin = {
    async beforeCacheAccess(context: TokenCacheContextLike): Promise<void> {
      const text = persistencePath ? readTextIfExists(persistencePath) : undefined;
      if (text) {
        context.tokenCache.deserialize(text);
      }
    },
    async afterCacheAccess(context: TokenCacheContextLike): Promise<void> {
      if (context.cacheHasChanged && persistencePath) {
        writeOwnerOnlyFile(persistencePath, context.tokenCache.serialize());
      }
    },
  };
  useIdentityPlugin((context) => {
    const control = (
      context as { cachePluginControl: { setPersistence(factory: () => Promise<unknown>): void } }
    ).cachePluginControl;
    control.setPersistence(async () => plugin);
  });
  persistenceRegistered = true;
}

export interface UserCredentialOptions extends CredentialOptions {
  configDir: string;
  tenant?: string;
  /** Present after login: the account whose refresh token to use. */
  record?: UserRecord;
  /** Shows the device code message (az prints it as a warning). */
  prompt?: (message: string) => void;
}

/** A user's credential: the device code flow at login, silent refresh afterwards. */
export async function userCredential(
  options: UserCredentialOptions,
): Promise<TokenCredential & { authenticate(scopes: string[]): Promise<UserRecord | undefined> }> {
  await usePersistentUserCache(options.configDir);
  const identity = await import("@azure/identity");
  const authority = authorityFor(
    options.activeDirectory,
    options.tenant ?? options.record?.tenantId,
  );

  return new identity.DeviceCodeCredential({
    ...identityOptions(authority, options),
    tenantId: authority.tenantId,
    clientId: options.record?.clientId ?? AZURE_CLI_CLIENT_ID,
    authenticationRecord: options.record,
    disableAutomaticAuthentication: options.record !== undefined,
    additionallyAllowedTenants: ["*"],
    tokenCachePersistenceOptions: { enabled: true, name: "acrtask" },
    userPromptCallback: (details) =>
      options.prompt?.(
        details.message ||
          `To sign in, use a web browser to open the page ${details.verificationUri} and enter ` +
            `the code ${details.userCode} to authenticate.`,
      ),
  });
}

export interface UsernamePasswordOptions extends CredentialOptions {
  configDir: string;
  tenant?: string;
  username: string;
  password: string;
}

/** `login -u user -p password` (resource owner password flow; no MFA, no Microsoft accounts). */
export async function usernamePasswordCredential(
  options: UsernamePasswordOptions,
): Promise<TokenCredential> {
  await usePersistentUserCache(options.configDir);
  const identity = await import("@azure/identity");
  const authority = authorityFor(options.activeDirectory, options.tenant);

  return new identity.UsernamePasswordCredential(
    authority.tenantId,
    AZURE_CLI_CLIENT_ID,
    options.username,
    options.password,
    {
      ...identityOptions(authority, options),
      additionallyAllowedTenants: ["*"],
      tokenCachePersistenceOptions: { enabled: true, name: "acrtask" },
    },
  );
}

/** The MSAL account cached for `username` after a sign-in, as @azure/identity's record. */
export function userRecordFromCache(configDir: string, username: string): UserRecord | undefined {
  const text = readTextIfExists(join(configDir, MSAL_CACHE_FILE));
  if (!text) {
    return undefined;
  }
  try {
    const cache = JSON.parse(text) as {
      Account?: Record<
        string,
        { username?: string; home_account_id?: string; environment?: string; realm?: string }
      >;
    };
    const account = Object.values(cache.Account ?? {}).find(
      (candidate) => candidate.username?.toLowerCase() === username.toLowerCase(),
    );
    if (!account?.home_account_id || !account.username) {
      return undefined;
    }
    return {
      authority: account.environment ?? "",
      homeAccountId: account.home_account_id,
      clientId: AZURE_CLI_CLIENT_ID,
      tenantId: account.realm ?? "",
      username: account.username,
    };
  } catch {
    return undefined;
  }
}

/** Removes a user's refresh tokens from the MSAL cache file (logout). */
export function forgetUser(configDir: string, username: string): void {
  const path = join(configDir, MSAL_CACHE_FILE);
  const text = readTextIfExists(path);
  if (!text) {
    return;
  }

  let cache: Record<string, Record<string, { username?: string; home_account_id?: string }>>;
  try {
    cache = JSON.parse(text);
  } catch {
    return;
  }
  const accounts = Object.values(cache.Account ?? {});
  const homeIds = new Set(
    accounts
      .filter((account) => account.username?.toLowerCase() === username.toLowerCase())
      .map((account) => account.home_account_id),
  );
  if (homeIds.size === 0) {
    return;
  }
  for (const section of Object.values(cache)) {
    for (const [key, entry] of Object.entries(section ?? {})) {
      if (homeIds.has(entry?.home_account_id)) {
        delete section[key];
      }
    }
  }
  writeOwnerOnlyFile(path, JSON.stringify(cache));
}

// ---------------------------------------------------------------------------------------------
// Environment variables

export interface EnvironmentServicePrincipal {
  clientId: string;
  tenantId: string;
  subscriptionId?: string;
  authorityHost?: string;
  secret?: string;
  certificatePath?: string;
  federatedTokenFile?: string;
}

/**
 * The service principal the standard Azure SDK variables describe, if they are complete:
 * AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH
 * or AZURE_FEDERATED_TOKEN_FILE. Nothing here probes for a managed identity.
 */
export function environmentServicePrincipal(
  env: NodeJS.ProcessEnv,
): EnvironmentServicePrincipal | undefined {
  const clientId = env.AZURE_CLIENT_ID;
  const tenantId = env.AZURE_TENANT_ID;
  if (!clientId || !tenantId) {
    return undefined;
  }
  const secret = env.AZURE_CLIENT_SECRET || undefined;
  const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH || undefined;
  const federatedTokenFile = env.AZURE_FEDERATED_TOKEN_FILE || undefined;
  if (!secret && !certificatePath && !federatedTokenFile) {
    return undefined;
  }
  return {
    clientId,
    tenantId,
    subscriptionId: env.AZURE_SUBSCRIPTION_ID || undefined,
    authorityHost: env.AZURE_AUTHORITY_HOST || undefined,
    secret,
    certificatePath,
    federatedTokenFile,
  };
}

export async function environmentCredential(
  principal: EnvironmentServicePrincipal,
  options: CredentialOptions,
): Promise<TokenCredential> {
  const activeDirectory = principal.authorityHost ?? options.activeDirectory;
  if (principal.secret !== undefined || principal.certificatePath !== undefined) {
    return servicePrincipalCredential(
      {
        client_id: principal.clientId,
        tenant: principal.tenantId,
        client_secret: principal.secret,
        certificate: principal.secret === undefined ? principal.certificatePath : undefined,
      },
      principal.tenantId,
      { ...options, activeDirectory },
    );
  }

  // Workload identity: the token file is re-read for every token, as it is rotated.
  const identity = await import("@azure/identity");
  const { readFile } = await import("node:fs/promises");
  const authority = authorityFor(activeDirectory, principal.tenantId);
  const tokenFile = principal.federatedTokenFile as string;
  return new identity.ClientAssertionCredential(
    authority.tenantId,
    principal.clientId,
    async () => (await readFile(tokenFile, "utf8")).trim(),
    identityOptions(authority, options),
  );
}

/** Reads the `tid` claim of a JWT access token without verifying it (az does the same). */
export function tenantOfToken(token: string): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
    );
    return typeof payload.tid === "string" ? payload.tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The message az prints when Entra ID refuses a sign-in: the server's error description, then
 * what to run. Errors that are not from the token service pass through unchanged.
 */
export function describeAuthenticationFailure(error: unknown): CliError | undefined {
  const candidate = error as {
    name?: string;
    message?: string;
    errorResponse?: { error?: string; errorDescription?: string };
  };
  if (!candidate || typeof candidate !== "object" || error instanceof CliError) {
    return undefined;
  }
  let description = candidate.errorResponse?.errorDescription;
  if (!description && typeof candidate.message === "string") {
    description = /(AADSTS\d+:[^\r\n]*)/.exec(candidate.message)?.[1];
  }
  const identityErrors = [
    "AuthenticationError",
    "AuthenticationRequiredError",
    "CredentialUnavailableError",
    "AggregateAuthenticationError",
  ];
  if (!description && !identityErrors.includes(candidate.name ?? "")) {
    return undefined;
  }
  // @azure/identity appends its own " - Correlation ID: … - Trace ID: …"; az prints the
  // server's description alone.
  const text = (description ?? candidate.message ?? "Authentication failed.")
    .replace(/ - Correlation ID: .*? - Trace ID: [^\r\n]*$/, "")
    .trim();
  return new CliError(`${text}\nInteractive authentication is needed. Please run:\naz login`);
}
