// az acr run: queue a quick run of a task file or a command, and follow its log.

import type { AcrRunOptions } from "../../api/runs.js";
import { lazyTransformer } from "./task/common.js";
import type { Context } from "../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../cli/spec.js";
import {
  agentPool,
  authMode,
  cmd,
  logTemplate,
  noFormat,
  noLogs,
  noWait,
  platform,
  registry,
  resourceGroup,
  timeout,
} from "./arguments.js";
import { afterRun, interruptibleSession, logOptions, untilInterrupted } from "./run-common.js";
import { runTaskOperation } from "./task/common.js";

export const spec: CommandSpec = {
  summary: "Queue a quick run on an Azure Container Registry and stream its log.",
  arguments: [
    registry,
    {
      name: "sourceLocation",
      options: [],
      kind: "positional",
      required: true,
      metavar: "<SOURCE_LOCATION>",
      help:
        "Where the source comes from: a local directory ('./src', say), a git repository URL " +
        "('https://github.com/Azure-Samples/acr-build-helloworld-node.git', say), a remote " +
        "tarball ('http://server/context.tar.gz', say) or an OCI artifact in an Azure container " +
        "registry ('oci://myregistry.azurecr.io/myartifact:mytag', say). '/dev/null' stands " +
        "for no source at all.",
    },
    agentPool,
    {
      name: "file",
      options: ["--file", "-f"],
      kind: "value",
      help:
        "Task file (the definition of the run), as a path from the root of the source; '-' " +
        "reads it from standard input.",
    },
    {
      name: "values",
      options: ["--values"],
      kind: "value",
      help: "File of task values, as a path from the root of the source.",
    },
    {
      name: "set",
      options: ["--set"],
      kind: "append",
      help: "A value, written name[=value]. Give --set once for each.",
    },
    {
      name: "setSecret",
      options: ["--set-secret"],
      kind: "append",
      help: "A value kept secret, written name[=value]. Give --set-secret once for each.",
    },
    cmd,
    noFormat,
    noLogs,
    timeout,
    resourceGroup,
    platform,
    authMode,
    logTemplate,
    noWait,
  ],
  examples: [
    {
      title: "Queue a run that executes one container command.",
      command: "az acr run -r MyRegistry --cmd '$Registry/myimage' /dev/null",
    },
    {
      title:
        "Queue a run whose task definition comes from standard input. End the input with " +
        "'Ctrl + Z' on Windows or 'Ctrl + D' on Linux.",
      command: "az acr run -r MyRegistry -f - /dev/null",
    },
    {
      title: "Queue a run of the task file piped in.",
      command: "cat task.yaml | az acr run -r MyRegistry -f - /dev/null",
    },
    {
      title: "Queue a run of a local directory, uploaded to the registry, and stream its log.",
      command: "az acr run -r MyRegistry -f bash-echo.yaml ./workspace",
    },
    {
      title: "Queue a run of a remote git repository and stream its log.",
      command:
        "az acr run -r MyRegistry https://github.com/Azure-Samples/acr-tasks.git -f " +
        "hello-world.yaml",
    },
    {
      title: "Queue a run of a remote git repository on Linux and stream its log.",
      command:
        "az acr run -r MyRegistry https://github.com/Azure-Samples/acr-tasks.git -f " +
        "build-hello-world.yaml --platform linux",
    },
    {
      title: "Queue a run of an OCI artifact held in a registry.",
      command:
        "az acr run -r MyRegistry oci://myregistry.azurecr.io/myartifact:mytag -f hello-world.yaml",
    },
  ],
};

const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { acrRun } = await import("../../api/runs.js");
  return untilInterrupted((signal) =>
    runTaskOperation(context, options, table, (session, given: AcrRunOptions) =>
      acrRun(interruptibleSession(session, signal), {
        ...given,
        ...logOptions(context, given, signal),
        logger: context.logger,
      }).then(afterRun),
    ),
  );
}
