// az acr task timer list: the timer triggers of a task.

import type { CommandSpec } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";

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
