// az acr task identity remove: take managed identities away from a task.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { identities, registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

const USER_ASSIGNED_IDENTITY =
  '"/subscriptions/<SUBSCRIPTON ID>/resourcegroups/<RESOURCE GROUP>/providers/' +
  'Microsoft.ManagedIdentity/userAssignedIdentities/myUserAssignedIdentitiy"';

export const spec: CommandSpec = {
  summary: "Take managed identities away from a task.",
  arguments: [taskName, registry, identities, resourceGroup],
  examples: [
    {
      title: "Drop the system-assigned identity of a task.",
      command: "az acr task identity remove -n MyTask -r MyRegistry",
    },
    {
      title: "Drop one user-assigned identity of a task.",
      command:
        "az acr task identity remove -n MyTask -r MyRegistry \\\n" +
        `    --identities ${USER_ASSIGNED_IDENTITY}`,
    },
    {
      title: "Drop every managed identity of a task.",
      command: "az acr task identity remove -n MyTask -r MyRegistry --identities [all]",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { removeTaskIdentity } = await import("../../../../api/task-identity.js");
  return runTaskOperation(context, options, table, removeTaskIdentity);
}
