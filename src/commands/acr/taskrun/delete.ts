// az acr taskrun delete: remove a taskrun, after a confirmation unless --yes.

import type { DeleteTaskRunOptions } from "../../../api/taskruns.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskrunName, yes } from "../arguments.js";
import { runTaskOperation, terminalConfirm } from "../task/common.js";

export const spec: CommandSpec = {
  summary: "Remove a taskrun from an Azure Container Registry.",
  preview: true,
  arguments: [taskrunName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one taskrun from a registry.",
      command: "az acr taskrun delete -r MyRegistry -n MyTaskRun -g MyResourceGroup",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { deleteTaskRun } = await import("../../../api/taskruns.js");
  const confirm = await terminalConfirm(context);
  await runTaskOperation(context, options, undefined, (session, given: DeleteTaskRunOptions) =>
    deleteTaskRun(session, { ...given, confirm, logger: context.logger }),
  );
  return undefined;
}
