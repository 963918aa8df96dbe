// az account list: the stored subscriptions of the active cloud (all clouds with --all),
// optionally listed afresh from Azure first.

import type { Context } from "../../cli/context.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { getActiveCloud, setCloudSubscription } from "../../azure/clouds.js";
import { describeAuthenticationFailure } from "../../azure/credentials.js";
import {
  accountsFromListing,
  loadAccounts,
  loadAllAccounts,
  mergeAccounts,
  saveAccounts,
  tenantLevelAccounts,
  TENANT_LEVEL_ACCOUNT_NAME,
  type Account,
  type ListedSubscription,
} from "../../azure/profile.js";
import { armListAll, credentialForAccount, getCloud } from "../../azure/session.js";

export const spec: CommandSpec = {
  summary:
    "List the subscriptions of the signed-in accounts. By default, only the 'Enabled' ones of " +
    "the current cloud.",
  arguments: [
    {
      name: "all",
      options: ["--all"],
      kind: "flag",
      help: "List the subscriptions of every cloud, whatever their state.",
    },
    {
      name: "refresh",
      options: ["--refresh"],
      kind: "flag",
      help: "Fetch the current list of subscriptions from Azure first.",
    },
  ],
  examples: [],
};

export function tableTransformer(result: unknown): Record<string, unknown>[] {
  return (result as Record<string, unknown>[]).map((row) => ({
    Name: row.name,
    CloudName: row.cloudName,
    SubscriptionId: row.id,
    TenantId: row.tenantId,
    State: row.state,
    IsDefault: row.isDefault,
  }));
}

/** az's refresh_accounts: list again for every identity of the active cloud. */
async function refresh(context: Context): Promise<void> {
  const cloud = getCloud(context);
  const stored = loadAccounts(context.configDir, cloud.name);
  const refreshed: Account[] = [];
  const done = new Set<string>();

  for (const account of stored) {
    const user = account.user.name;
    if (done.has(user)) {
      continue;
    }
    done.add(user);

    let fresh: Account[];
    try {
      const credential = await credentialForAccount(context, account);
      const listing = (await armListAll(
        context,
        `${cloud.resourceManager}/subscriptions?api-version=2019-11-01`,
        credential,
        cloud.armScopes,
      )) as ListedSubscription[];
      fresh = accountsFromListing(
        listing,
        account.tenantId,
        {
          user,
          isServicePrincipal: account.user.type === "servicePrincipal",
          assignedIdentityInfo: account.user.assignedIdentityInfo,
        },
        cloud.name,
      );
    } catch (error) {
      const reason =
        describeAuthenticationFailure(error)?.message.split("\n")[0] ?? (error as Error).message;
      context.logger.warning(
        `Refreshing for '${user}' failed with an error '${reason}'. The existing accounts were ` +
          "not modified. You can run 'az login' later to explicitly refresh them",
      );
      refreshed.push(...stored.filter((candidate) => candidate.user.name === user));
      continue;
    }

    if (fresh.length === 0 && account.name === TENANT_LEVEL_ACCOUNT_NAME) {
      fresh = tenantLevelAccounts(
        [account.tenantId],
        { user, isServicePrincipal: account.user.type === "servicePrincipal" },
        cloud.name,
      );
    }
    refreshed.push(...fresh);
  }

  // Accounts of other clouds are kept (az drops them here).
  const otherClouds = loadAllAccounts(context.configDir).filter(
    (account) => account.environmentName !== cloud.name,
  );
  const { accounts, defaultId } = mergeAccounts(stored, refreshed, false);
  if (defaultId) {
    setCloudSubscription(context.configDir, cloud.name, defaultId);
  }
  saveAccounts(context.configDir, [...otherClouds, ...accounts]);
}

export async function run(options: ParsedOptions, context: Context): Promise<unknown> {
  if (options.refresh === true) {
    await refresh(context);
  }

  const cloud = getActiveCloud(context.configDir, (message) => context.logger.warning(message));
  let accounts: Record<string, unknown>[] = loadAccounts(
    context.configDir,
    cloud.name,
    options.all === true,
  ).map((account) => {
    const { environmentName, ...rest } = account;
    return { ...rest, cloudName: environmentName ?? null };
  });

  if (accounts.length === 0) {
    context.logger.warning('Please run "az login" to access your accounts.');
  }
  if (options.all !== true) {
    const enabled = accounts.filter((account) => account.state === "Enabled");
    if (enabled.length !== accounts.length) {
      context.logger.warning(
        "A few accounts are skipped as they don't have 'Enabled' state. Use '--all' to " +
          "display them.",
      );
      accounts = enabled;
    }
  }
  return accounts;
}
