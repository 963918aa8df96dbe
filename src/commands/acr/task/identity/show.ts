// az acr task identity show: the managed identities of a task.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

export const spec: CommandSpec = {
  summary: "Show which managed identities a task has.",
  arguments: [taskName, registry, resourceGroup],
  examples: [
    {
      title: "Show the managed identities of one task.",
      command: "az acr task identity show -n MyTask -r MyRegistry",
    },
  ],
};

const table = lazyTransformer("taskIdentity");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { showTaskIdentity } = await import("../../../../api/task-identity.js");
  return runTaskOperation(context, options, table, showTaskIdentity);
}
