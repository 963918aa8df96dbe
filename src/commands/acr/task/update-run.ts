// az acr task update-run: change the properties of a run (whether it is archived).

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Change properties of a run of an Azure Container Registry task.",
  arguments: [
    runId,
    registry,
    {
      name: "noArchive",
      options: ["--no-archive"],
      kind: "threeState",
      help: "Turn archiving of the run off (true) or on (false).",
    },
    resourceGroup,
  ],
  examples: [
    {
      title: "Have a run archived.",
      command: "az acr task update-run -r MyRegistry --run-id runId --no-archive false",
    },
  ],
};
