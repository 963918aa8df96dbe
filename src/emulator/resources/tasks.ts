// ARM handlers for registries/{r}/tasks: create or replace (PUT), get, list, update (PATCH),
// delete and listDetails. Azure completes all of them in the first answer (200, no async
// headers) although the swagger calls them long-running; az's `task create` relies on that.

import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import type { StoredResource } from "../store/types.js";
import {
  REGISTRY_TEMPLATE,
  TASK_TYPE,
  callerOf,
  checkName,
  childId,
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
import {
  maskTaskProperties,
  mergeTaskProperties,
  orderStep,
  resolveIdentity,
  taskPropertiesForCreate,
} from "./task-model.js";

/** A task as kept in the store: everything, secrets included, plus its creation order. */
export interface TaskDocument {
  sequence: number;
  location: string;
  tags?: Json;
  identity?: Json;
  properties: Json;
  systemData: SystemData;
}

const TASKS = `${REGISTRY_TEMPLATE}/tasks`;
const TASK = `${TASKS}/{taskName}`;

function taskName(request: EmulatorRequest): string {
  const name = request.params.taskName ?? "";
  checkName("task", name, 5, 50, /^[a-zA-Z0-9-_]*$/);
  return name;
}

/** The stored task a path names, or undefined. */
export function findTask(
  services: EmulatorServices,
  registry: RegistryRef,
  name: string,
): StoredResource<TaskDocument> | undefined {
  return services.store.get<TaskDocument>(childId(registry, "tasks", name));
}

/** The Task resource in Azure's key order; secrets are hidden unless `withSecrets`. */
export function renderTask(stored: StoredResource<TaskDocument>, withSecrets: boolean): Json {
  const document = stored.document;
  const resource: Json = { type: TASK_TYPE };

  if (document.identity !== undefined) {
    resource.identity = document.identity;
  }
  // Order the step again: a runner may have added base image dependencies at its end.
  const properties = isObject(document.properties.step)
    ? { ...document.properties, step: orderStep(document.properties.step) }
    : document.properties;
  resource.properties = withSecrets ? properties : maskTaskProperties(properties);
  resource.id = stored.id;
  resource.name = nameOf(stored);
  resource.location = document.location;
  if (document.tags !== undefined) {
    resource.tags = document.tags;
  }
  resource.systemData = document.systemData;
  return resource;
}

function requireTask(
  request: EmulatorRequest,
  services: EmulatorServices,
): { registry: RegistryRef; task: StoredResource<TaskDocument> } {
  const registry = findRegistry(request, services);
  const name = taskName(request);
  const task = findTask(services, registry, name);
  if (task === undefined) {
    throw entityNotFound(name);
  }
  return { registry, task };
}

function createTask(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = taskName(request);
  const body = requireObjectBody(request);
  const previous = findTask(services, registry, name);

  if (typeof body.location !== "string" || body.location === "") {
    throw invalidParameter("The task's location is required.", "location");
  }
  if (!isObject(body.properties)) {
    throw invalidParameter("The task's properties are required.", "properties");
  }
  if (body.tags !== undefined && body.tags !== null && !isObject(body.tags)) {
    throw invalidParameter("The task's tags must be an object.", "tags");
  }

  // A PUT on an existing name replaces the task but keeps what the service set at creation.
  const now = services.now();
  const caller = callerOf(request);
  const at = formatArmTime(now);
  const previousDocument = previous?.document;
  const creationDate =
    typeof previousDocument?.properties.creationDate === "string"
      ? previousDocument.properties.creationDate
      : at;

  const document: TaskDocument = {
    sequence: previousDocument?.sequence ?? services.store.nextSequence("tasks"),
    location: previousDocument?.location ?? body.location,
    tags: isObject(body.tags) ? body.tags : undefined,
    identity: resolveIdentity(body.identity, previousDocument?.identity, services.tenantId, false),
    properties: taskPropertiesForCreate(
      body.properties,
      previousDocument?.properties,
      creationDate,
    ),
    systemData:
      previousDocument === undefined
        ? createdSystemData(caller, at)
        : modifiedSystemData(previousDocument.systemData, caller, at),
  };

  const id = childId(registry, "tasks", name);
  services.store.put<TaskDocument>({ id, type: TASK_TYPE, document });
  const stored = services.store.get<TaskDocument>(id) as StoredResource<TaskDocument>;
  return { status: 200, body: renderTask(stored, false) };
}

function getTask(request: EmulatorRequest, services: EmulatorServices) {
  const { task } = requireTask(request, services);
  return { status: 200, body: renderTask(task, false) };
}

function getTaskDetails(request: EmulatorRequest, services: EmulatorServices) {
  const { task } = requireTask(request, services);
  return { status: 200, body: renderTask(task, true) };
}

function updateTask(request: EmulatorRequest, services: EmulatorServices) {
  const { task } = requireTask(request, services);
  const body = requireObjectBody(request);
  const document = task.document;
  const at = formatArmTime(services.now());

  if (body.properties !== undefined && !isObject(body.properties)) {
    throw invalidParameter("The task's properties must be an object.", "properties");
  }

  const updated: TaskDocument = {
    ...document,
    tags: isObject(body.tags) ? body.tags : document.tags,
    identity: resolveIdentity(body.identity, document.identity, services.tenantId, true),
    properties: isObject(body.properties)
      ? mergeTaskProperties(document.properties, body.properties)
      : document.properties,
    systemData: modifiedSystemData(document.systemData, callerOf(request), at),
  };

  services.store.put<TaskDocument>({ id: task.id, type: TASK_TYPE, document: updated });
  return { status: 200, body: renderTask({ ...task, document: updated }, false) };
}

function deleteTask(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = taskName(request);

  // Deleting a task that is not there succeeds too, as Azure's does, with 204.
  const deleted = services.store.delete(childId(registry, "tasks", name));
  return { status: deleted ? 200 : 204 };
}

function listTasks(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const tasks = services.store
    .list<TaskDocument>(TASK_TYPE, registry.id)
    .sort((left, right) => left.document.sequence - right.document.sequence)
    .map((task) => renderTask(task, false));
  return { status: 200, body: page(tasks, request, services) };
}

export function registerTaskRoutes(routes: RouteTable): void {
  routes.add("GET", TASKS, listTasks);
  routes.add("PUT", TASK, createTask);
  routes.add("GET", TASK, getTask);
  routes.add("PATCH", TASK, updateTask);
  routes.add("DELETE", TASK, deleteTask);
  routes.add("POST", `${TASK}/listDetails`, getTaskDetails);
}
