// az account show: the stored record of the default subscription, or of the one named.

import type { Context } from "../../cli/context.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { getSubscription } from "../../azure/session.js";
import { subscriptionArgument } from "./common.js";

export const spec: CommandSpec = {
  summary: "Show the details of a subscription.",
  description: "Without --subscription, shows the default subscription.",
  arguments: [subscriptionArgument],
  examples: [],
};

export async function run(options: ParsedOptions, context: Context): Promise<unknown> {
  const account = structuredClone(
    getSubscription(context, options.subscription as string | undefined),
  );
  delete account.fromEnvironment;
  return account;
}
