// az acr task credential list: the custom registries a task has sign-in details for.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "List the custom registry credentials of a task.",
  arguments: [taskName, registry, resourceGroup],
  examples: [
    {
      title: "List the registry credentials of one task.",
      command: "az acr task credential list -n taskname -r registryname",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { listTaskCredentials } = await import("../../../../api/task-credentials.js");
  return runTaskOperation(context, options, table, listTaskCredentials);
}
