// Arguments that several acr commands share. A command lists them in az's parser order, which
// is the order az names them in "the following arguments are required" and "ambiguous option"
// errors; the help sorts them by name on its own.
//
// Names are those of the options the src/api functions take, where such a function exists, so
// a command's parsed options can be handed on as they are.

import type { ArgumentSpec } from "../../cli/spec.js";

export const registry: ArgumentSpec = {
  name: "registry",
  options: ["--registry", "-r"],
  kind: "value",
  required: true,
  configuredDefault: "acr",
  help:
    "Name of the container registry, in lower case. A default can be set with " +
    "`az configure --defaults acr=<registry name>`.",
};

export const resourceGroup: ArgumentSpec = {
  name: "resourceGroup",
  options: ["--resource-group", "-g"],
  kind: "value",
  configuredDefault: "group",
  help:
    "Resource group that holds the registry. A default can be set with " +
    "`az configure --defaults group=<name>`.",
};

export const taskName: ArgumentSpec = {
  name: "name",
  options: ["--name", "-n"],
  kind: "value",
  required: true,
  help: "Name the task goes by in the registry.",
};

export const taskrunName: ArgumentSpec = {
  name: "name",
  options: ["--name", "-n"],
  kind: "value",
  required: true,
  help: "Name the taskrun goes by in the registry.",
};

export const runId: ArgumentSpec = {
  name: "runId",
  options: ["--run-id"],
  kind: "value",
  required: true,
  help: "Identifier of the run.",
};

export const yes: ArgumentSpec = {
  name: "yes",
  options: ["--yes", "-y"],
  kind: "flag",
  help: "Go ahead without asking for confirmation.",
};

export const agentPool: ArgumentSpec = {
  name: "agentPool",
  options: ["--agent-pool"],
  kind: "value",
  preview: true,
  help: "Agent pool to run on, by name.",
};

export const logTemplate: ArgumentSpec = {
  name: "logTemplate",
  options: ["--log-template"],
  kind: "value",
  preview: true,
  help:
    "Repository and tag under which the run log is kept as an artifact, written 'log/repo:tag' " +
    "(for example 'acr/logs:{{.Run.ID}}'). Only for registries encrypted with a " +
    "customer-managed key.",
};

export const authMode: ArgumentSpec = {
  name: "authMode",
  options: ["--auth-mode"],
  kind: "value",
  choices: ["None", "Default"],
  help: "How the source registry is signed in to.",
};

export const platform: ArgumentSpec = {
  name: "platform",
  options: ["--platform"],
  kind: "value",
  help:
    "Operating system to run on, such as 'linux' or 'windows'. For builds it may also be given " +
    "as 'os/arch/variant', which then describes the image produced (linux/arm/v7, say); arch and " +
    "variant can be left out.",
};

export const target: ArgumentSpec = {
  name: "target",
  options: ["--target"],
  kind: "value",
  help: "Stage of a multi-stage Dockerfile to build up to.",
};

export const timeout: ArgumentSpec = {
  name: "timeout",
  options: ["--timeout"],
  kind: "value",
  type: "int",
  help: "Time limit, in seconds.",
};

export const cmd: ArgumentSpec = {
  name: "cmd",
  options: ["--cmd"],
  kind: "value",
  help:
    "Command to run in a container. Extra `docker run` options are accepted " +
    "(https://docs.docker.com/engine/reference/commandline/run/), and so are other docker " +
    "commands (https://docs.docker.com/engine/reference/commandline/docker/).",
};

/** `--image/-t` where it names images to build and push (repeatable). */
export const imageNames: ArgumentSpec = {
  name: "image",
  options: ["--image", "-t"],
  kind: "append",
  help: "Image to produce, as '-t repo/image:tag'. Give -t again for every further tag.",
};

/** `--image/-t` where it picks the runs that produced one image. */
export const imageFilter: ArgumentSpec = {
  name: "image",
  options: ["--image", "-t"],
  kind: "value",
  help: "An image, by its name alone, as 'name:tag' or as 'name@digest'.",
};

export const noFormat: ArgumentSpec = {
  name: "noFormat",
  options: ["--no-format"],
  kind: "flag",
  help: "Print the log as it was written, colour codes included.",
};

export const noLogs: ArgumentSpec = {
  name: "noLogs",
  options: ["--no-logs"],
  kind: "flag",
  help: "Once the run is queued, wait for it without streaming its log.",
};

export const noWait: ArgumentSpec = {
  name: "noWait",
  options: ["--no-wait"],
  kind: "flag",
  help: "Return as soon as the run is queued instead of waiting for it to end.",
};

// Task step arguments (`task create`, `task update`, `task run`).

export const taskContext: ArgumentSpec = {
  name: "contextPath",
  options: ["--context", "-c"],
  kind: "value",
  help:
    "Where the source comes from: a git repository URL (GitHub needs the '.git' ending), a " +
    "remote tarball such as 'http://server/context.tar.gz', or an OCI artifact in an Azure " +
    "container registry such as 'oci://myregistry.azurecr.io/myartifact:mytag'. '/dev/null' " +
    "stands for no source at all. Every task except a system task needs it.",
};

export const taskFile: ArgumentSpec = {
  name: "file",
  options: ["--file", "-f"],
  kind: "value",
  help:
    "Task file or Dockerfile, as a path from the root of the source. A task file ends in " +
    "'.yaml'; '-' reads it from standard input.",
};

export const taskValues: ArgumentSpec = {
  name: "values",
  options: ["--values"],
  kind: "value",
  help: "File of task values (parameters), as a path from the root of the source.",
};

export const buildArgument: ArgumentSpec = {
  name: "arg",
  options: ["--arg"],
  kind: "append",
  help: "A Docker build argument, written name[=value]. Give --arg once for each.",
};

export const secretBuildArgument: ArgumentSpec = {
  name: "secretArg",
  options: ["--secret-arg"],
  kind: "append",
  help:
    "A Docker build argument kept secret, written name[=value]. Give --secret-arg once " +
    "for each.",
};

export const taskSetValue: ArgumentSpec = {
  name: "set",
  options: ["--set"],
  kind: "append",
  help: "A task value, written name[=value]. Give --set once for each.",
};

export const taskSetSecret: ArgumentSpec = {
  name: "setSecret",
  options: ["--set-secret"],
  kind: "append",
  help: "A task value kept secret, written name[=value]. Give --set-secret once for each.",
};

export const taskStatus: ArgumentSpec = {
  name: "status",
  options: ["--status"],
  kind: "value",
  choices: ["Disabled", "Enabled"],
  help: "Whether the task can run.",
};

export const cpu: ArgumentSpec = {
  name: "cpu",
  options: ["--cpu"],
  kind: "value",
  type: "int",
  help: "How many CPU cores a run of the task gets.",
};

export const noPush: ArgumentSpec = {
  name: "noPush",
  options: ["--no-push"],
  kind: "threeState",
  help: "Keep the built image instead of pushing it to the registry.",
};

export const noCache: ArgumentSpec = {
  name: "noCache",
  options: ["--no-cache"],
  kind: "threeState",
  help: "Build without the image layer cache.",
};

// Task trigger arguments, which az lists under their own heading.

const TRIGGER = "Trigger";

export const commitTriggerEnabled: ArgumentSpec = {
  name: "commitTriggerEnabled",
  options: ["--commit-trigger-enabled"],
  kind: "threeState",
  group: TRIGGER,
  help: "Whether a commit to the source repository starts the task.",
};

export const pullRequestTriggerEnabled: ArgumentSpec = {
  name: "pullRequestTriggerEnabled",
  options: ["--pull-request-trigger-enabled"],
  kind: "threeState",
  group: TRIGGER,
  help: "Whether a pull request on the source repository starts the task. Off unless asked for.",
};

export const gitAccessToken: ArgumentSpec = {
  name: "gitAccessToken",
  options: ["--git-access-token"],
  kind: "value",
  group: TRIGGER,
  help: "Token with which the task reaches the source control provider.",
};

export const baseImageTriggerEnabled: ArgumentSpec = {
  name: "baseImageTriggerEnabled",
  options: ["--base-image-trigger-enabled"],
  kind: "threeState",
  group: TRIGGER,
  help: "Whether an update of a base image starts the task.",
};

export const baseImageTriggerType: ArgumentSpec = {
  name: "baseImageTriggerType",
  options: ["--base-image-trigger-type"],
  kind: "value",
  choices: ["All", "Runtime"],
  group: TRIGGER,
  help: "Which base image dependencies start the task when they are updated.",
};

export const updateTriggerEndpoint: ArgumentSpec = {
  name: "updateTriggerEndpoint",
  options: ["--update-trigger-endpoint"],
  kind: "value",
  preview: true,
  group: TRIGGER,
  help: "URL that is notified when a base image update starts the task.",
};

export const updateTriggerPayloadType: ArgumentSpec = {
  name: "updateTriggerPayloadType",
  options: ["--update-trigger-payload-type"],
  kind: "value",
  choices: ["Default", "Token"],
  preview: true,
  group: TRIGGER,
  help:
    "Whether that notification carries details of the base image trigger besides the update " +
    "trigger token.",
};

// Task identities, credentials and timers.

export const identities: ArgumentSpec = {
  name: "identities",
  options: ["--identities"],
  kind: "list",
  help:
    "Managed identities of the task: '[system]' for the system-assigned identity, or the " +
    "resource ID of a user-assigned identity.",
};

export const loginServer: ArgumentSpec = {
  name: "loginServer",
  options: ["--login-server"],
  kind: "value",
  required: true,
  help: "Login server of the custom registry, 'myregistry.azurecr.io' for example.",
};

export const credentialUsername: ArgumentSpec = {
  name: "username",
  options: ["--username", "-u"],
  kind: "value",
  help: "User name for the custom registry, in plain text or as a Key Vault secret URI.",
};

export const credentialPassword: ArgumentSpec = {
  name: "password",
  options: ["--password", "-p"],
  kind: "value",
  help: "Password for the custom registry, in plain text or as a Key Vault secret URI.",
};

export const useIdentity: ArgumentSpec = {
  name: "useIdentity",
  options: ["--use-identity"],
  kind: "value",
  help:
    "Managed identity of the task that signs in with this credential: '[system]' for the " +
    "system-assigned identity, or the client ID of a user-assigned identity. More on this at " +
    "https://aka.ms/acr/tasks/cross-registry-authentication.",
};

export const timerName: ArgumentSpec = {
  name: "timerName",
  options: ["--timer-name"],
  kind: "value",
  required: true,
  help: "Name of the timer trigger.",
};

export const timerSchedule: ArgumentSpec = {
  name: "schedule",
  options: ["--schedule"],
  kind: "value",
  help: "When the timer trigger fires, as a cron expression.",
};

export const timerEnabled: ArgumentSpec = {
  name: "enabled",
  options: ["--enabled"],
  kind: "threeState",
  help: "Whether the timer trigger fires.",
};
