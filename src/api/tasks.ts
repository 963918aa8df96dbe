// `az acr task create | show | list | update | delete` as functions: az 2.45's checks in az's
// order, az's request bodies, az's results.

import { CliError } from "../cli/errors.js";
import {
  azPolledTask,
  azTask,
  isObject,
  lookUpRegistry,
  properties,
  taskDetails,
  taskListRequest,
  taskRequest,
  taskThroughPoller,
  type AzObject,
  type Json,
  type TaskOptions,
  type RegistryOptions,
} from "./common.js";
import { sessionOf, type AcrTarget } from "./session.js";
import {
  DEFAULT_TIMEOUT_SECONDS,
  QUICK_TASK_NAME,
  branchOf,
  combineNameValues,
  encodedTaskContent,
  identitiesToAssign,
  isNullContext,
  isTaskFile,
  parsePlatform,
  registryCredentials,
  sourceControlTypeOf,
  timersFromSchedules,
  yamlTemplate,
} from "./task-inputs.js";
import { stepBody, validateTask } from "./task-models.js";

export type TaskStatus = "Enabled" | "Disabled";
export type AuthMode = "None" | "Default";
export type BaseImageTriggerType = "All" | "Runtime";
export type UpdateTriggerPayloadType = "Default" | "Token";

/** What `task create` and `task update` share: the step, platform and trigger options. */
interface TaskDefinitionOptions {
  /** `--context/-c`: a source URL, `/dev/null` for none, or `oci://…`. */
  contextPath?: string;
  /** `--file/-f`: a Dockerfile, a task file (by extension), or `-` for standard input. */
  file?: string;
  /** `--cmd`: the command of a one-step encoded task. */
  cmd?: string;
  /** `--image/-t`, repeatable. */
  image?: readonly string[];
  /** `--arg NAME[=VALUE]`, repeatable; without a value, the environment variable NAME. */
  arg?: readonly string[];
  secretArg?: readonly string[];
  /** `--set NAME[=VALUE]`, repeatable. */
  set?: readonly string[];
  setSecret?: readonly string[];
  /** `--values`: the values file of a task file. */
  values?: string;
  target?: string;
  noPush?: boolean;
  noCache?: boolean;
  status?: TaskStatus;
  /** `--platform os[/architecture[/variant]]`. */
  platform?: string;
  cpu?: number;
  /** Seconds. */
  timeout?: number;
  agentPool?: string;
  authMode?: AuthMode;
  logTemplate?: string;
  commitTriggerEnabled?: boolean;
  pullRequestTriggerEnabled?: boolean;
  gitAccessToken?: string;
  baseImageTriggerEnabled?: boolean;
  baseImageTriggerType?: BaseImageTriggerType;
  updateTriggerEndpoint?: string;
  updateTriggerPayloadType?: UpdateTriggerPayloadType;
}

export interface CreateTaskOptions extends TaskOptions, TaskDefinitionOptions {
  isSystemTask?: boolean;
  /** `--assign-identity`: `[system]` and/or user-assigned identity ids; empty = `[system]`. */
  assignIdentity?: readonly string[];
  sourceTriggerName?: string;
  /** `--schedule [name:]cron`, repeatable. */
  schedule?: readonly string[];
  baseImageTriggerName?: string;
}

export type UpdateTaskOptions = TaskOptions & TaskDefinitionOptions;

export interface ShowTaskOptions extends TaskOptions {
  /** Read the task with its secrets (POST listDetails). */
  withSecureProperties?: boolean;
}

export interface DeleteTaskOptions extends TaskOptions {
  /** Delete without asking. */
  yes?: boolean;
  /**
   * Asks the user; called with az's whole prompt text. Without it (and without `yes`) the
   * deletion fails as az does when no terminal is available.
   */
  confirm?: (prompt: string) => boolean | Promise<boolean>;
}

const DEFAULT_SOURCE_TRIGGER_NAME = "defaultSourceTriggerName";
const DEFAULT_BASE_IMAGE_TRIGGER_NAME = "defaultBaseimageTriggerName";

/** `az acr task create`. */
export async function createTask(
  target: AcrTarget,
  options: CreateTaskOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options, false);

  const status = options.status ?? "Enabled";
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  const isSystemTask = options.isSystemTask ?? false;

  if (isSystemTask && options.name === QUICK_TASK_NAME) {
    const body = {
      location: registry.location,
      properties: { status, timeout, logTemplate: options.logTemplate, isSystemTask },
    };
    validateTask(body);
    const task = await taskThroughPoller(session, taskRequest(registry, options.name, "PUT", body));
    return azPolledTask(task);
  }

  let context = options.contextPath;
  let commitTrigger = options.commitTriggerEnabled ?? true;
  let pullRequestTrigger = options.pullRequestTriggerEnabled ?? false;
  if (!context) {
    throw new CliError("If the task is not a System Task, --context-path must be provided.");
  }
  if (isNullContext(context)) {
    context = undefined;
    commitTrigger = false;
    pullRequestTrigger = false;
  }
  if (context !== undefined && context.toLowerCase().startsWith("oci://")) {
    commitTrigger = false;
    pullRequestTrigger = false;
  }

  const token = options.gitAccessToken;
  if ((commitTrigger || pullRequestTrigger) && !token) {
    throw new CliError(
      "If source control trigger is enabled [--commit-trigger-enabled] or " +
        "[--pull-request-trigger-enabled] --git-access-token must be provided.",
    );
  }
  if (options.cmd && options.file) {
    throw new CliError(
      "Task can be created with either --cmd myCommand -c /dev/null or -f myFile -c " +
        "myContext, but not both.",
    );
  }

  const values = combineNameValues(options.set, options.setSecret) ?? [];
  let step: Json;
  if (context) {
    if (!options.file) {
      throw new CliError("missing --file/-f argument");
    }
    step = isTaskFile(options.file)
      ? {
          type: "FileTask",
          contextPath: context,
          contextAccessToken: token,
          taskFilePath: options.file,
          valuesFilePath: options.values,
          values,
        }
      : {
          type: "Docker",
          contextPath: context,
          contextAccessToken: token,
          imageNames: options.image,
          isPushEnabled: !(options.noPush ?? false),
          noCache: options.noCache ?? false,
          dockerFilePath: options.file,
          target: options.target,
          arguments: combineNameValues(options.arg, options.secretArg, session.env) ?? [],
        };
  } else {
    const yaml = await yamlTemplate(session, options.cmd, timeout, options.file);
    step = {
      type: "EncodedTask",
      contextPath: context,
      contextAccessToken: token,
      encodedTaskContent: encodedTaskContent(yaml),
      values,
    };
  }

  const trigger: Json = {};
  if (options.schedule && options.schedule.length > 0) {
    trigger.timerTriggers = timersFromSchedules(options.schedule);
  }
  const events = [
    ...(commitTrigger ? ["commit"] : []),
    ...(pullRequestTrigger ? ["pullrequest"] : []),
  ];
  if (events.length > 0) {
    trigger.sourceTriggers = [
      {
        sourceRepository: {
          sourceControlType: context ? sourceControlTypeOf(context) : "VisualStudioTeamService",
          repositoryUrl: context,
          branch: branchOf(context) || "master",
          sourceControlAuthProperties: { tokenType: "PAT", token, scope: "repo" },
        },
        sourceTriggerEvents: events,
        status: "Enabled",
        name: options.sourceTriggerName ?? DEFAULT_SOURCE_TRIGGER_NAME,
      },
    ];
  }
  if (options.baseImageTriggerEnabled ?? true) {
    trigger.baseImageTrigger = {
      baseImageTriggerType: options.baseImageTriggerType ?? "Runtime",
      updateTriggerEndpoint: options.updateTriggerEndpoint,
      updateTriggerPayloadType: options.updateTriggerPayloadType ?? "Default",
      status: "Enabled",
      name: options.baseImageTriggerName ?? DEFAULT_BASE_IMAGE_TRIGGER_NAME,
    };
  }

  const platform = parsePlatform(options.platform);
  const identity =
    options.assignIdentity !== undefined ? identitiesToAssign(options.assignIdentity) : undefined;

  const body = {
    location: registry.location,
    identity,
    properties: {
      status,
      platform,
      agentConfiguration: { cpu: options.cpu ?? 2 },
      agentPoolName: options.agentPool,
      timeout,
      step,
      trigger,
      credentials: registryCredentials(session, options.authMode),
      logTemplate: options.logTemplate,
      isSystemTask,
    },
  };
  validateTask(body);

  // az sends only the first request of this operation and does not poll. A 201 makes az 2.45
  // print an internal HTTP object; the task in its body is what the caller wants.
  const response = await session.arm.send(
    taskRequest(registry, options.name, "PUT", body),
    [200, 201],
  );
  return isObject(response.json) ? azTask(response.json) : undefined;
}

/** `az acr task show`. */
export async function showTask(target: AcrTarget, options: ShowTaskOptions): Promise<AzObject> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  if (options.withSecureProperties) {
    return azTask(await taskDetails(session, registry, options.name));
  }
  const response = await session.arm.send(taskRequest(registry, options.name, "GET"), [200]);
  return azTask(isObject(response.json) ? response.json : {});
}

/** `az acr task list`. */
export async function listTasks(target: AcrTarget, options: RegistryOptions): Promise<AzObject[]> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const tasks = await session.arm.listAll(taskListRequest(registry), "tasks");
  return tasks.map((task) => azTask(isObject(task) ? task : {}));
}

/** `az acr task delete`: nothing to return. */
export async function deleteTask(target: AcrTarget, options: DeleteTaskOptions): Promise<void> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  if (!options.yes) {
    if (!options.confirm) {
      throw new CliError("Unable to prompt for confirmation as no tty available. Use --yes.");
    }
    const prompt = `Are you sure you want to delete the task '${options.name}'  (y/n): `;
    if (!(await options.confirm(prompt))) {
      throw new CliError("Operation cancelled.");
    }
  }

  await session.arm.longRunning(taskRequest(registry, options.name, "DELETE"), {
    accepted: [200, 202, 204],
    notFoundMeansDeleted: true,
  });
}

/** The source-trigger events after an update: the first trigger's, then the flags applied. */
function updatedEvents(
  sourceTriggers: Json[] | undefined,
  commitTrigger: boolean | undefined,
  pullRequestTrigger: boolean | undefined,
): string[] {
  // az keeps the events in a Python set, whose order varies between runs; ours is stable.
  const events = new Set<string>();
  const first = sourceTriggers?.[0];
  if (first) {
    for (const event of Array.isArray(first.sourceTriggerEvents) ? first.sourceTriggerEvents : []) {
      events.add(String(event));
    }
    if (first.status === "Disabled") {
      events.clear();
    }
  }

  for (const [event, enabled] of [
    ["commit", commitTrigger],
    ["pullrequest", pullRequestTrigger],
  ] as const) {
    if (enabled === true) {
      events.add(event);
    } else if (enabled === false) {
      events.delete(event);
    }
  }
  return [...events];
}

/** `az acr task update`. */
export async function updateTask(
  target: AcrTarget,
  options: UpdateTaskOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);
  const existing = await taskDetails(session, registry, options.name);
  const existingProperties = properties(existing);

  if (existingProperties.isSystemTask && options.name === QUICK_TASK_NAME) {
    const changes = {
      status: options.status,
      timeout: options.timeout,
      logTemplate: options.logTemplate,
    };
    // msrest writes no "properties" envelope when none of its fields is set.
    const body = Object.values(changes).some((value) => value !== undefined)
      ? { properties: changes }
      : {};
    return azPolledTask(
      await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body)),
    );
  }

  const existingStep = isObject(existingProperties.step) ? existingProperties.step : undefined;
  let context: string | undefined;
  let branch: string | undefined;
  if (options.contextPath === undefined) {
    context = typeof existingStep?.contextPath === "string" ? existingStep.contextPath : undefined;
  } else if (isNullContext(options.contextPath)) {
    context = undefined;
  } else {
    context = options.contextPath;
    branch = branchOf(context);
  }

  let newEncodedContent: string | undefined;
  if (context === undefined) {
    if (options.cmd !== undefined || options.file !== undefined) {
      const yaml = await yamlTemplate(session, options.cmd, options.timeout, options.file);
      newEncodedContent = encodedTaskContent(yaml);
    } else if (options.timeout !== undefined) {
      throw new CliError(
        "cannot update the task with change of 'timeout' only, please use create instead",
      );
    }
  }

  const token =
    options.gitAccessToken ??
    (typeof existingStep?.contextAccessToken === "string"
      ? existingStep.contextAccessToken
      : undefined);

  const step = updatedStep(options, existingStep, context, token, newEncodedContent, session.env);

  const trigger: Json = {};
  const existingTrigger = isObject(existingProperties.trigger)
    ? existingProperties.trigger
    : undefined;
  if (existingTrigger) {
    const sourceTriggers = Array.isArray(existingTrigger.sourceTriggers)
      ? (existingTrigger.sourceTriggers.filter(isObject) as Json[])
      : undefined;
    const hasSourceTriggers = sourceTriggers !== undefined && sourceTriggers.length > 0;

    if (options.commitTriggerEnabled || options.pullRequestTriggerEnabled || hasSourceTriggers) {
      const events = updatedEvents(
        sourceTriggers,
        options.commitTriggerEnabled,
        options.pullRequestTriggerEnabled,
      );
      const first = hasSourceTriggers ? sourceTriggers[0] : undefined;
      const repository = isObject(first?.sourceRepository) ? first.sourceRepository : undefined;
      // Without an existing source trigger az 2.45 crashes here unless the new context names a
      // branch; a new trigger takes the branch of the context, as in create.
      const existingBranch = first ? repository?.branch : branchOf(context) || "master";

      trigger.sourceTriggers = [
        {
          sourceRepository: {
            sourceControlType: context ? sourceControlTypeOf(context) : undefined,
            repositoryUrl: context,
            branch: branch || existingBranch,
            sourceControlAuthProperties: { tokenType: "PAT", token },
          },
          sourceTriggerEvents: events,
          status: events.length > 0 ? "Enabled" : "Disabled",
          name: first ? first.name : DEFAULT_SOURCE_TRIGGER_NAME,
        },
      ];
    }

    const baseImageTrigger = isObject(existingTrigger.baseImageTrigger)
      ? existingTrigger.baseImageTrigger
      : undefined;
    if (options.baseImageTriggerEnabled || baseImageTrigger) {
      const enabled = options.baseImageTriggerEnabled;
      trigger.baseImageTrigger = {
        baseImageTriggerType: options.baseImageTriggerType,
        updateTriggerEndpoint: options.updateTriggerEndpoint,
        updateTriggerPayloadType: options.updateTriggerPayloadType,
        status: enabled === undefined ? undefined : enabled ? "Enabled" : "Disabled",
        name: baseImageTrigger ? baseImageTrigger.name : DEFAULT_BASE_IMAGE_TRIGGER_NAME,
      };
    }
  }

  const body = {
    properties: {
      status: options.status,
      platform: options.platform ? parsePlatform(options.platform) : {},
      agentConfiguration: { cpu: options.cpu },
      agentPoolName: options.agentPool,
      timeout: options.timeout,
      step,
      trigger,
      credentials: registryCredentials(session, options.authMode),
      logTemplate: options.logTemplate,
    },
  };
  return azPolledTask(
    await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body)),
  );
}

/** The step of an update: what the options change, in the shape of the existing step's type. */
function updatedStep(
  options: UpdateTaskOptions,
  existing: Json | undefined,
  context: string | undefined,
  token: string | undefined,
  newEncodedContent: string | undefined,
  environment: Record<string, string | undefined>,
): Json | undefined {
  const argumentList = combineNameValues(options.arg, options.secretArg, environment);
  const values = combineNameValues(options.set, options.setSecret);

  const docker = (dockerFilePath: string | undefined): Json => ({
    type: "Docker",
    contextPath: context,
    contextAccessToken: token,
    imageNames: options.image,
    isPushEnabled: !options.noPush,
    noCache: options.noCache,
    dockerFilePath,
    arguments: argumentList,
    target: options.target,
  });
  const fileTask = (taskFilePath: string | undefined): Json => ({
    type: "FileTask",
    contextPath: context,
    contextAccessToken: token,
    taskFilePath,
    valuesFilePath: options.values,
    values,
  });

  if (context) {
    if (options.file) {
      return isTaskFile(options.file) ? fileTask(options.file) : docker(options.file);
    }
    if (existing?.type === "Docker") {
      return docker(undefined);
    }
    if (existing?.type === "FileTask") {
      return fileTask(undefined);
    }
    return existing ? stepBody(existing) : undefined;
  }

  const encodedContent = newEncodedContent ?? existing?.encodedTaskContent;
  if (typeof encodedContent !== "string") {
    throw new CliError(
      "The task's step is not an encoded task, so it has no content to keep without a " +
        "context: give --cmd or --file along with --context /dev/null.",
    );
  }
  return {
    type: "EncodedTask",
    contextPath: context,
    contextAccessToken: token,
    encodedTaskContent: encodedContent,
    values,
  };
}
