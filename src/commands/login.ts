// az login: sign in (service principal, federated token, managed identity, user by device code
// or password), list the subscriptions the identity sees, store them, and print them.

import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";

import type { TokenCredential } from "@azure/core-auth";

import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../cli/spec.js";
import { setCloudSubscription } from "../azure/clouds.js";
import {
  CachingCredential,
  authorityFor,
  describeAuthenticationFailure,
  managedIdentityCredential,
  resourceToScopes,
  servicePrincipalCredential,
  tenantOfToken,
  tokenStoreFor,
  userCredential,
  userRecordFromCache,
  usernamePasswordCredential,
  type ManagedIdentityKind,
} from "../azure/credentials.js";
import {
  SYSTEM_ASSIGNED_IDENTITY,
  USER_ASSIGNED_IDENTITY,
  accountsFromListing,
  loadAllAccounts,
  mergeAccounts,
  saveAccounts,
  saveServicePrincipal,
  saveUserRecord,
  tenantLevelAccounts,
  type Account,
  type AccountIdentity,
  type ListedSubscription,
  type ServicePrincipalEntry,
} from "../azure/profile.js";
import {
  armListAll,
  debugPolicies,
  getCloud,
  httpGet,
  type CloudEndpoints,
} from "../azure/session.js";

export const spec: CommandSpec = {
  summary: "Sign in to Azure.",
  description:
    "Without arguments this signs in a user account with a device code: open the page shown " +
    "and enter the code. Pass --service-principal to sign in as an application instead.",
  arguments: [
    {
      name: "username",
      options: ["--username", "-u"],
      kind: "value",
      help:
        "User name, or the application (client) id of a service principal, or the id of " +
        "a managed identity.",
    },
    {
      name: "password",
      options: ["--password", "-p"],
      kind: "value",
      help:
        "The user's password; for a service principal, its client secret or the path of a PEM " +
        "file holding its private key and certificate.",
    },
    {
      name: "servicePrincipal",
      options: ["--service-principal"],
      kind: "flag",
      help: "Sign in as a service principal (an application) rather than as a user.",
    },
    {
      name: "tenant",
      options: ["--tenant", "-t"],
      kind: "value",
      help: "The Microsoft Entra tenant, by id or domain name; needed for service principals.",
    },
    {
      name: "allowNoSubscriptions",
      options: ["--allow-no-subscriptions"],
      kind: "flag",
      help:
        "Also sign in to tenants where the identity has no subscription, for " +
        "tenant-level commands.",
    },
    {
      name: "identity",
      options: ["-i", "--identity"],
      kind: "flag",
      group: "Managed Service Identity",
      help: "Sign in with the managed identity of the machine this runs on.",
    },
    {
      name: "useDeviceCode",
      options: ["--use-device-code"],
      kind: "flag",
      help: "Sign in with a device code, entered in a browser on any machine.",
    },
    {
      name: "useCertSnIssuer",
      options: ["--use-cert-sn-issuer"],
      kind: "flag",
      help:
        "For a service principal whose certificate is trusted by subject name and issuer: send " +
        "the certificate chain, so the certificate can be rolled over without re-registering.",
    },
    {
      name: "scope",
      options: ["--scope"],
      kind: "list",
      help: "The scope to request at sign-in; it may name a single static resource only.",
    },
    {
      name: "federatedToken",
      options: ["--federated-token"],
      kind: "value",
      help: "A federated (OIDC) token to exchange for an access token, for workload identity.",
    },
  ],
  examples: [
    { title: "Sign in interactively.", command: "az login" },
    {
      title:
        "Sign in with a user name and password (not for Microsoft accounts or accounts with " +
        "multi-factor authentication). Write -p=secret if the password starts with '-'.",
      command: "az login -u johndoe@contoso.com -p VerySecret",
    },
    {
      title:
        "Sign in as a service principal with a client secret. Write -p=secret if the secret " +
        "starts with '-'.",
      command:
        "az login --service-principal -u http://azure-cli-2016-08-05-14-31-15 -p " +
        "VerySecret --tenant contoso.onmicrosoft.com",
    },
    {
      title: "Sign in as a service principal with a client certificate.",
      command:
        "az login --service-principal -u http://azure-cli-2016-08-05-14-31-15 -p " +
        "~/mycertfile.pem --tenant contoso.onmicrosoft.com",
    },
    {
      title: "Sign in with the system-assigned managed identity of a VM.",
      command: "az login --identity",
    },
    {
      title:
        "Sign in with a user-assigned managed identity of a VM; its client id or object " +
        "id work too.",
      command:
        "az login --identity -u " +
        "/subscriptions/<subscriptionId>/resourcegroups/myRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myID",
    },
  ],
};

const SUBSCRIPTIONS_API_VERSION = "2019-11-01";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** az's validate_tenant: a domain name is resolved to the tenant id through OpenID discovery. */
async function resolveTenant(
  context: Context,
  cloud: CloudEndpoints,
  tenant: string | undefined,
): Promise<string | undefined> {
  if (tenant === undefined || GUID.test(tenant)) {
    return tenant;
  }
  const answer = await httpGet(
    context,
    `${cloud.activeDirectory}/${tenant}/.well-known/openid-configuration`,
  );
  if (answer.status !== 200) {
    throw new CliError(`Failed to resolve tenant '${tenant}'.\n\nError detail: ${answer.bodyText}`);
  }
  const issuer = String((JSON.parse(answer.bodyText) as { issuer?: unknown }).issuer ?? "");
  return issuer.split("/")[3];
}

async function listSubscriptions(
  context: Context,
  cloud: CloudEndpoints,
  credential: TokenCredential,
): Promise<ListedSubscription[]> {
  return (await armListAll(
    context,
    `${cloud.resourceManager}/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`,
    credential,
    cloud.armScopes,
  )) as ListedSubscription[];
}

async function listTenants(
  context: Context,
  cloud: CloudEndpoints,
  credential: TokenCredential,
): Promise<{ tenantId: string; displayName?: string }[]> {
  const tenants = await armListAll(
    context,
    `${cloud.resourceManager}/tenants?api-version=${SUBSCRIPTIONS_API_VERSION}`,
    credential,
    cloud.armScopes,
  );
  return tenants.map((tenant) => ({
    tenantId: String(tenant.tenantId ?? ""),
    displayName: typeof tenant.displayName === "string" ? tenant.displayName : undefined,
  }));
}

/** Turns the token service's refusal into az's message; anything else passes through. */
async function authenticated<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw describeAuthenticationFailure(error) ?? error;
  }
}

/** The credential a service principal signs in with, as az's ServicePrincipalAuth decides. */
function servicePrincipalEntry(
  clientId: string,
  tenant: string,
  password: string | undefined,
  federatedToken: string | undefined,
  useCertSnIssuer: boolean,
): ServicePrincipalEntry {
  const entry: ServicePrincipalEntry = { client_id: clientId, tenant };
  if (password) {
    const expanded = password.replace(/^~(?=$|\/)/, homedir());
    if (existsSync(expanded) && statSync(expanded).isFile()) {
      entry.certificate = expanded;
      if (useCertSnIssuer) {
        entry.use_cert_sn_issuer = true;
      }
    } else {
      entry.client_secret = password;
    }
  } else if (federatedToken) {
    entry.client_assertion = federatedToken;
  }
  return entry;
}

/** Stores the accounts and returns what az prints: the new ones, environmentName as cloudName. */
function storeAccounts(context: Context, cloud: CloudEndpoints, fresh: Account[]): unknown[] {
  const { accounts, defaultId } = mergeAccounts(loadAllAccounts(context.configDir), fresh);
  if (defaultId) {
    setCloudSubscription(context.configDir, cloud.name, defaultId);
  }
  saveAccounts(context.configDir, accounts);

  return fresh.map((account) => {
    const { environmentName, ...rest } = structuredClone(account);
    return { ...rest, cloudName: environmentName ?? null };
  });
}

export async function run(options: ParsedOptions, context: Context): Promise<unknown> {
  const username = options.username as string | undefined;
  const password = options.password as string | undefined;
  const servicePrincipal = options.servicePrincipal === true;
  const identity = options.identity === true;
  const useDeviceCode = options.useDeviceCode === true;
  const useCertSnIssuer = options.useCertSnIssuer === true;
  const federatedToken = options.federatedToken as string | undefined;
  const allowNoSubscriptions = options.allowNoSubscriptions === true;
  const scopes = (options.scope as string[] | undefined)?.length
    ? (options.scope as string[])
    : undefined;

  const cloud = getCloud(context);
  const tenant = await resolveTenant(context, cloud, options.tenant as string | undefined);

  // az's usage checks, in its order.
  if ((password || servicePrincipal || tenant) && identity) {
    throw new CliError("usage error: '--identity' is not applicable with other arguments");
  }
  if ((password || servicePrincipal || username || identity) && useDeviceCode) {
    throw new CliError("usage error: '--use-device-code' is not applicable with other arguments");
  }
  if (useCertSnIssuer && !servicePrincipal) {
    throw new CliError(
      "usage error: '--use-sn-issuer' is only applicable with a service principal",
    );
  }
  if (servicePrincipal && !username) {
    throw new CliError(
      "usage error: --service-principal --username NAME --password SECRET --tenant TENANT",
    );
  }

  if (identity) {
    return storeAccounts(
      context,
      cloud,
      await loginWithManagedIdentity(context, cloud, username, allowNoSubscriptions),
    );
  }

  if (username && !(password || federatedToken)) {
    // az prompts on a terminal; acrtask never prompts for a secret.
    throw new CliError("Please specify both username and password in non-interactive mode.");
  }

  const policies = debugPolicies(context);
  const store = tokenStoreFor(context.configDir, () => context.now().getTime());
  const loginScopes = scopes ?? cloud.armScopes;

  if (servicePrincipal) {
    const clientId = username as string;
    const entry = servicePrincipalEntry(
      clientId,
      tenant ?? "",
      password,
      federatedToken,
      useCertSnIssuer,
    );
    const signIn = new CachingCredential(
      await servicePrincipalCredential(entry, tenant ?? "organizations", {
        activeDirectory: cloud.activeDirectory,
        additionalPolicies: policies,
      }),
      `sp|${clientId}|${tenant ?? ""}`,
      store,
      () => context.now().getTime(),
      true,
    );
    await authenticated(() => signIn.getToken(loginScopes));
    saveServicePrincipal(context.configDir, entry);

    const listing = new CachingCredential(
      await servicePrincipalCredential(entry, tenant ?? "organizations", {
        activeDirectory: cloud.activeDirectory,
        additionalPolicies: policies,
      }),
      `sp|${clientId}|${tenant ?? ""}`,
      store,
      () => context.now().getTime(),
    );
    const accountIdentity: AccountIdentity = {
      user: clientId,
      isServicePrincipal: true,
      useCertSNIssuer: useCertSnIssuer,
    };
    return storeAccounts(
      context,
      cloud,
      await findAccounts(context, cloud, listing, accountIdentity, tenant, allowNoSubscriptions, {
        name: clientId,
      }),
    );
  }

  return storeAccounts(
    context,
    cloud,
    await loginUser(context, cloud, username, password, tenant, loginScopes, allowNoSubscriptions),
  );
}

/**
 * Subscriptions of an identity: in the given tenant, or (users without --tenant) in every
 * tenant the identity can see, as az's SubscriptionFinder does.
 */
async function findAccounts(
  context: Context,
  cloud: CloudEndpoints,
  credential: TokenCredential,
  accountIdentity: AccountIdentity,
  tenant: string | undefined,
  allowNoSubscriptions: boolean,
  who: { name: string },
  perTenant?: (tenantId: string) => Promise<TokenCredential>,
): Promise<Account[]> {
  const found: Account[] = [];
  const tenantsSeen: string[] = [];

  if (tenant || !perTenant) {
    const tokenTenant = tenant ?? (await tenantFromCredential(credential, cloud));
    found.push(
      ...accountsFromListing(
        await listSubscriptions(context, cloud, credential),
        tokenTenant,
        accountIdentity,
        cloud.name,
      ),
    );
    tenantsSeen.push(tokenTenant);
  } else {
    const emptyTenants: string[] = [];
    for (const listed of await listTenants(context, cloud, credential)) {
      const name = listed.displayName
        ? `${listed.tenantId} '${listed.displayName}'`
        : listed.tenantId;
      let accounts: Account[];
      try {
        const tenantCredential = await perTenant(listed.tenantId);
        accounts = accountsFromListing(
          await listSubscriptions(context, cloud, tenantCredential),
          listed.tenantId,
          accountIdentity,
          cloud.name,
        );
      } catch (error) {
        const failure = describeAuthenticationFailure(error);
        if (!failure) {
          throw error;
        }
        context.logger.warning(
          `Failed to authenticate ${name} due to error '${failure.message.split("\n")[0]}'`,
        );
        continue;
      }
      tenantsSeen.push(listed.tenantId);
      if (accounts.length === 0) {
        emptyTenants.push(name);
      }
      for (const account of accounts) {
        const duplicate = found.find((existing) => existing.id === account.id);
        if (duplicate) {
          context.logger.warning(
            `Subscription ${account.id} '${account.name}' can be accessed from tenants ` +
              `${duplicate.tenantId}(default) and ${account.tenantId}. To select a specific ` +
              "tenant when accessing this subscription, use 'az login --tenant TENANT_ID'.",
          );
          continue;
        }
        found.push(account);
      }
    }
    if (emptyTenants.length > 0) {
      context.logger.warning(
        "The following tenants don't contain accessible subscriptions. Use 'az login " +
          "--allow-no-subscriptions' to have tenant level access.",
      );
      for (const name of emptyTenants) {
        context.logger.warning(name);
      }
    }
  }

  if (found.length === 0 && !allowNoSubscriptions) {
    throw new CliError(`No subscriptions found for ${who.name}.`);
  }
  if (allowNoSubscriptions) {
    const bare = tenantsSeen.filter((seen) => !found.some((account) => account.tenantId === seen));
    found.push(...tenantLevelAccounts(bare, accountIdentity, cloud.name));
  }
  return found;
}

async function tenantFromCredential(
  credential: TokenCredential,
  cloud: CloudEndpoints,
): Promise<string> {
  const token = await credential.getToken(cloud.armScopes);
  return (token && tenantOfToken(token.token)) || "";
}

async function loginUser(
  context: Context,
  cloud: CloudEndpoints,
  username: string | undefined,
  password: string | undefined,
  tenant: string | undefined,
  scopes: string[],
  allowNoSubscriptions: boolean,
): Promise<Account[]> {
  const options = {
    activeDirectory: cloud.activeDirectory,
    additionalPolicies: debugPolicies(context),
    configDir: context.configDir,
    tenant,
  };

  let user: string | undefined = username;
  let record;
  if (username && password) {
    const credential = await usernamePasswordCredential({ ...options, username, password });
    await authenticated(() => credential.getToken(scopes));
    record = userRecordFromCache(context.configDir, username);
  } else {
    // az prints the device code instructions with print(), not its logger: no "WARNING:"
    // prefix, and --only-show-errors does not hide them.
    const credential = await userCredential({
      ...options,
      prompt: (message) => context.stderr.write(`${message}\n`),
    });
    record = await authenticated(() => credential.authenticate(scopes));
    user = record?.username;
  }
  if (!record || !user) {
    throw new CliError(
      "Can't find token from MSAL cache.\nTo re-authenticate, please run:\naz login",
    );
  }
  saveUserRecord(context.configDir, record);

  const store = tokenStoreFor(context.configDir, () => context.now().getTime());
  const forTenant = async (tenantId: string): Promise<TokenCredential> =>
    new CachingCredential(
      await userCredential({ ...options, tenant: tenantId, record: { ...record, tenantId } }),
      `user|${(user as string).toLowerCase()}|${tenantId}`,
      store,
      () => context.now().getTime(),
    );

  const home = authorityFor(cloud.activeDirectory, tenant ?? record.tenantId).tenantId;
  return findAccounts(
    context,
    cloud,
    await forTenant(tenant ?? home),
    { user, isServicePrincipal: false },
    tenant,
    allowNoSubscriptions,
    { name: user },
    tenant ? undefined : forTenant,
  );
}

const RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/.+/i;

/**
 * `login --identity [-u id]`: az tries a client id, then an object id, unless given a resource id.
 */
async function loginWithManagedIdentity(
  context: Context,
  cloud: CloudEndpoints,
  identityId: string | undefined,
  allowNoSubscriptions: boolean,
): Promise<Account[]> {
  const options = {
    activeDirectory: cloud.activeDirectory,
    additionalPolicies: debugPolicies(context),
  };
  const store = tokenStoreFor(context.configDir, () => context.now().getTime());
  const resource = cloud.armAudience;

  const attempt = async (kind: ManagedIdentityKind) => {
    const credential = new CachingCredential(
      await managedIdentityCredential(kind, identityId, options),
      `msi|${kind}|${identityId ?? ""}`,
      store,
      () => context.now().getTime(),
    );
    const token = await credential.getToken(resourceToScopes(resource));
    return { kind, credential, token };
  };

  let result;
  if (!identityId) {
    result = await authenticated(() => attempt("MSI"));
  } else if (RESOURCE_ID.test(identityId)) {
    result = await authenticated(() => attempt("MSIResource"));
  } else {
    try {
      result = await attempt("MSIClient");
    } catch {
      try {
        result = await attempt("MSIObject");
      } catch {
        throw new CliError("Failed to connect to MSI, check your managed service identity id.");
      }
    }
  }

  const tenant = tenantOfToken(result.token.token) ?? "";
  const user = identityId ? USER_ASSIGNED_IDENTITY : SYSTEM_ASSIGNED_IDENTITY;
  const accountIdentity: AccountIdentity = {
    user,
    isServicePrincipal: true,
    assignedIdentityInfo: identityId ? `${result.kind}-${identityId}` : result.kind,
  };
  const accounts = accountsFromListing(
    await listSubscriptions(context, cloud, result.credential),
    tenant,
    accountIdentity,
    cloud.name,
  );
  if (accounts.length > 0) {
    return accounts;
  }
  if (allowNoSubscriptions) {
    return tenantLevelAccounts([tenant], accountIdentity, cloud.name);
  }
  throw new CliError(
    "No access was configured for the VM, hence no subscriptions were found. If this is " +
      "expected, use '--allow-no-subscriptions' to have tenant level access.",
  );
}
