// az acr taskrun delete: remove a taskrun, after a confirmation unless --yes.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, taskrunName, yes } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Remove a taskrun from an Azure Container Registry.",
  preview: true,
  arguments: [taskrunName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one taskrun from a registry.",
      command: "az acr taskrun delete -r MyRegistry -n MyTaskRun -g MyResourceGroup",
    },
  ],
};
