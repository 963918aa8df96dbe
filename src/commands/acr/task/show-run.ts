// az acr task show-run: one run's properties.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Show the properties of one run of an Azure Container Registry task.",
  arguments: [runId, registry, resourceGroup],
  examples: [
    {
      title: "Show one run as a table.",
      command: "az acr task show-run -r MyRegistry --run-id runId -o table",
    },
  ],
};
