// az acr task show-run: one run's properties.

import type { RunOptions } from "../../../api/runs.js";
import { lazyTransformer } from "./common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Show the properties of one run of an Azure Container Registry task.",
  arguments: [runId, registry, resourceGroup],
  examples: [
    {
      title: "Show one run as a table.",
      command: "az acr task show-run -r MyRegistry --run-id runId -o table",
    },
  ],
};

const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { showRun } = await import("../../../api/runs.js");
  return runTaskOperation(context, options, table, (session, given: RunOptions) =>
    showRun(session, { ...given, logger: context.logger }),
  );
}
