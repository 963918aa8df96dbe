// az acr task logs: the log of one run, or of the latest run when no run ID is given.

import type { ImageOptions, TaskLogsOptions } from "../../../api/runs.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { imageFilter, noFormat, registry, resourceGroup, runId } from "../arguments.js";
import {
  afterLog,
  dataPlaneAccess,
  interruptibleSession,
  logOptions,
  untilInterrupted,
} from "../run-common.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Show the log of a run. Without a run ID, the log of the run created last is shown.",
  arguments: [
    registry,
    { ...runId, required: false },
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      help: "Without --run-id: the last run of the task with this name.",
    },
    {
      ...imageFilter,
      help:
        "Without --run-id: the last run that produced this image, named alone, as 'name:tag' " +
        "or as 'name@digest'.",
    },
    noFormat,
    resourceGroup,
  ],
  examples: [
    {
      title: "Show the log of the run created last in the registry.",
      command: "az acr task logs -r MyRegistry",
    },
    {
      title: "Show the log of the run of one task created last in the registry.",
      command: "az acr task logs -r MyRegistry -n MyTask",
    },
    {
      title: "Show the log of one run.",
      command: "az acr task logs -r MyRegistry --run-id runId",
    },
    {
      title: "Show the log of the run created last that built the image 'hello-world'.",
      command: "az acr task logs -r MyRegistry --image hello-world",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { taskLogs } = await import("../../../api/runs.js");
  return untilInterrupted((signal) =>
    runTaskOperation(context, options, undefined, async (session, given: TaskLogsOptions) => {
      // Only a tag needs the registry's data plane; the identity is looked up for it alone.
      const image: ImageOptions = given.image ? { dataPlane: await dataPlaneAccess(context) } : {};
      const outcome = await taskLogs(interruptibleSession(session, signal), {
        ...given,
        ...image,
        ...logOptions(context, given, signal),
        logger: context.logger,
      });
      return afterLog(outcome);
    }),
  );
}
