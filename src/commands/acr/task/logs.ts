// az acr task logs: the log of one run, or of the latest run when no run ID is given.

import type { CommandSpec } from "../../../cli/spec.js";
import { imageFilter, noFormat, registry, resourceGroup, runId } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Show the log of a run. Without a run ID, the log of the run created last is shown.",
  arguments: [
    registry,
    { ...runId, required: false },
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      help: "Without --run-id: the last run of the task with this name.",
    },
    {
      ...imageFilter,
      help:
        "Without --run-id: the last run that produced this image, named alone, as 'name:tag' " +
        "or as 'name@digest'.",
    },
    noFormat,
    resourceGroup,
  ],
  examples: [
    {
      title: "Show the log of the run created last in the registry.",
      command: "az acr task logs -r MyRegistry",
    },
    {
      title: "Show the log of the run of one task created last in the registry.",
      command: "az acr task logs -r MyRegistry -n MyTask",
    },
    {
      title: "Show the log of one run.",
      command: "az acr task logs -r MyRegistry --run-id runId",
    },
    {
      title: "Show the log of the run created last that built the image 'hello-world'.",
      command: "az acr task logs -r MyRegistry --image hello-world",
    },
  ],
};
