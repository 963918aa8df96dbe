// az acr task cancel-run: stop a queued or running run.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Stop a run of an Azure Container Registry.",
  arguments: [runId, registry, resourceGroup],
  examples: [
    {
      title: "Stop one run",
      command: "az acr task cancel-run -r MyRegistry --run-id runId",
    },
  ],
};
