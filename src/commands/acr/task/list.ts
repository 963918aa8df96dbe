// az acr task list: every task of a registry.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup } from "../arguments.js";

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
