// az account clear: forget every signed-in identity and every cached token.

import { join } from "node:path";

import type { Context } from "../../cli/context.js";
import type { CommandSpec } from "../../cli/spec.js";
import { resetTokenStores } from "../../azure/credentials.js";
import {
  MSAL_CACHE_FILE,
  SERVICE_PRINCIPAL_FILE,
  TOKEN_CACHE_FILE,
  USER_RECORDS_FILE,
  removeFileIfExists,
  saveAccounts,
} from "../../azure/profile.js";

export const spec: CommandSpec = {
  summary: "Remove every subscription from the local store; `logout` removes one identity.",
  arguments: [],
  examples: [],
};

export async function run(_options: unknown, context: Context): Promise<undefined> {
  saveAccounts(context.configDir, []);
  for (const name of [
    SERVICE_PRINCIPAL_FILE,
    MSAL_CACHE_FILE,
    TOKEN_CACHE_FILE,
    USER_RECORDS_FILE,
  ]) {
    removeFileIfExists(join(context.configDir, name));
  }
  resetTokenStores();
  return undefined;
}
