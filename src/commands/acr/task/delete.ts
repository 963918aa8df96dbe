// az acr task delete: remove a task, after a confirmation unless --yes.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, taskName, yes } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Remove a task from an Azure Container Registry.",
  arguments: [taskName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one task from a registry.",
      command: "az acr task delete -n MyTask -r MyRegistry",
    },
  ],
};
