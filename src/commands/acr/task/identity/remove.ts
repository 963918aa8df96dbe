// az acr task identity remove: take managed identities away from a task.

import type { CommandSpec } from "../../../../cli/spec.js";
import { identities, registry, resourceGroup, taskName } from "../../arguments.js";

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
