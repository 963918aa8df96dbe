// Steps shared by the task operations: resolving the registry, addressing a task, reading it
// with its secrets, and turning results into az's data.

import { API_VERSIONS, resourcePath, type ArmRequest } from "../azure/arm.js";
import {
  MANAGED_REGISTRY_MESSAGES,
  resolveRegistry,
  stripLoginServerSuffix,
  type ResolvedRegistry,
} from "../azure/registry.js";
import { azShape } from "./shape.js";
import type { AcrSession } from "./session.js";

/** Arguments every command has: `--registry/-r` and `--resource-group/-g`. */
export interface RegistryOptions {
  /** Registry name; a login server (`name.azurecr.io`) is cut down to the name. */
  registry: string;
  /** The registry's resource group; found through the subscription when absent. */
  resourceGroup?: string;
}

/** Adds `--name/-n`, the task name. */
export interface TaskOptions extends RegistryOptions {
  name: string;
}

export type Json = Record<string, unknown>;

/** az's dict for a task or one of its parts. */
export type AzObject = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Registry resolution; `checkSku` is false only for task creation. */
export async function lookUpRegistry(
  session: AcrSession,
  options: RegistryOptions,
  checkSku = true,
): Promise<ResolvedRegistry> {
  const { registryName } = stripLoginServerSuffix(options.registry, session.loginServerSuffix);
  return resolveRegistry(session.arm, {
    registryName,
    resourceGroup: options.resourceGroup,
    subscriptionName: session.subscriptionName,
    managedRegistryMessage: checkSku ? MANAGED_REGISTRY_MESSAGES.task : undefined,
  });
}

/** GET of the registry's task list (its pages are followed by `listAll`). */
export function taskListRequest(registry: ResolvedRegistry): ArmRequest {
  return {
    method: "GET",
    path: `${registry.path}/tasks`,
    query: [["api-version", API_VERSIONS.tasks]],
  };
}

export function taskRequest(
  registry: ResolvedRegistry,
  name: string,
  method: ArmRequest["method"],
  body?: unknown,
  action = "",
): ArmRequest {
  return {
    method,
    path: `${registry.path}${resourcePath`/tasks/${name}`}${action}`,
    query: [["api-version", API_VERSIONS.tasks]],
    body,
  };
}

/** POST listDetails: the task with its secrets, as sent. */
export async function taskDetails(
  session: AcrSession,
  registry: ResolvedRegistry,
  name: string,
): Promise<Json> {
  const response = await session.arm.send(
    taskRequest(registry, name, "POST", undefined, "/listDetails"),
    [200],
  );
  return isObject(response.json) ? response.json : {};
}

/** A task that came back through az's poller. */
export interface PolledTask {
  wire: Json;
  /** The operation's first response: az deserialises it twice (see `TaskFromInitialResponse`). */
  fromInitialResponse: boolean;
}

/** A PATCH or PUT of a task through az's poller; undefined when the result has no body. */
export async function taskThroughPoller(
  session: AcrSession,
  request: ArmRequest,
): Promise<PolledTask | undefined> {
  const response = await session.arm.longRunning(request, { accepted: [200, 201] });
  if (response === undefined || !isObject(response.json)) {
    return undefined;
  }
  return { wire: response.json, fromInitialResponse: !response.polled };
}

export function azPolledTask(task: PolledTask | undefined): AzObject | undefined {
  if (task === undefined) {
    return undefined;
  }
  const schema = task.fromInitialResponse ? "TaskFromInitialResponse" : "Task";
  return azShape(schema, task.wire) as AzObject;
}

export function azTask(task: Json): AzObject {
  return azShape("Task", task) as AzObject;
}

export function properties(task: Json): Json {
  return isObject(task.properties) ? task.properties : {};
}
