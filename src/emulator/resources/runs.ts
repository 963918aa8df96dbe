// ARM handlers for registries/{r}/runs: list (with az's $filter and $top), get, update (only
// isArchiveEnabled), cancel and listLogSasUrl.

import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import type { StoredResource } from "../store/types.js";
import { blobLinksFor } from "./blob-links.js";
import type { RunBlobLinks } from "./blob-links.js";
import { matchesRunFilter, parseRunFilter } from "./run-filter.js";
import { isTerminal, progressRun, renderRun, runEvents } from "./run-records.js";
import type { RunDocument } from "./run-records.js";
import {
  REGISTRY_TEMPLATE,
  RUN_TYPE,
  callerOf,
  createdSystemData,
  entityNotFound,
  findRegistry,
  formatArmTime,
  formatWholeSeconds,
  invalidParameter,
  page,
  requireObjectBody,
} from "./shapes.js";
import type { Json, RegistryRef } from "./shapes.js";

const RUNS = `${REGISTRY_TEMPLATE}/runs`;
const RUN = `${RUNS}/{runId}`;

function requireRun(
  request: EmulatorRequest,
  services: EmulatorServices,
): { registry: RegistryRef; run: StoredResource<RunDocument> } {
  const registry = findRegistry(request, services);
  const runId = request.params.runId ?? "";
  const run = services.store.get<RunDocument>(`${registry.id}/runs/${runId}`);
  if (run === undefined) {
    throw entityNotFound(runId);
  }
  return { registry, run };
}

function listRuns(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const filterText = request.query.get("$filter");
  const filter =
    filterText === null || filterText.trim() === "" ? undefined : parseRunFilter(filterText);
  const topText = request.query.get("$top");

  if (topText !== null && !/^\d+$/.test(topText)) {
    throw invalidParameter(`The $top '${topText}' is not a whole number.`, "$top");
  }

  const runs = services.store
    .list<RunDocument>(RUN_TYPE, registry.id)
    .filter((run) => filter === undefined || matchesRunFilter(filter, run.document.properties))
    .sort((left, right) => right.document.sequence - left.document.sequence)
    .slice(0, topText === null ? undefined : Number.parseInt(topText, 10))
    .map((run) => renderRun(run));
  return { status: 200, body: page(runs, request, services) };
}

function getRun(request: EmulatorRequest, services: EmulatorServices) {
  const { run } = requireRun(request, services);
  return { status: 200, body: renderRun(run) };
}

function updateRun(request: EmulatorRequest, services: EmulatorServices) {
  const { run } = requireRun(request, services);
  const body = requireObjectBody(request);

  if (body.isArchiveEnabled !== undefined && typeof body.isArchiveEnabled !== "boolean") {
    throw invalidParameter("isArchiveEnabled must be true or false.", "isArchiveEnabled");
  }

  // Azure rewrites the whole systemData on a run PATCH: created and modified by the caller, now.
  const now = services.now();
  const properties: Json = {
    ...run.document.properties,
    lastUpdatedTime: formatWholeSeconds(now),
  };
  if (typeof body.isArchiveEnabled === "boolean") {
    properties.isArchiveEnabled = body.isArchiveEnabled;
  }
  const updated: StoredResource<RunDocument> = {
    ...run,
    document: {
      ...run.document,
      properties,
      systemData: createdSystemData(callerOf(request), formatArmTime(now)),
    },
  };
  services.store.put(updated);
  return { status: 200, body: renderRun(updated) };
}

function cancelRun(request: EmulatorRequest, services: EmulatorServices) {
  const { registry, run } = requireRun(request, services);

  if (!isTerminal(run.document.properties.status)) {
    progressRun(services.store, run.id, { status: "Canceled" }, services.now());
    runEvents.emit("canceled", { store: services.store, runId: run.id, registry });
  }
  return { status: 200 };
}

export function registerRunRoutes(routes: RouteTable, blobLinks?: RunBlobLinks): void {
  routes.add("GET", RUNS, listRuns);
  routes.add("GET", RUN, getRun);
  routes.add("PATCH", RUN, updateRun);
  routes.add("POST", `${RUN}/cancel`, cancelRun);
  routes.add("POST", `${RUN}/listLogSasUrl`, async (request, services) => {
    const { registry, run } = requireRun(request, services);
    const links = blobLinksFor(services, blobLinks);
    const runId = String(run.document.properties.runId);
    return { status: 200, body: { logLink: await links.logLink(registry, runId) } };
  });
}
