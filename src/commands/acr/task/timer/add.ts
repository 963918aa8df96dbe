// az acr task timer add: one more timer trigger for a task.

import type { CommandSpec } from "../../../../cli/spec.js";
import {
  registry,
  resourceGroup,
  taskName,
  timerEnabled,
  timerName,
  timerSchedule,
} from "../../arguments.js";

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
        'az acr task timer add -n taskname -r registryname --timer-name t2 --schedule "30 9 * * 1-5"',
    },
  ],
};
