// az acr taskrun list: every taskrun of a registry.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "List the taskruns of an Azure Container Registry.",
  preview: true,
  arguments: [registry, resourceGroup],
  examples: [
    {
      title: "List the taskruns of a registry as a table.",
      command: "az acr taskrun list -r MyRegistry -g MyResourceGroup -o table",
    },
  ],
};
