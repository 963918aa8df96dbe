// ARM handlers for registries/{r}/agentPools, the one Tasks resource Azure really provisions
// asynchronously: PUT and PATCH answer 201 with `Azure-AsyncOperation` (an operationStatuses
// URL answering `{"status":"Creating"|"Updating"}` then `Succeeded`), DELETE answers 202 with a
// `Location` (an operationResults URL answering 202 `{"status":"Deleting"}` until the pool is
// gone). Operations settle when they are next looked at after their duration has passed, so
// no timer runs in the background.

import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import type { StoredResource } from "../store/types.js";
import type { RunDocument } from "./run-records.js";
import {
  AGENT_POOL_TYPE,
  REGISTRY_TEMPLATE,
  RUN_TYPE,
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
  pick,
  requireObjectBody,
} from "./shapes.js";
import type { Json, RegistryRef, SystemData } from "./shapes.js";

/** How long creating, scaling or deleting a pool takes in the emulator. */
export const AGENT_POOL_OPERATION_MS = 1000;

/** Poll again after this many seconds (Azure sends none, and az would wait 30 s). */
const RETRY_AFTER_SECONDS = "1";

type OperationKind = "Creating" | "Updating" | "Deleting";

interface PendingOperation {
  id: string;
  kind: OperationKind;
  /** Epoch milliseconds at which the operation is done. */
  doneAt: number;
}

export interface AgentPoolDocument {
  sequence: number;
  location: string;
  tags?: Json;
  properties: Json;
  systemData: SystemData;
  pending?: PendingOperation;
}

/** An operation's own record, which outlives a deleted pool so its URL keeps answering. */
interface OperationDocument {
  poolId: string;
  kind: OperationKind;
  doneAt: number;
}

const OPERATION_TYPE = "Microsoft.ContainerRegistry/registries/agentPoolOperations";
const AGENT_POOLS = `${REGISTRY_TEMPLATE}/agentPools`;
const AGENT_POOL = `${AGENT_POOLS}/{agentPoolName}`;
const PROPERTY_ORDER = [
  "count",
  "tier",
  "os",
  "virtualNetworkSubnetResourceId",
  "provisioningState",
];

function poolName(request: EmulatorRequest): string {
  const name = request.params.agentPoolName ?? "";
  checkName("agentPool", name, 3, 20, /^[a-zA-Z0-9-]*$/);
  return name;
}

function operationId(registry: RegistryRef, id: string): string {
  return `${registry.id}/agentPoolOperations/${id}`;
}

/**
 * The pool after any finished operation has taken effect: provisioning done, or the pool gone.
 */
function settle(
  services: EmulatorServices,
  stored: StoredResource<AgentPoolDocument> | undefined,
): StoredResource<AgentPoolDocument> | undefined {
  const pending = stored?.document.pending;
  if (stored === undefined || pending === undefined || services.now().getTime() < pending.doneAt) {
    return stored;
  }

  if (pending.kind === "Deleting") {
    services.store.delete(stored.id);
    return undefined;
  }
  const document: AgentPoolDocument = {
    ...stored.document,
    properties: { ...stored.document.properties, provisioningState: "Succeeded" },
    pending: undefined,
  };
  const settled = { ...stored, document };
  services.store.put(settled);
  return settled;
}

function findPool(
  services: EmulatorServices,
  registry: RegistryRef,
  name: string,
): StoredResource<AgentPoolDocument> | undefined {
  return settle(
    services,
    services.store.get<AgentPoolDocument>(childId(registry, "agentPools", name)),
  );
}

function requirePool(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = poolName(request);
  const pool = findPool(services, registry, name);
  if (pool === undefined) {
    throw entityNotFound(name);
  }
  return { registry, pool };
}

function renderPool(stored: StoredResource<AgentPoolDocument>): Json {
  const resource: Json = {
    type: AGENT_POOL_TYPE,
    properties: pick(stored.document.properties, PROPERTY_ORDER),
    id: stored.id,
    name: nameOf(stored),
    location: stored.document.location,
  };
  if (stored.document.tags !== undefined) {
    resource.tags = stored.document.tags;
  }
  resource.systemData = stored.document.systemData;
  return resource;
}

/** Starts an operation on a pool; returns the pending record to keep on it. */
function startOperation(
  services: EmulatorServices,
  registry: RegistryRef,
  poolId: string,
  kind: OperationKind,
): PendingOperation {
  const id = randomUUID();
  const doneAt = services.now().getTime() + AGENT_POOL_OPERATION_MS;
  services.store.put<OperationDocument>({
    id: operationId(registry, id),
    type: OPERATION_TYPE,
    document: { poolId, kind, doneAt },
  });
  return { id, kind, doneAt };
}

function operationUrl(
  request: EmulatorRequest,
  services: EmulatorServices,
  poolId: string,
  collection: "operationStatuses" | "operationResults",
  id: string,
): string {
  const apiVersion = request.query.get("api-version") ?? "2019-06-01-preview";
  return `${services.armEndpoint}${poolId}/${collection}/${id}?api-version=${encodeURIComponent(apiVersion)}`;
}

function checkCount(count: unknown): void {
  if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 0)) {
    throw invalidParameter(
      "The agent count must be a whole number of 0 or more.",
      "properties.count",
    );
  }
}

function createPool(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = poolName(request);
  const body = requireObjectBody(request);
  const requested = isObject(body.properties) ? body.properties : {};
  const id = childId(registry, "agentPools", name);
  const previous = findPool(services, registry, name)?.document;

  if (typeof body.location !== "string" || body.location === "") {
    throw invalidParameter("The agent pool's location is required.", "location");
  }
  checkCount(requested.count);

  const kind: OperationKind = previous === undefined ? "Creating" : "Updating";
  const pending = startOperation(services, registry, id, kind);
  const at = formatArmTime(services.now());
  const document: AgentPoolDocument = {
    sequence: previous?.sequence ?? services.store.nextSequence("agentPools"),
    location: previous?.location ?? body.location,
    tags: isObject(body.tags) ? body.tags : undefined,
    properties: pick(
      {
        count: requested.count ?? 1,
        tier: requested.tier ?? "S1",
        os: requested.os ?? "Linux",
        virtualNetworkSubnetResourceId: requested.virtualNetworkSubnetResourceId,
        provisioningState: kind,
      },
      PROPERTY_ORDER,
    ),
    systemData:
      previous === undefined
        ? createdSystemData(callerOf(request), at)
        : modifiedSystemData(previous.systemData, callerOf(request), at),
    pending,
  };
  services.store.put<AgentPoolDocument>({ id, type: AGENT_POOL_TYPE, document });

  const stored = services.store.get<AgentPoolDocument>(id) as StoredResource<AgentPoolDocument>;
  return {
    status: 201,
    body: renderPool(stored),
    headers: {
      "Azure-AsyncOperation": operationUrl(
        request,
        services,
        stored.id,
        "operationStatuses",
        pending.id,
      ),
      "Retry-After": RETRY_AFTER_SECONDS,
    },
  };
}

function updatePool(request: EmulatorRequest, services: EmulatorServices) {
  const { registry, pool } = requirePool(request, services);
  const body = requireObjectBody(request);
  const requested = isObject(body.properties) ? body.properties : {};
  checkCount(requested.count);

  const pending = startOperation(services, registry, pool.id, "Updating");
  const document: AgentPoolDocument = {
    ...pool.document,
    tags: isObject(body.tags) ? body.tags : pool.document.tags,
    properties: pick(
      {
        ...pool.document.properties,
        count: requested.count ?? pool.document.properties.count,
        provisioningState: "Updating",
      },
      PROPERTY_ORDER,
    ),
    systemData: modifiedSystemData(
      pool.document.systemData,
      callerOf(request),
      formatArmTime(services.now()),
    ),
    pending,
  };
  const updated = { ...pool, document };
  services.store.put(updated);
  return {
    status: 201,
    body: renderPool(updated),
    headers: {
      "Azure-AsyncOperation": operationUrl(
        request,
        services,
        pool.id,
        "operationStatuses",
        pending.id,
      ),
      "Retry-After": RETRY_AFTER_SECONDS,
    },
  };
}

function deletePool(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = poolName(request);
  const pool = findPool(services, registry, name);
  if (pool === undefined) {
    return { status: 204 };
  }

  const pending = startOperation(services, registry, pool.id, "Deleting");
  const document: AgentPoolDocument = {
    ...pool.document,
    properties: { ...pool.document.properties, provisioningState: "Deleting" },
    pending,
  };
  const deleting = { ...pool, document };
  services.store.put(deleting);
  return {
    status: 202,
    body: renderPool(deleting),
    headers: {
      Location: operationUrl(request, services, pool.id, "operationResults", pending.id),
      "Retry-After": RETRY_AFTER_SECONDS,
    },
  };
}

function readOperation(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const name = poolName(request);
  const operation = services.store.get<OperationDocument>(
    operationId(registry, request.params.operationId ?? ""),
  );
  if (
    operation === undefined ||
    !operation.document.poolId.toLowerCase().endsWith(`/${name.toLowerCase()}`)
  ) {
    throw entityNotFound(request.params.operationId ?? "");
  }

  findPool(services, registry, name);
  const done = services.now().getTime() >= operation.document.doneAt;
  return { registry, operation, done };
}

function listPools(request: EmulatorRequest, services: EmulatorServices) {
  const registry = findRegistry(request, services);
  const pools = services.store
    .list<AgentPoolDocument>(AGENT_POOL_TYPE, registry.id)
    .map((pool) => settle(services, pool))
    .filter((pool): pool is StoredResource<AgentPoolDocument> => pool !== undefined)
    .sort((left, right) => right.document.sequence - left.document.sequence)
    .map(renderPool);
  return { status: 200, body: page(pools, request, services) };
}

function queueStatus(request: EmulatorRequest, services: EmulatorServices) {
  const { registry, pool } = requirePool(request, services);
  const name = nameOf(pool).toLowerCase();
  const count = services.store
    .list<RunDocument>(RUN_TYPE, registry.id)
    .filter(
      (run) =>
        run.document.properties.status === "Queued" &&
        String(run.document.properties.agentPoolName ?? "").toLowerCase() === name,
    ).length;
  return { status: 200, body: { count } };
}

export function registerAgentPoolRoutes(routes: RouteTable): void {
  routes.add("GET", AGENT_POOLS, listPools);
  routes.add("PUT", AGENT_POOL, createPool);
  routes.add("GET", AGENT_POOL, (request, services) => {
    const { pool } = requirePool(request, services);
    return { status: 200, body: renderPool(pool) };
  });
  routes.add("PATCH", AGENT_POOL, updatePool);
  routes.add("DELETE", AGENT_POOL, deletePool);
  routes.add("POST", `${AGENT_POOL}/listQueueStatus`, queueStatus);

  routes.add("GET", `${AGENT_POOL}/operationStatuses/{operationId}`, (request, services) => {
    const { operation, done } = readOperation(request, services);
    return { status: 200, body: { status: done ? "Succeeded" : operation.document.kind } };
  });

  // While the pool is being deleted: 202 and the same Location. Once it is gone, Azure's ARM
  // answers 404, which makes SDK 11's delete poller fail; 204 ends both clients' polling.
  routes.add("GET", `${AGENT_POOL}/operationResults/{operationId}`, (request, services) => {
    const { operation, done } = readOperation(request, services);
    if (done) {
      return { status: operation.document.kind === "Deleting" ? 204 : 200 };
    }
    return {
      status: 202,
      body: { status: operation.document.kind },
      headers: {
        Location: `${services.armEndpoint}${request.path}?${request.query.toString()}`,
        "Retry-After": RETRY_AFTER_SECONDS,
      },
    };
  });
}
