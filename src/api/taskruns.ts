// `az acr taskrun list | show | delete | logs` as functions: az 2.45's checks in az's order,
// az's requests and az's results.

import { CliError } from "../cli/errors.js";
import { API_VERSIONS, resourcePath, type ArmRequest } from "../azure/arm.js";
import { injectResourceGroup, toAzJson } from "../azure/az-json.js";
import { MANAGED_REGISTRY_MESSAGES, type ResolvedRegistry } from "../azure/registry.js";
import type { StreamOutcome } from "../logs/index.js";
import { isObject, type Json, type RegistryOptions } from "./common.js";
import {
  DEFAULT_LOG_TIMEOUT_SECONDS,
  followRunLog,
  lookUpManagedRegistry,
  silentLogger,
  type AzRun,
  type OperationOptions,
  type RunLogOptions,
} from "./runs.js";
import { sessionOf, type AcrSession, type AcrTarget } from "./session.js";

/**
 * A task run as az prints it (contract F3): `runRequest` has the keys of its type, `runResult`
 * is a run (with its own `resourceGroup`).
 */
export interface AzTaskRun {
  id: string | null;
  name: string | null;
  type: string | null;
  systemData: Record<string, unknown> | null;
  identity: Record<string, unknown> | null;
  location: string | null;
  provisioningState: string | null;
  runRequest: Record<string, unknown> | null;
  runResult: AzRun | null;
  forceUpdateTag: string | null;
  resourceGroup?: string;
  [key: string]: unknown;
}

export interface TaskRunOptions extends RegistryOptions, OperationOptions {
  /** `--name/-n`: the task run. */
  name: string;
}

export interface DeleteTaskRunOptions extends TaskRunOptions {
  /** Delete without asking. */
  yes?: boolean;
  /**
   * Asks the user; called with az's whole prompt text. Without it (and without `yes`) the
   * deletion fails as az does when no terminal is available.
   */
  confirm?: (prompt: string) => boolean | Promise<boolean>;
}

export type TaskRunLogsOptions = TaskRunOptions & RunLogOptions;

/** az's dict for a task run read from the service, with the `resourceGroup` az adds. */
export function azTaskRun(wire: unknown): AzTaskRun {
  return injectResourceGroup(toAzJson("TaskRun", wire)) as AzTaskRun;
}

async function lookUp(session: AcrSession, options: RegistryOptions): Promise<ResolvedRegistry> {
  return lookUpManagedRegistry(session, options, MANAGED_REGISTRY_MESSAGES.taskrun);
}

function taskRunsRequest(
  registry: ResolvedRegistry,
  method: ArmRequest["method"],
  name?: string,
): ArmRequest {
  return {
    method,
    path: `${registry.path}/taskRuns${name === undefined ? "" : resourcePath`/${name}`}`,
    query: [["api-version", API_VERSIONS.tasks]],
  };
}

async function getTaskRunWire(
  session: AcrSession,
  registry: ResolvedRegistry,
  name: string,
): Promise<Json> {
  const response = await session.arm.send(taskRunsRequest(registry, "GET", name), [200]);
  return isObject(response.json) ? response.json : {};
}

/** `az acr taskrun list`. */
export async function listTaskRuns(
  target: AcrTarget,
  options: RegistryOptions & OperationOptions,
): Promise<AzTaskRun[]> {
  const session = await sessionOf(target);
  const registry = await lookUp(session, options);

  const taskRuns = await session.arm.listAll(taskRunsRequest(registry, "GET"), "tasks");
  return taskRuns.map((taskRun) => azTaskRun(isObject(taskRun) ? taskRun : {}));
}

/** `az acr taskrun show`. */
export async function showTaskRun(target: AcrTarget, options: TaskRunOptions): Promise<AzTaskRun> {
  const session = await sessionOf(target);
  const registry = await lookUp(session, options);
  return azTaskRun(await getTaskRunWire(session, registry, options.name));
}

/** `az acr taskrun delete`: asks first (after the registry lookup, as az does). */
export async function deleteTaskRun(
  target: AcrTarget,
  options: DeleteTaskRunOptions,
): Promise<void> {
  const session = await sessionOf(target);
  const registry = await lookUp(session, options);

  if (!options.yes) {
    if (!options.confirm) {
      throw new CliError("Unable to prompt for confirmation as no tty available. Use --yes.");
    }
    const prompt = `Are you sure you want to delete the taskrun '${options.name}'  (y/n): `;
    if (!(await options.confirm(prompt))) {
      throw new CliError("Operation cancelled.");
    }
  }

  await session.arm.longRunning(taskRunsRequest(registry, "DELETE", options.name), {
    accepted: [200, 202, 204],
    notFoundMeansDeleted: true,
  });
}

/**
 * `az acr taskrun logs`: the log of the run the task run started. The run's outcome does not
 * matter: the log is all there is.
 */
export async function taskRunLogs(
  target: AcrTarget,
  options: TaskRunLogsOptions,
): Promise<StreamOutcome> {
  const session = await sessionOf(target);
  const registry = await lookUp(session, options);

  const taskRun = await getTaskRunWire(session, registry, options.name);
  const properties = isObject(taskRun.properties) ? taskRun.properties : {};
  const runResult = isObject(properties.runResult) ? properties.runResult : undefined;
  const runProperties = isObject(runResult?.properties) ? runResult.properties : {};
  if (runResult === undefined) {
    // az 2.45 crashes here ('NoneType' object has no attribute 'run_id').
    throw new CliError(`The task run '${options.name}' has not started a run, so it has no logs.`);
  }
  const runId = typeof runProperties.runId === "string" ? runProperties.runId : "None";

  return followRunLog(session, registry, {
    ...options,
    runId,
    timeoutSeconds: DEFAULT_LOG_TIMEOUT_SECONDS,
    failOnRunFailure: false,
    logger: options.logger ?? silentLogger,
  });
}
