// az acr task run: start a task now, optionally with another source, file, arguments or values.

import type { RunTaskOptions } from "../../../api/runs.js";
import { lazyTransformer } from "./common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import {
  agentPool,
  buildArgument,
  logTemplate,
  noFormat,
  noLogs,
  noWait,
  registry,
  resourceGroup,
  secretBuildArgument,
  target,
  taskContext,
  taskFile,
  taskName,
  taskSetSecret,
  taskSetValue,
} from "../arguments.js";
import { afterRun, interruptibleSession, logOptions, untilInterrupted } from "../run-common.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary:
    "Start a task by hand instead of waiting for a git commit or a base image update to " +
    "trigger it.",
  arguments: [
    taskName,
    registry,
    agentPool,
    taskSetValue,
    taskSetSecret,
    taskFile,
    taskContext,
    buildArgument,
    secretBuildArgument,
    target,
    {
      name: "updateTriggerToken",
      options: ["--update-trigger-token"],
      kind: "value",
      preview: true,
      help: "Payload handed back with the notification of the base image trigger.",
    },
    noFormat,
    noLogs,
    resourceGroup,
    logTemplate,
    noWait,
  ],
  examples: [
    {
      title: "Start a run of a task.",
      command: "az acr task run -n MyTask -r MyRegistry",
    },
    {
      title:
        "Start a run of a task from a remote repository, in place of the source and file the " +
        "task was created with.",
      command:
        "az acr task run -n MyTask -r MyRegistry -c " +
        "https://github.com/Azure-Samples/acr-build-helloworld-node.git -f Dockerfile",
    },
    {
      title:
        "Start a run of a task from a local directory, in place of the source and file the " +
        "task was created with.",
      command: "az acr task run -n MyTask -r MyRegistry -c . -f Dockerfile",
    },
    {
      title: "Start a run of a task with a build argument added to, or replacing, the task's own.",
      command:
        "az acr task run -n MyTask -r MyRegistry --arg DOCKER_CLI_BASE_IMAGE=docker:18.03.0-ce-git",
    },
  ],
};

const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { runTask } = await import("../../../api/runs.js");
  return untilInterrupted((signal) =>
    runTaskOperation(context, options, table, (session, given: RunTaskOptions) =>
      runTask(interruptibleSession(session, signal), {
        ...given,
        ...logOptions(context, given, signal),
        logger: context.logger,
      }).then(afterRun),
    ),
  );
}
