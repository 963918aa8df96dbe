// ARM handlers for registries/{r}/taskRuns: a task run is a named resource that schedules a run
// of its runRequest when it is created, and again when its runRequest or forceUpdateTag changes.
// Its provisioningState follows that run, so SDK 11's body-mode poller (no async header) waits
// for the run through `GET taskRuns/{name}`.

import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import type { StoredResource } from "../store/types.js";
import { echoRunRequest, renderRun } from "./run-records.js";
import type { RunDocument } from "./run-records.js";
import { scheduleRunRequest } from "./schedule-run.js";
import {
  REGISTRY_TEMPLATE,
  TASK_RUN_TYPE,
  callerOf,
  checkName,
  childId,
  cloneJson,
  createdSystemData,
  entityNotFound,
  findRegistry,
  formatArmTime,
  invalidParameter,
  isObject,
  modifiedSystemData,
  nameOf,
  page,
  requireObjectBody,
} from "./shapes.js";
import type { Json, RegistryRef, SystemData } from "./shapes.js";
import { resolveIdentity } from "./task-model.js";

/** A task run as kept in the store; `runRequest` keeps its secrets. */
export interface TaskRunDocument {
  sequence: number;
  location: string;
  tags?: Json;
  identity?: Json;
  runRequest: Json;
  forceUpdateTag?: string;
  /** The ARM id of the run the task run last scheduled. */
  runId: string;
  /** Whether that run came from an update rather than the creation. */
  updated: boolean;
  systemData: SystemData;
}

const TASK_RUNS = `${REGISTRY_TEMPLATE}/taskRuns`;
const TASK_RUN = `${TASK_RUNS}/{taskRunName}`;

function taskRunName(request: EmulatorRequest): string {
  const name = request.params.taskRunName ?? "";
  checkName("taskRun", name, 5, 50, /^[a-zA-Z0-9-]*$/);
  return name;
}

/**
 * The task run's state from its run's: in progress while the run is, then Succeeded, Failed or
 * Canceled as the run ended.
 */
function provisioningStateOf(run: StoredResource<RunDocument> | undefined, updated: boolean) {
  switch (run?.document.properties.status) {
    case undefined:
    case "Succeeded":
      return "Succeeded";
    case "Canceled":
      return "Canceled";
    case "Failed":
    case "Error":
    case "Timeout":
      return "Failed";
    default:
      return updated ? "Updating" : "Creating";
  }
}

function renderTaskRun(
  services: EmulatorServices,
  stored: StoredResource<TaskRunDocument>,
  withSecrets: boolean,
): Json {
  const document = stored.document;
  const run = services.store.get<RunDocument>(document.runId);
  const properties: Json = {
    provisioningState: provisioningStateOf(run, document.updated),
    runRequest: echoRunRequest(document.runRequest, withSecrets),
  };

  if (run !== undefined) {
    properties.runResult = renderRun(run, false);
  }
  if (document.forceUpdateTag !== undefined) {
    properties.forceUpdateTag = document.forceUpdateTag;
  }

  const resource: Json = { type: TASK_RUN_TYPE };
  if (document.identity !== undefined) {
    resource.identity = document.identity;
  }
  resource.properties = properties;
  resource.location = document.location;
  if (document.tags !== undefined) {
    resource.tags = document.tags;
  }
  resource.id = stored.id;
  resource.name = nameOf(stored);
  resource.systemData = document.systemData;
  return resource;
}

function requireTaskRun(
  request: EmulatorRequest,
  services: EmulatorServices,
): { registry: RegistryRef; taskRun: StoredResource<TaskRunDocument> } {
  const registry = findRegistry(request, services);
  const name = taskRunName(request);
  const taskRun = services.store.get<TaskRunDocument>(childId(registry, "taskRuns", name));
  if (taskRun === undefined) {
    throw entityNotFound(name);
  }
  return { registry, taskRun };
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function readProperties(body: Json, required: boolean): Json {
  if (body.properties === undefined && !required) {
    return {};
  }
  if (!isObject(body.properties)) {
    throw invalidParameter("The task run's properties are required.", "properties");
  }
  const properties = body.properties;
  if (required && !isObject(properties.runRequest)) {
    throw invalidParameter("The task run's runRequest is required.", "properties.runRequest");
  }
  if (properties.runRequest !== undefined && !isObject(properties.runRequest)) {
    throw invalidParameter("The runRequest must be an object.", "properties.runRequest");
  }
  return properties;
}

function createTaskRun(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = taskRunName(request);
  const body = requireObjectBody(request);
  const properties = readProperties(body, true);
  const runRequest = properties.runRequest as Json;
  const forceUpdateTag =
    typeof properties.forceUpdateTag === "string" ? properties.forceUpdateTag : undefined;
  const id = childId(registry, "taskRuns", name);
  const previous = services.store.get<TaskRunDocument>(id)?.document;
  const at = formatArmTime(services.now());

  // Putting the same request and tag again (an ARM redeployment) does not run it again.
  const rerun =
    previous === undefined ||
    !sameJson(previous.runRequest, runRequest) ||
    previous.forceUpdateTag !== forceUpdateTag;
  const runId = rerun
    ? scheduleRunRequest(request, services, registry, runRequest).id
    : previous.runId;

  const document: TaskRunDocument = {
    sequence: previous?.sequence ?? services.store.nextSequence("taskRuns"),
    location: typeof body.location === "string" ? body.location : registry.location,
    tags: isObject(body.tags) ? body.tags : undefined,
    identity: resolveIdentity(body.identity, previous?.identity, services.tenantId, false),
    runRequest: cloneJson(runRequest),
    forceUpdateTag,
    runId,
    updated: previous !== undefined && rerun ? true : (previous?.updated ?? false),
    systemData:
      previous === undefined
        ? createdSystemData(callerOf(request), at)
        : modifiedSystemData(previous.systemData, callerOf(request), at),
  };
  services.store.put<TaskRunDocument>({ id, type: TASK_RUN_TYPE, document });

  const stored = services.store.get<TaskRunDocument>(id) as StoredResource<TaskRunDocument>;
  return {
    status: previous === undefined ? 201 : 200,
    body: renderTaskRun(services, stored, false),
  };
}

function updateTaskRun(request: EmulatorRequest, services: EmulatorServices) {
  const { registry, taskRun } = requireTaskRun(request, services);
  const body = requireObjectBody(request);
  const properties = readProperties(body, false);
  const document = taskRun.document;

  const runRequest = isObject(properties.runRequest)
    ? { ...document.runRequest, ...properties.runRequest }
    : document.runRequest;
  const forceUpdateTag =
    typeof properties.forceUpdateTag === "string"
      ? properties.forceUpdateTag
      : document.forceUpdateTag;
  const rerun =
    !sameJson(runRequest, document.runRequest) || forceUpdateTag !== document.forceUpdateTag;

  const updated: TaskRunDocument = {
    ...document,
    tags: isObject(body.tags) ? body.tags : document.tags,
    identity: resolveIdentity(body.identity, document.identity, services.tenantId, true),
    runRequest,
    forceUpdateTag,
    runId: rerun ? scheduleRunRequest(request, services, registry, runRequest).id : document.runId,
    updated: rerun ? true : document.updated,
    systemData: modifiedSystemData(
      document.systemData,
      callerOf(request),
      formatArmTime(services.now()),
    ),
  };
  services.store.put<TaskRunDocument>({ id: taskRun.id, type: TASK_RUN_TYPE, document: updated });
  return { status: 200, body: renderTaskRun(services, { ...taskRun, document: updated }, false) };
}

function deleteTaskRun(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = taskRunName(request);
  const deleted = services.store.delete(childId(registry, "taskRuns", name));
  return { status: deleted ? 200 : 204 };
}

function listTaskRuns(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const taskRuns = services.store
    .list<TaskRunDocument>(TASK_RUN_TYPE, registry.id)
    .sort((left, right) => left.document.sequence - right.document.sequence)
    .map((taskRun) => renderTaskRun(services, taskRun, false));
  return { status: 200, body: page(taskRuns, request, services) };
}

export function registerTaskRunRoutes(routes: RouteTable): void {
  const details = (request: EmulatorRequest, services: EmulatorServices) => {
    const { taskRun } = requireTaskRun(request, services);
    return { status: 200, body: renderTaskRun(services, taskRun, true) };
  };

  routes.add("GET", TASK_RUNS, listTaskRuns);
  routes.add("PUT", TASK_RUN, createTaskRun);
  routes.add("GET", TASK_RUN, (request, services) => {
    const { taskRun } = requireTaskRun(request, services);
    return { status: 200, body: renderTaskRun(services, taskRun, false) };
  });
  routes.add("PATCH", TASK_RUN, updateTaskRun);
  routes.add("DELETE", TASK_RUN, deleteTaskRun);
  // Both SDKs POST; an early revision of the swagger had a GET, which costs nothing to keep.
  routes.add("POST", `${TASK_RUN}/listDetails`, details);
  routes.add("GET", `${TASK_RUN}/listDetails`, details);
}
