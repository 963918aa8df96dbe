// az acr task list: every task of a registry.

import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup } from "../arguments.js";
import { lazyTransformer, runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "List every task of an Azure Container Registry.",
  arguments: [registry, resourceGroup],
  examples: [
    {
      title: "List the tasks as a table.",
      command: "az acr task list -r MyRegistry -o table",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { listTasks } = await import("../../../api/tasks.js");
  return runTaskOperation(context, options, table, listTasks);
}
