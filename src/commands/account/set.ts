// az account set: make a subscription of the active cloud the default one.

import type { Context } from "../../cli/context.js";
import { CliError } from "../../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { getActiveCloud, setCloudSubscription } from "../../azure/clouds.js";
import { loadAllAccounts, saveAccounts } from "../../azure/profile.js";
import { subscriptionArgument } from "./common.js";

export const spec: CommandSpec = {
  summary: "Make a subscription the current (default) one.",
  arguments: [{ ...subscriptionArgument, required: true }],
  examples: [],
};

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  const wanted = String(options.subscription).toLowerCase();
  const cloud = getActiveCloud(context.configDir, (message) => context.logger.warning(message));
  const accounts = loadAllAccounts(context.configDir);

  const matches = accounts.filter(
    (account) =>
      (account.id.toLowerCase() === wanted || (account.name ?? "").toLowerCase() === wanted) &&
      account.environmentName === cloud.name,
  );
  if (matches.length !== 1) {
    throw new CliError(
      `The subscription of '${wanted}' ${matches.length === 0 ? "doesn't exist" : "has more than one match"} ` +
        `in cloud '${cloud.name}'.`,
    );
  }

  for (const account of accounts) {
    account.isDefault = false;
  }
  matches[0].isDefault = true;
  setCloudSubscription(context.configDir, cloud.name, matches[0].id);
  saveAccounts(context.configDir, accounts);
  return undefined;
}
