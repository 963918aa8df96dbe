// az acr taskrun show: one taskrun's properties.

import type { TaskRunOptions } from "../../../api/taskruns.js";
import { lazyTransformer } from "../task/common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskrunName } from "../arguments.js";
import { runTaskOperation } from "../task/common.js";

export const spec: CommandSpec = {
  summary: "Show the properties of one taskrun of an Azure Container Registry.",
  preview: true,
  arguments: [taskrunName, registry, resourceGroup],
  examples: [
    {
      title: "Show one taskrun as a table.",
      command: "az acr taskrun show -r MyRegistry -n MyTaskRun -o table",
    },
  ],
};

const table = lazyTransformer("taskRun");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { showTaskRun } = await import("../../../api/taskruns.js");
  return runTaskOperation(context, options, table, (session, given: TaskRunOptions) =>
    showTaskRun(session, { ...given, logger: context.logger }),
  );
}
