// az acr task credential remove: forget the sign-in details a task has for a registry.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { loginServer, registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "Take the sign-in details of a custom registry away from a task.",
  arguments: [taskName, registry, loginServer, resourceGroup],
  examples: [
    {
      title: "Drop the credential a task has for one registry.",
      command:
        "az acr task credential remove -n taskname -r registryname --login-server " +
        "myregistry.docker.io",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { removeTaskCredential } = await import("../../../../api/task-credentials.js");
  return runTaskOperation(context, options, table, removeTaskCredential);
}
