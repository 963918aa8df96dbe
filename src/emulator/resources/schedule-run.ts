// registries/{r}/scheduleRun and listBuildSourceUploadUrl. scheduleRun queues a run and answers
// 200 at once with the small Queued run Azure sends (a 202 without a body crashes az); the
// runner takes the run from there.

import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import { blobLinksFor } from "./blob-links.js";
import type { RunBlobLinks } from "./blob-links.js";
import { checkRunRequest, queueRun, renderScheduledRun } from "./run-records.js";
import type { RunDocument } from "./run-records.js";
import {
  REGISTRY_TEMPLATE,
  callerOf,
  entityNotFound,
  findRegistry,
  invalidParameter,
  requireObjectBody,
} from "./shapes.js";
import type { Json, RegistryRef } from "./shapes.js";
import { findTask } from "./tasks.js";
import type { StoredResource } from "../store/types.js";

/**
 * The task a TaskRunRequest names: az sends the task's full resource id (with a lower-cased
 * resource group), the swagger's example a bare name. Both are matched without regard to case.
 */
export function taskForRun(
  services: EmulatorServices,
  registry: RegistryRef,
  taskId: string,
): { id: string; name: string; properties: Json } {
  const marker = taskId.toLowerCase().lastIndexOf("/tasks/");
  const name = marker >= 0 ? taskId.slice(marker + "/tasks/".length) : taskId;

  if (marker >= 0 && taskId.slice(0, marker).toLowerCase() !== registry.id.toLowerCase()) {
    throw invalidParameter(
      `The task '${taskId}' does not belong to registry '${registry.name}'.`,
      "taskId",
    );
  }
  const task = findTask(services, registry, name);
  if (task === undefined) {
    throw entityNotFound(name);
  }
  const segments = task.id.split("/");
  return {
    id: task.id,
    name: segments[segments.length - 1] ?? name,
    properties: task.document.properties,
  };
}

/** Validates a RunRequest and queues its run; shared by scheduleRun and task runs. */
export function scheduleRunRequest(
  request: EmulatorRequest,
  services: EmulatorServices,
  registry: RegistryRef,
  runRequest: Json,
): StoredResource<RunDocument> {
  const type = checkRunRequest(runRequest);
  const task =
    type === "TaskRunRequest"
      ? taskForRun(services, registry, runRequest.taskId as string)
      : undefined;

  return queueRun(services.store, {
    registry,
    request: runRequest,
    caller: callerOf(request),
    now: services.now(),
    task,
  });
}

function scheduleRun(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const body = requireObjectBody(request);
  const run = scheduleRunRequest(request, services, registry, body);
  return { status: 200, body: renderScheduledRun(run) };
}

/** `source/<yyyyMMddHHmm>/<guid>.tar.gz`, the path Azure hands out for an upload. */
export function sourceUploadPath(now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-T:]/g, "");
  return `source/${stamp}/${randomUUID()}.tar.gz`;
}

export function registerScheduleRunRoutes(routes: RouteTable, blobLinks?: RunBlobLinks): void {
  routes.add("POST", `${REGISTRY_TEMPLATE}/scheduleRun`, scheduleRun);
  routes.add("POST", `${REGISTRY_TEMPLATE}/listBuildSourceUploadUrl`, async (request, services) => {
    const registry = findRegistry(request, services);
    const links = blobLinksFor(services, blobLinks);
    const relativePath = sourceUploadPath(services.now());
    const uploadUrl = await links.sourceUploadLink(registry, relativePath);
    return { status: 200, body: { uploadUrl, relativePath } };
  });
}
