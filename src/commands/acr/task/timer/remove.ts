// az acr task timer remove: delete one timer trigger of a task.

import type { CommandSpec } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName, timerName } from "../../arguments.js";

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
