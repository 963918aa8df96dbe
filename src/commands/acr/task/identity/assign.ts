// az acr task identity assign: give a task managed identities.

import type { Context } from "../../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../../cli/spec.js";
import { identities, registry, resourceGroup, taskName } from "../../arguments.js";
import { lazyTransformer, runTaskOperation } from "../common.js";

const USER_ASSIGNED_IDENTITY =
  '"/subscriptions/<SUBSCRIPTON ID>/resourcegroups/<RESOURCE GROUP>/providers/' +
  'Microsoft.ManagedIdentity/userAssignedIdentities/myUserAssignedIdentitiy"';

export const spec: CommandSpec = {
  summary: "Set the managed identities of a task.",
  arguments: [taskName, registry, identities, resourceGroup],
  examples: [
    {
      title:
        "Turn on the system-assigned identity of a task; any user-assigned identities it had " +
        "are dropped.",
      command: "az acr task identity assign -n MyTask -r MyRegistry",
    },
    {
      title: "Give a task a user-assigned identity; a system-assigned identity it had is dropped.",
      command:
        "az acr task identity assign -n MyTask -r MyRegistry \\\n" +
        `    --identities ${USER_ASSIGNED_IDENTITY}`,
    },
    {
      title: "Give a task a system-assigned and a user-assigned identity at once.",
      command:
        "az acr task identity assign -n MyTask -r MyRegistry \\\n" +
        `    --identities [system] ${USER_ASSIGNED_IDENTITY}`,
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { assignTaskIdentity } = await import("../../../../api/task-identity.js");
  return runTaskOperation(context, options, table, assignTaskIdentity);
}
