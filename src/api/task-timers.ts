// `az acr task timer add | update | remove | list`: the timer triggers of a task.

import { CliError } from "../cli/errors.js";
import { azShape } from "./shape.js";
import {
  azPolledTask,
  isObject,
  lookUpRegistry,
  properties,
  taskDetails,
  taskRequest,
  taskThroughPoller,
  type AzObject,
  type TaskOptions,
} from "./common.js";
import { sessionOf, type AcrTarget } from "./session.js";
import { taskPutBody } from "./task-models.js";

export interface TaskTimerOptions extends TaskOptions {
  /** `--timer-name`. */
  timerName: string;
}

export interface AddTaskTimerOptions extends TaskTimerOptions {
  /** `--schedule`: a cron expression. */
  schedule: string;
  /** `--enabled` (default true). */
  enabled?: boolean;
}

export interface UpdateTaskTimerOptions extends TaskTimerOptions {
  schedule?: string;
  enabled?: boolean;
}

async function patchTimer(
  target: AcrTarget,
  options: TaskTimerOptions,
  timer: { schedule?: string; status?: string; name: string },
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const body = { properties: { trigger: { timerTriggers: [timer] } } };
  return azPolledTask(
    await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body)),
  );
}

function statusOf(enabled: boolean): string {
  return enabled ? "Enabled" : "Disabled";
}

/** `az acr task timer add`. */
export async function addTaskTimer(
  target: AcrTarget,
  options: AddTaskTimerOptions,
): Promise<AzObject | undefined> {
  return patchTimer(target, options, {
    schedule: options.schedule,
    status: statusOf(options.enabled ?? true),
    name: options.timerName,
  });
}

/** `az acr task timer update`: only what is given changes. */
export async function updateTaskTimer(
  target: AcrTarget,
  options: UpdateTaskTimerOptions,
): Promise<AzObject | undefined> {
  return patchTimer(target, options, {
    schedule: options.schedule,
    status: options.enabled === undefined ? undefined : statusOf(options.enabled),
    name: options.timerName,
  });
}

/**
 * `az acr task timer remove`. A PATCH cannot remove a trigger, so, like az, this reads the
 * task with its secrets and PUTs it back without the timer.
 */
export async function removeTaskTimer(
  target: AcrTarget,
  options: TaskTimerOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);
  const task = await taskDetails(session, registry, options.name);

  const trigger = properties(task).trigger;
  if (!isObject(trigger)) {
    throw new CliError(`No triggers exist for the task '${options.name}'.`);
  }
  const timers = Array.isArray(trigger.timerTriggers) ? trigger.timerTriggers : [];
  if (timers.length === 0) {
    throw new CliError(`No timer triggers exist for the task '${options.name}'.`);
  }
  const nameOf = (timer: unknown) => (isObject(timer) ? timer.name : undefined);
  if (!timers.some((timer) => nameOf(timer) === options.timerName)) {
    throw new CliError(
      `The timer '${options.timerName}' does not exist for the task '${options.name}'.`,
    );
  }

  trigger.timerTriggers = timers.filter((timer) => nameOf(timer) !== options.timerName);
  const body = taskPutBody(task);
  return azPolledTask(
    await taskThroughPoller(session, taskRequest(registry, options.name, "PUT", body)),
  );
}

/**
 * `az acr task timer list`: the timers, `{}` when the task has no trigger object, nothing
 * (undefined) when it has one without timers.
 */
export async function listTaskTimers(
  target: AcrTarget,
  options: TaskOptions,
): Promise<AzObject[] | AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const trigger = properties(await taskDetails(session, registry, options.name)).trigger;
  if (!isObject(trigger)) {
    return {};
  }
  if (!Array.isArray(trigger.timerTriggers)) {
    return undefined;
  }
  return trigger.timerTriggers.map((timer) => azShape("TimerTrigger", timer) as AzObject);
}
