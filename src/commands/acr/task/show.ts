// az acr task show: one task's properties, with its secrets only when asked for.

import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../arguments.js";
import { lazyTransformer, runTaskOperation } from "./common.js";

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

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { showTask } = await import("../../../api/tasks.js");
  return runTaskOperation(context, options, table, showTask);
}
