// az logout: forget an identity — its subscriptions, its stored secret and its cached tokens.

import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../cli/spec.js";
import { getActiveCloud } from "../azure/clouds.js";
import { forgetUser, tokenStoreFor } from "../azure/credentials.js";
import {
  findAccount,
  loadAccounts,
  loadAllAccounts,
  removeServicePrincipal,
  removeUserRecord,
  saveAccounts,
} from "../azure/profile.js";

export const spec: CommandSpec = {
  summary: "Sign out, removing access to Azure subscriptions.",
  arguments: [
    {
      name: "username",
      options: ["--username"],
      kind: "value",
      help:
        "The user or service principal to sign out; by default, the one of the current " +
        "account.",
    },
  ],
  examples: [],
};

/** Removes every trace of `user` from the config directory. */
export function forgetIdentity(configDir: string, user: string): void {
  const remaining = loadAllAccounts(configDir).filter(
    (account) => account.user?.name?.toLowerCase() !== user.toLowerCase(),
  );
  saveAccounts(configDir, remaining);

  removeServicePrincipal(configDir, user);
  removeUserRecord(configDir, user);
  forgetUser(configDir, user);
  const store = tokenStoreFor(configDir);
  store.forget(`sp|${user}|`);
  store.forget(`user|${user.toLowerCase()}|`);
  if (user === "systemAssignedIdentity" || user === "userAssignedIdentity") {
    store.forget("msi|");
  }
}

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  let username = options.username as string | undefined;
  if (!username) {
    const cloud = getActiveCloud(context.configDir, (message) => context.logger.warning(message));
    try {
      username = findAccount(loadAccounts(context.configDir, cloud.name)).user.name;
    } catch {
      throw new CliError("There are no active accounts.");
    }
  }
  forgetIdentity(context.configDir, username);
  return undefined;
}
