// az acr task create: a new task (its step, triggers, platform and identities) in a registry.

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
  summary:
    "Create a task: steps that build, test and patch container images when their OS or " +
    "framework changes. A task can start on git commits and on base image updates.",
  arguments: [
    taskName,
    registry,
    taskContext,
    agentPool,
    taskFile,
    cmd,
    gitAccessToken,
    imageNames,
    { ...taskStatus, defaultValue: "Enabled" },
    platform,
    { ...cpu, defaultValue: 2 },
    { ...timeout, defaultValue: 3600 },
    taskValues,
    {
      name: "sourceTriggerName",
      options: ["--source-trigger-name"],
      kind: "value",
      defaultValue: "defaultSourceTriggerName",
      group: "Trigger",
      help: "Name given to the source trigger.",
    },
    { ...commitTriggerEnabled, defaultValue: true },
    { ...pullRequestTriggerEnabled, defaultValue: false },
    {
      name: "schedule",
      options: ["--schedule"],
      kind: "append",
      group: "Trigger",
      help:
        "A cron expression after which a timer trigger starts the task; prefix it with a name " +
        "as `--schedule name:schedule` to name the trigger. Give --schedule once for each timer.",
    },
    { ...noPush, defaultValue: false },
    { ...noCache, defaultValue: false },
    buildArgument,
    secretBuildArgument,
    taskSetValue,
    taskSetSecret,
    {
      name: "baseImageTriggerName",
      options: ["--base-image-trigger-name"],
      kind: "value",
      defaultValue: "defaultBaseimageTriggerName",
      group: "Trigger",
      help: "Name given to the base image trigger.",
    },
    { ...baseImageTriggerEnabled, defaultValue: true },
    { ...baseImageTriggerType, defaultValue: "Runtime" },
    updateTriggerEndpoint,
    { ...updateTriggerPayloadType, defaultValue: "Default" },
    resourceGroup,
    {
      name: "assignIdentity",
      options: ["--assign-identity"],
      kind: "list",
      help:
        "Managed identities the task gets: '[system]' for the system-assigned identity, or the " +
        "resource ID of a user-assigned identity. More on this at " +
        "https://aka.ms/acr/tasks/task-create-managed-identity.",
    },
    target,
    authMode,
    logTemplate,
    {
      name: "isSystemTask",
      options: ["--is-system-task"],
      kind: "flag",
      preview: true,
      help:
        "Make the task a system task, which has to be named 'quicktask'. Only for registries " +
        "encrypted with a customer-managed key.",
    },
  ],
  examples: [
    {
      title: "Create a task that has no source location.",
      command:
        "az acr task create -n hello-world -r MyRegistry --cmd '$Registry/myimage' -c /dev/null",
    },
    {
      title:
        "Create a task whose definition comes from standard input, with a timer trigger under " +
        "the default name that starts it at the top of every hour. End the input with 'Ctrl + " +
        "Z' on Windows or 'Ctrl + D' on Linux.",
      command:
        "cat task.yaml | az acr task create -n hello-world -r MyRegistry -f - -c /dev/null \\\n" +
        '    --schedule "0 */1 * * *"\n' +
        'az acr task create -n hello-world -r MyRegistry -f - -c /dev/null --schedule "0 ' +
        '*/1 * * *"',
    },
    {
      title:
        "Create a Linux task without triggers that builds the hello-world image from a public " +
        "GitHub repository, passing one build argument.",
      command:
        "az acr task create -t hello-world:{{.Run.ID}} -n hello-world -r MyRegistry \\\n" +
        "    -c https://github.com/Azure/acr-builder.git -f Dockerfile \\\n" +
        "    --commit-trigger-enabled false --base-image-trigger-enabled false \\\n" +
        "    --arg DOCKER_CLI_BASE_IMAGE=docker:18.03.0-ce-git",
    },
    {
      title:
        "Create a Linux task with triggers that builds the hello-world image for Arm (variant " +
        "V7) from one branch of a private Azure DevOps repository.",
      command:
        "az acr task create -t hello-world:{{.Run.ID}} -n hello-world -r MyRegistry \\\n" +
        "    -c https://msazure.visualstudio.com/DefaultCollection/Project/_git/Repo#Branch:Folder \\\n" +
        "    -f Dockerfile --git-access-token <Personal Access Token> --platform linux/arm/v7",
    },
    {
      title:
        "Create a Linux task that builds the hello-world image from a public GitHub repository " +
        "on every commit and pull request. The task does not pull from its own registry " +
        "(MyRegistry), so its auth mode can be None.",
      command:
        "az acr task create -t hello-world:{{.Run.ID}} -n " +
        "hello-world -r MyRegistry  -f Dockerfile \\\n" +
        "    --no-push true --auth-mode None -c https://github.com/Azure-Samples/acr-build-helloworld-node.git \\\n" +
        "    --pull-request-trigger-enabled true --git-access-token " +
        "000000000000000000000000000000000",
    },
    {
      title:
        "Create a Windows task for Amd64 that builds the Azure Container Builder image from a " +
        "public GitHub repository and starts only on base image updates.",
      command:
        "az acr task create -t acb:{{.Run.ID}} -n acb-win -r MyRegistry \\\n" +
        "    -c https://github.com/Azure/acr-builder.git -f Windows.Dockerfile \\\n" +
        "    --commit-trigger-enabled false --platform Windows/amd64",
    },
    {
      title:
        "Create a Linux multi-step task from a public GitHub repository with a system-assigned " +
        "and a user-assigned identity, started by base image updates, commits, pull requests " +
        "and a named timer that fires at noon from Monday to Friday.",
      command:
        "az acr task create -t hello-world:{{.Run.ID}} -n hello-world -r MyRegistry \\\n" +
        '    --pull-request-trigger-enabled true --schedule "dailyTimer:0 12 * * Mon-Fri" \\\n' +
        "    -c https://github.com/Azure-Samples/acr-tasks.git#:multipleRegistries -f testtask.yaml \\\n" +
        "    --assign-identity [system] " +
        '"/subscriptions/<subscriptionId>/resourcegroups/<myResourceGroup>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<myUserAssignedIdentitiy>"',
    },
  ],
};

const table = lazyTransformer("task");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { createTask } = await import("../../../api/tasks.js");
  return runTaskOperation(context, options, table, createTask);
}
