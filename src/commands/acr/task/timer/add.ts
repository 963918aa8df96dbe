// az acr task timer add: one more timer trigger for a task.

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
  summary: "Give a task a new timer trigger.",
  arguments: [
    taskName,
    registry,
    timerName,
    { ...timerSchedule, required: true },
    { ...timerEnabled, defaultValue: true },
    resourceGroup,
  ],
  examples: [
    {
      title: "Add a timer that starts the task at 09:30 UTC on weekdays, Monday to Friday.",
      command:
        "az acr task timer add -n taskname -r registryname --timer-name t2 --schedule " +
        '"30 9 * * 1-5"',
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { addTaskTimer } = await import("../../../../api/task-timers.js");
  return runTaskOperation(context, options, table, addTaskTimer);
}
