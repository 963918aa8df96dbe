// az acr task credential add: sign-in details a task uses for one more registry.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import {
  credentialPassword,
  credentialUsername,
  loginServer,
  registry,
  resourceGroup,
  taskName,
  useIdentity,
} from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

const SERVER =
  "az acr task credential add -n taskname -r registryname --login-server myregistry.docker.io \\\n";
const VAULT_USERNAME = "https://mykeyvault.vault.azure.net/secrets/secretusername";
const VAULT_PASSWORD = "https://mykeyvault.vault.azure.net/secrets/secretpassword";
const CLIENT_ID = "00000000-0000-0000-0000-000000000000";

export const spec: CommandSpec = {
  summary: "Give a task the sign-in details of a custom registry.",
  arguments: [
    taskName,
    registry,
    loginServer,
    credentialUsername,
    credentialPassword,
    useIdentity,
    resourceGroup,
  ],
  examples: [
    {
      title: "Add a registry credential made of a user name and a password in plain text.",
      command: `${SERVER}    -u myusername -p mysecret`,
    },
    {
      title:
        "Add a registry credential whose user name and password are Key Vault secrets, read " +
        "with the system-assigned identity of the task.",
      command:
        `${SERVER}    -u ${VAULT_USERNAME} -p ${VAULT_PASSWORD} \\\n` +
        "    --use-identity [system]",
    },
    {
      title:
        "Add a registry credential whose user name and password are Key Vault secrets, read " +
        "with a user-assigned identity of the task named by its client ID.",
      command:
        `${SERVER}    -u ${VAULT_USERNAME} -p ${VAULT_PASSWORD} \\\n` +
        `    --use-identity ${CLIENT_ID}`,
    },
    {
      title:
        "Add a registry credential with a plain-text user name and a Key Vault secret as the " +
        "password, read with a user-assigned identity of the task named by its client ID.",
      command: `${SERVER}    -u myusername -p ${VAULT_PASSWORD} \\\n    --use-identity ${CLIENT_ID}`,
    },
    {
      title:
        "Add a registry credential with a plain-text user name and a Key Vault secret as the " +
        "password, read with the task's default managed identity if it has one.",
      command: `${SERVER}    -u myusername -p ${VAULT_PASSWORD}`,
    },
    {
      title:
        "Add a registry credential that signs in with nothing but the system-assigned identity " +
        "of the task.",
      command: `${SERVER}    --use-identity [system]`,
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { addTaskCredential } = await import("../../../../api/task-credentials.js");
  return runTaskOperation(context, options, table, addTaskCredential);
}
