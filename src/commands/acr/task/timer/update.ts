// az acr task timer update: change the schedule or the state of a timer trigger.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import {
  registry,
  resourceGroup,
  taskName,
  timerEnabled,
  timerName,
  timerSchedule,
} from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "Change a timer trigger of a task.",
  arguments: [taskName, registry, timerName, timerSchedule, timerEnabled, resourceGroup],
  examples: [
    {
      title: "Give a timer trigger of a task another schedule.",
      command:
        "az acr task timer update -n taskname -r registryname --timer-name t2 --schedule " +
        '"0 12 * * *"',
    },
    {
      title: "Switch a timer trigger of a task off.",
      command:
        "az acr task timer update -n taskname -r registryname --timer-name t2 --enabled False",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { updateTaskTimer } = await import("../../../../api/task-timers.js");
  return runTaskOperation(context, options, table, updateTaskTimer);
}
