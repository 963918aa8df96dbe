// az acr taskrun show: one taskrun's properties.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, taskrunName } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Show the properties of one taskrun of an Azure Container Registry.",
  preview: true,
  arguments: [taskrunName, registry, resourceGroup],
  examples: [
    {
      title: "Show one taskrun as a table.",
      command: "az acr taskrun show -r MyRegistry -n MyTaskRun -o table",
    },
  ],
};
