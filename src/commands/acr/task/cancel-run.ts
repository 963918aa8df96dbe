// az acr task cancel-run: stop a queued or running run.

import type { RunOptions } from "../../../api/runs.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Stop a run of an Azure Container Registry.",
  arguments: [runId, registry, resourceGroup],
  examples: [
    {
      title: "Stop one run",
      command: "az acr task cancel-run -r MyRegistry --run-id runId",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { cancelRun } = await import("../../../api/runs.js");
  await runTaskOperation(context, options, undefined, (session, given: RunOptions) =>
    cancelRun(session, { ...given, logger: context.logger }),
  );
  return undefined;
}
