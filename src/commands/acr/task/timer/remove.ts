// az acr task timer remove: delete one timer trigger of a task.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName, timerName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "Delete a timer trigger of a task.",
  arguments: [taskName, registry, timerName, resourceGroup],
  examples: [
    {
      title: "Delete one timer trigger of a task.",
      command: "az acr task timer remove -n taskname -r registryname --timer-name t2",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { removeTaskTimer } = await import("../../../../api/task-timers.js");
  return runTaskOperation(context, options, table, removeTaskTimer);
}
