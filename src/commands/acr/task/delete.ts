// az acr task delete: remove a task, after a confirmation unless --yes.

import type { DeleteTaskOptions } from "../../../api/tasks.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskName, yes } from "../arguments.js";
import { runTaskOperation, terminalConfirm } from "./common.js";

export const spec: CommandSpec = {
  summary: "Remove a task from an Azure Container Registry.",
  arguments: [taskName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one task from a registry.",
      command: "az acr task delete -n MyTask -r MyRegistry",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { deleteTask } = await import("../../../api/tasks.js");
  const confirm = await terminalConfirm(context);
  await runTaskOperation(context, options, undefined, (session, given: DeleteTaskOptions) =>
    deleteTask(session, { ...given, confirm }),
  );
  return undefined;
}
