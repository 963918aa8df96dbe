// az acr task update-run: change the properties of a run (whether it is archived).

import type { UpdateRunOptions } from "../../../api/runs.js";
import { lazyTransformer } from "./common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, runId } from "../arguments.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Change properties of a run of an Azure Container Registry task.",
  arguments: [
    runId,
    registry,
    {
      name: "noArchive",
      options: ["--no-archive"],
      kind: "threeState",
      help: "Turn archiving of the run off (true) or on (false).",
    },
    resourceGroup,
  ],
  examples: [
    {
      title: "Have a run archived.",
      command: "az acr task update-run -r MyRegistry --run-id runId --no-archive false",
    },
  ],
};

const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { updateRun } = await import("../../../api/runs.js");
  return runTaskOperation(context, options, table, (session, given: UpdateRunOptions) =>
    updateRun(session, { ...given, logger: context.logger }),
  );
}
