// az acr taskrun list: every taskrun of a registry.

import type { RegistryOptions } from "../../../api/common.js";
import { lazyTransformer } from "../task/common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup } from "../arguments.js";
import { runTaskOperation } from "../task/common.js";

export const spec: CommandSpec = {
  summary: "List the taskruns of an Azure Container Registry.",
  preview: true,
  arguments: [registry, resourceGroup],
  examples: [
    {
      title: "List the taskruns of a registry as a table.",
      command: "az acr taskrun list -r MyRegistry -g MyResourceGroup -o table",
    },
  ],
};

const table = lazyTransformer("taskRun");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { listTaskRuns } = await import("../../../api/taskruns.js");
  return runTaskOperation(context, options, table, (session, given: RegistryOptions) =>
    listTaskRuns(session, { ...given, logger: context.logger }),
  );
}
