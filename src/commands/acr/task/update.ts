// az acr task update: change a task; every argument left out keeps the task's current value.

import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import {
  agentPool,
  authMode,
  baseImageTriggerEnabled,
  baseImageTriggerType,
  buildArgument,
  cmd,
  commitTriggerEnabled,
  cpu,
  gitAccessToken,
  imageNames,
  logTemplate,
  noCache,
  noPush,
  platform,
  pullRequestTriggerEnabled,
  registry,
  resourceGroup,
  secretBuildArgument,
  target,
  taskContext,
  taskFile,
  taskName,
  taskSetSecret,
  taskSetValue,
  taskStatus,
  taskValues,
  timeout,
  updateTriggerEndpoint,
  updateTriggerPayloadType,
} from "../arguments.js";
import { lazyTransformer, runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Change a task of an Azure Container Registry.",
  arguments: [
    taskName,
    registry,
    resourceGroup,
    agentPool,
    taskStatus,
    platform,
    cpu,
    timeout,
    taskContext,
    commitTriggerEnabled,
    pullRequestTriggerEnabled,
    gitAccessToken,
    imageNames,
    noPush,
    noCache,
    taskFile,
    taskValues,
    buildArgument,
    secretBuildArgument,
    taskSetValue,
    taskSetSecret,
    baseImageTriggerEnabled,
    baseImageTriggerType,
    updateTriggerEndpoint,
    updateTriggerPayloadType,
    target,
    authMode,
    logTemplate,
    cmd,
  ],
  examples: [
    {
      title:
        "Disable a task and let updates of any base image of a multi-stage Dockerfile trigger " +
        "it, not only the runtime one.",
      command:
        "az acr task update -n MyTask -r MyRegistry --base-image-trigger-type All " +
        "--status Disabled",
    },
    {
      title: "Move the build step of a task from Linux to Windows.",
      command: "az acr task update -n MyTask -r MyRegistry --platform Windows",
    },
    {
      title: "Change the triggers of a task and the source it builds from.",
      command:
        "az acr task update -n hello-world -r MyRegistry -f Dockerfile \\\n" +
        "    --commit-trigger-enabled false --pull-request-trigger-enabled true \\\n" +
        "    -c https://msazure.visualstudio.com/DefaultCollection/Project/_git/Repo#Branch:Folder",
    },
    {
      title: "Point a task at another image and source repository.",
      command:
        "az acr task update --image MyImage --name MyTask --registry MyRegistry \\\n" +
        "    --context https://github.com/Azure-Samples/acr-build-helloworld-node.git",
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { updateTask } = await import("../../../api/tasks.js");
  return runTaskOperation(context, options, table, updateTask);
}
