// az acr task credential update: change the sign-in details a task has for a registry.

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

export const spec: CommandSpec = {
  summary: "Change the sign-in details a task has for a custom registry.",
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
      title: "Give a task a new user name and password for a registry",
      command:
        "az acr task credential update -n taskname -r registryname " +
        "--login-server myregistry.docker.io \\\n" +
        "    -u myusername2 -p mysecret",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { updateTaskCredential } = await import("../../../../api/task-credentials.js");
  return runTaskOperation(context, options, table, updateTaskCredential);
}
