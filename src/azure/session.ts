// What a command needs to reach Azure as the signed-in identity: the active cloud's endpoints,
// the subscription (honouring --subscription), a cached TokenCredential, and SDK client options
// with the --debug HTTP trace. Nothing here loads an SDK until a token is actually requested.

import { readFileSync } from "node:fs";
import { Agent as HttpsAgent } from "node:https";
import { rootCertificates } from "node:tls";

import type { TokenCredential } from "@azure/core-auth";
import type { AdditionalPolicyConfig } from "@azure/core-client";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import {
  activeCloudName,
  getActiveCloud,
  getClouds,
  requireEndpoint,
  type Cloud,
} from "./clouds.js";
import {
  CachingCredential,
  authorityFor,
  environmentCredential,
  environmentServicePrincipal,
  managedIdentityCredential,
  resourceToScopes,
  servicePrincipalCredential,
  tokenStoreFor,
  userCredential,
} from "./credentials.js";
import { createHttpDebugPolicy } from "./http-debug.js";
import {
  findAccount,
  findServicePrincipal,
  loadAccounts,
  loadUserRecords,
  managedIdentityOf,
  type Account,
} from "./profile.js";

/** The endpoints of the active cloud that acrtask uses. */
export interface CloudEndpoints {
  name: string;
  /** ARM base URL without a trailing slash, e.g. https://management.azure.com. */
  resourceManager: string;
  /** The Active Directory (Entra ID) endpoint, e.g. https://login.microsoftonline.com. */
  activeDirectory: string;
  /** The authority host @azure/identity takes (the AD endpoint, less /adfs for ADFS). */
  authorityHost: string;
  /** The audience of ARM tokens (az's active_directory_resource_id). */
  armAudience: string;
  /** Scopes az requests for ARM: the audience plus `/.default`. */
  armScopes: string[];
  /** Suffix of registry login servers, e.g. `.azurecr.io`; undefined if the cloud has none. */
  acrLoginServerSuffix?: string;
  cloud: Cloud;
}

/** The active cloud and the endpoints commands need; az's errors when one is not set. */
export function getCloud(context: Context): CloudEndpoints {
  const cloud = getActiveCloud(context.configDir, (message) => context.logger.warning(message));
  const activeDirectory = requireEndpoint(cloud, "active_directory", context.configDir);
  const armAudience = requireEndpoint(cloud, "active_directory_resource_id", context.configDir);
  return {
    name: cloud.name,
    resourceManager: requireEndpoint(cloud, "resource_manager", context.configDir).replace(
      /\/+$/,
      "",
    ),
    activeDirectory,
    authorityHost: authorityFor(activeDirectory).authorityHost,
    armAudience,
    armScopes: resourceToScopes(armAudience),
    acrLoginServerSuffix: cloud.suffixes.acr_login_server_endpoint ?? undefined,
    cloud,
  };
}

/**
 * The subscription a command works in: `--subscription` (id or name, case-insensitive) or the
 * default one. Without any sign-in, a complete set of AZURE_CLIENT_ID / AZURE_TENANT_ID /
 * AZURE_CLIENT_SECRET variables stands in, with AZURE_SUBSCRIPTION_ID (or --subscription, an
 * id) naming the subscription.
 */
export function getSubscription(context: Context, subscription?: string): Account {
  const wanted = subscription ?? context.globals.subscription;
  const cloud = getActiveCloud(context.configDir, (message) => context.logger.warning(message));
  const accounts = loadAccounts(context.configDir, cloud.name);

  const principal = accounts.length === 0 ? environmentServicePrincipal(context.env) : undefined;
  if (principal) {
    const id = wanted ?? principal.subscriptionId;
    if (!id) {
      throw new CliError(
        "No subscription found. Set AZURE_SUBSCRIPTION_ID or pass --subscription with a " +
          "subscription id.",
      );
    }
    return {
      id,
      name: id,
      state: "Enabled",
      user: { name: principal.clientId, type: "servicePrincipal" },
      isDefault: true,
      tenantId: principal.tenantId,
      environmentName: cloud.name,
      fromEnvironment: true,
    };
  }

  return findAccount(accounts, wanted);
}

/** Whether `value` names a stored subscription (the parser warns early when it does not). */
export function isKnownSubscription(context: Context, value: string): boolean {
  const cloud = getActiveCloud(context.configDir, () => undefined);
  const wanted = value.toLowerCase();
  return loadAccounts(context.configDir, cloud.name).some(
    (account) => account.id.toLowerCase() === wanted || account.name?.toLowerCase() === wanted,
  );
}

/**
 * The policies every request of a command carries, ARM and sign-in alike: trust in the active
 * cloud's own certificate authority when it has one, then the --debug trace.
 */
export function debugPolicies(context: Context): PipelinePolicy[] {
  const policies: PipelinePolicy[] = [];
  const caCertPath = activeCloudCaCertPath(context);
  if (caCertPath) {
    policies.push(createCaTrustPolicy(caCertPath));
  }
  if (context.globals.debug) {
    policies.push(createHttpDebugPolicy({ debug: (message) => context.logger.debug(message) }));
  }
  return policies;
}

/** The active cloud's extra CA file; none when the cloud has none or cannot be read. */
function activeCloudCaCertPath(context: Context): string | undefined {
  try {
    const name = activeCloudName(context.configDir);
    return getClouds(context.configDir).find((cloud) => cloud.name === name)?.caCertPath;
  } catch {
    // A broken clouds.config is reported by the command's own cloud lookup, with az's words.
    return undefined;
  }
}

export const CA_TRUST_POLICY_NAME = "acrtaskCaTrustPolicy";

// One agent per CA file for the whole process, so that keep-alive connections are shared by
// the ARM client, the sign-in and every retry.
const caTrustAgents = new Map<string, HttpsAgent>();

function caTrustAgent(caCertPath: string): HttpsAgent {
  const existing = caTrustAgents.get(caCertPath);
  if (existing) {
    return existing;
  }

  let pem: string;
  try {
    pem = readFileSync(caCertPath, "utf8");
  } catch (error) {
    throw new CliError(
      `The certificate authority file '${caCertPath}' of the active cloud cannot be read: ` +
        `${(error as Error).message}`,
    );
  }
  // Node's `ca` replaces the built-in roots; they are kept so that other hosts still verify.
  const agent = new HttpsAgent({ keepAlive: true, ca: [...rootCertificates, pem] });
  caTrustAgents.set(caCertPath, agent);
  return agent;
}

/**
 * Makes https requests trust the CA in `caCertPath` as well as the system's roots, through an
 * agent on the request (the SDKs' Node HTTP client uses `request.agent` when one is set).
 * NODE_EXTRA_CA_CERTS would do the same only if set before Node starts. The file is read at
 * the first request, so commands that make none do not depend on it.
 */
export function createCaTrustPolicy(caCertPath: string): PipelinePolicy {
  return {
    name: CA_TRUST_POLICY_NAME,
    async sendRequest(request, next) {
      if (!request.agent && request.url.toLowerCase().startsWith("https:")) {
        request.agent = caTrustAgent(caCertPath);
      }
      return next(request);
    },
  };
}

/** Closes the cached agents' idle connections (tests; a CLI process simply exits). */
export function destroyCaTrustAgents(): void {
  for (const agent of caTrustAgents.values()) {
    agent.destroy();
  }
  caTrustAgents.clear();
}

export interface CredentialRequest {
  /** Name or id of the subscription whose account signs in; default: getSubscription's. */
  subscription?: string;
  /** Another tenant than the account's (service principals and users only). */
  tenant?: string;
  /** Skip the token cache's read side (login verifies the credential for real). */
  forceRefresh?: boolean;
}

const credentials = new WeakMap<Context, Map<string, TokenCredential>>();

/**
 * A TokenCredential for the account a command runs as, wrapped in the token cache. Created
 * once per context and account, so one command authenticates at most once per scope.
 */
export async function getCredential(
  context: Context,
  request: CredentialRequest = {},
): Promise<TokenCredential> {
  const account = getSubscription(context, request.subscription);
  const memoKey = `${account.user.name}|${account.tenantId}|${request.tenant ?? ""}`;
  const memo = credentials.get(context) ?? new Map<string, TokenCredential>();
  credentials.set(context, memo);
  const existing = memo.get(memoKey);
  if (existing && !request.forceRefresh) {
    return existing;
  }

  const credential = await credentialForAccount(context, account, request);
  memo.set(memoKey, credential);
  return credential;
}

/** Builds the (cached) credential of a stored account. */
export async function credentialForAccount(
  context: Context,
  account: Account,
  request: CredentialRequest = {},
): Promise<CachingCredential> {
  const cloud = getCloud(context);
  const options = {
    activeDirectory: cloud.activeDirectory,
    additionalPolicies: debugPolicies(context),
  };
  const store = tokenStoreFor(context.configDir, () => context.now().getTime());
  const wrap = (inner: TokenCredential, key: string): CachingCredential =>
    new CachingCredential(
      inner,
      key,
      store,
      () => context.now().getTime(),
      request.forceRefresh === true,
    );

  const managedIdentity = managedIdentityOf(account);
  if (managedIdentity) {
    if (request.tenant) {
      throw new CliError("Tenant shouldn't be specified for managed identity account");
    }
    const inner = await managedIdentityCredential(
      managedIdentity.type,
      managedIdentity.id,
      options,
    );
    return wrap(inner, `msi|${managedIdentity.type}|${managedIdentity.id ?? ""}`);
  }

  const tenant = request.tenant ?? account.tenantId;
  if (account.fromEnvironment) {
    const principal = environmentServicePrincipal(context.env);
    if (!principal) {
      throw new CliError("Please run 'az login' to setup account.");
    }
    const inner = await environmentCredential(principal, options);
    return wrap(inner, `env|${principal.clientId}|${principal.tenantId}`);
  }

  if (account.user.type === "servicePrincipal") {
    const entry = findServicePrincipal(context.configDir, account.user.name, tenant, (message) =>
      context.logger.warning(message),
    );
    const inner = await servicePrincipalCredential(entry, tenant, options);
    return wrap(inner, `sp|${account.user.name}|${tenant}`);
  }

  const record = loadUserRecords(context.configDir).find(
    (candidate) => candidate.username.toLowerCase() === account.user.name.toLowerCase(),
  );
  if (!record) {
    throw new CliError(
      `Can't find token from the local cache for ${account.user.name}.\n` +
        "To re-authenticate, please run:\naz login",
    );
  }
  const inner = await userCredential({
    ...options,
    configDir: context.configDir,
    tenant,
    record: { ...record, tenantId: tenant },
  });
  return wrap(inner, `user|${account.user.name.toLowerCase()}|${tenant}`);
}

/** The pieces of an ARM connection (see src/azure/arm.ts) for the current account. */
export interface ArmSession {
  credential: TokenCredential;
  subscriptionId: string;
  endpoint: string;
  credentialScopes: string[];
  additionalPolicies: AdditionalPolicyConfig[];
}

export async function getArmSession(context: Context): Promise<ArmSession> {
  const account = getSubscription(context);
  const cloud = getCloud(context);
  return {
    credential: await getCredential(context),
    subscriptionId: account.id,
    ...sdkClientOptions(context, cloud),
  };
}

/**
 * Options for any Azure SDK client: the cloud's ARM endpoint and token scopes, and the --debug
 * trace. `authorityHost` is there for clients that build their own credentials.
 */
export function sdkClientOptions(
  context: Context,
  cloud: CloudEndpoints = getCloud(context),
): {
  endpoint: string;
  credentialScopes: string[];
  authorityHost: string;
  additionalPolicies: AdditionalPolicyConfig[];
} {
  return {
    endpoint: cloud.resourceManager,
    credentialScopes: cloud.armScopes,
    authorityHost: cloud.authorityHost,
    additionalPolicies: debugPolicies(context).map((policy) => ({
      policy,
      position: "perRetry" as const,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP calls outside the ARM client: sign-in listings, tenant and cloud discovery

export interface HttpAnswer {
  status: number;
  bodyText: string;
  contentType?: string;
}

/** One GET through an Azure pipeline (retries, --debug trace), optionally with a bearer token. */
export async function httpGet(
  context: Context,
  url: string,
  auth?: { credential: TokenCredential; scopes: string[] },
): Promise<HttpAnswer> {
  const {
    bearerTokenAuthenticationPolicy,
    createDefaultHttpClient,
    createHttpHeaders,
    createPipelineFromOptions,
    createPipelineRequest,
  } = await import("@azure/core-rest-pipeline");

  const pipeline = createPipelineFromOptions({});
  if (auth) {
    pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: auth.credential, scopes: auth.scopes }),
      { phase: "Sign" },
    );
  }
  for (const policy of debugPolicies(context)) {
    pipeline.addPolicy(policy, { afterPhase: "Sign" });
  }

  // Like az's plain requests, an unauthenticated call (cloud metadata) may use http.
  const request = createPipelineRequest({
    url,
    method: "GET",
    headers: createHttpHeaders({ Accept: "application/json" }),
    allowInsecureConnection: auth === undefined,
  });
  const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
  return {
    status: response.status,
    bodyText: response.bodyAsText ?? "",
    contentType: response.headers.get("content-type") ?? undefined,
  };
}

/** Every `value` item of an ARM list, following nextLink; ARM errors as az prints them. */
export async function armListAll(
  context: Context,
  url: string,
  credential: TokenCredential,
  scopes: string[],
): Promise<Record<string, unknown>[]> {
  const { describeHttpFailure } = await import("./arm-errors.js");
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  while (next) {
    const answer = await httpGet(context, next, { credential, scopes });
    if (answer.status !== 200) {
      const report = describeHttpFailure({
        statusCode: answer.status,
        bodyText: answer.bodyText,
        contentType: answer.contentType,
      });
      throw new CliError(report.message, report.exitCode);
    }
    const page = JSON.parse(answer.bodyText || "{}") as { value?: unknown; nextLink?: unknown };
    if (Array.isArray(page.value)) {
      items.push(...(page.value as Record<string, unknown>[]));
    }
    next = typeof page.nextLink === "string" && page.nextLink !== "" ? page.nextLink : undefined;
  }
  return items;
}
