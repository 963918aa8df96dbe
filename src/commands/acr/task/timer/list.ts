// az acr task timer list: the timer triggers of a task.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "List the timer triggers of a task.",
  arguments: [taskName, registry, resourceGroup],
  examples: [
    {
      title: "List every timer trigger of one task.",
      command: "az acr task timer list -n taskname -r registryname",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { listTaskTimers } = await import("../../../../api/task-timers.js");
  return runTaskOperation(context, options, table, listTaskTimers);
}
