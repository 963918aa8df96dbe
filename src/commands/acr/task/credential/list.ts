// az acr task credential list: the custom registries a task has sign-in details for.

import type { CommandSpec } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";

export const spec: CommandSpec = {
  summary: "List the custom registry credentials of a task.",
  arguments: [taskName, registry, resourceGroup],
  examples: [
    {
      title: "List the registry credentials of one task.",
      command: "az acr task credential list -n taskname -r registryname",
    },
  ],
};
