// az acr taskrun logs: the log of the run a taskrun started.

import type { CommandSpec } from "../../../cli/spec.js";
import { noFormat, registry, resourceGroup, taskrunName } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Show the log of the run behind a taskrun.",
  preview: true,
  arguments: [registry, taskrunName, noFormat, resourceGroup],
  examples: [
    {
      title: "Show the run log of one taskrun.",
      command: "az acr taskrun logs -r MyRegistry -n MyTaskRun",
    },
  ],
};
