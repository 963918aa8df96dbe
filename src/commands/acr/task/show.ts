// az acr task show: one task's properties, with its secrets only when asked for.

import type { CommandSpec } from "../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../arguments.js";

export const spec: CommandSpec = {
  summary: "Show the properties of one task of an Azure Container Registry.",
  arguments: [
    taskName,
    registry,
    {
      name: "withSecureProperties",
      options: ["--with-secure-properties"],
      kind: "flag",
      help: "Include the task's secrets (tokens, passwords) in what is shown.",
    },
    resourceGroup,
  ],
  examples: [
    {
      title: "Show a task as a table.",
      command: "az acr task show -n MyTask -r MyRegistry -o table",
    },
    {
      title: "Show a task together with its secure properties.",
      command: "az acr task show -n MyTask -r MyRegistry --with-secure-properties",
    },
  ],
};
