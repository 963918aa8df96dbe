// az acr taskrun logs: the log of the run a taskrun started.

import type { TaskRunLogsOptions } from "../../../api/taskruns.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { noFormat, registry, resourceGroup, taskrunName } from "../arguments.js";
import { afterLog, interruptibleSession, logOptions, untilInterrupted } from "../run-common.js";
import { runTaskOperation } from "../task/common.js";

export const spec: CommandSpec = {
  summary: "Show the log of the run behind a taskrun.",
  preview: true,
  arguments: [registry, taskrunName, noFormat, resourceGroup],
  examples: [
    {
      title: "Show the run log of one taskrun.",
      command: "az acr taskrun logs -r MyRegistry -n MyTaskRun",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { taskRunLogs } = await import("../../../api/taskruns.js");
  return untilInterrupted((signal) =>
    runTaskOperation(context, options, undefined, (session, given: TaskRunLogsOptions) =>
      taskRunLogs(interruptibleSession(session, signal), {
        ...given,
        ...logOptions(context, given, signal),
        logger: context.logger,
      }).then(afterLog),
    ),
  );
}
