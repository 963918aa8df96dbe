// az acr task identity show: the managed identities of a task.

import type { CommandSpec } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";

export const spec: CommandSpec = {
  summary: "Show which managed identities a task has.",
  arguments: [taskName, registry, resourceGroup],
  examples: [
    {
      title: "Show the managed identities of one task.",
      command: "az acr task identity show -n MyTask -r MyRegistry",
    },
  ],
};
