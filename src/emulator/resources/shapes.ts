// What every Tasks resource handler shares: the registry a path names, ARM's time formats,
// systemData, the error answers the RP gives, list paging and the small JSON helpers that keep
// unset properties absent rather than null.

import { ArmError } from "../server/types.js";
import type { EmulatorRequest, EmulatorServices } from "../server/types.js";
import type { StoredResource } from "../store/types.js";

export type Json = Record<string, unknown>;

export const REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
export const TASK_TYPE = "Microsoft.ContainerRegistry/registries/tasks";
export const RUN_TYPE = "Microsoft.ContainerRegistry/registries/runs";
export const TASK_RUN_TYPE = "Microsoft.ContainerRegistry/registries/taskRuns";
export const AGENT_POOL_TYPE = "Microsoft.ContainerRegistry/registries/agentPools";

/** The registry path every Tasks operation hangs off, as a RouteTable template. */
export const REGISTRY_TEMPLATE =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/" +
  "Microsoft.ContainerRegistry/registries/{registryName}";

/** Lists answer at most this many items per page; the rest follow through `nextLink`. */
export const PAGE_SIZE = 100;

export interface RegistryRef {
  /** The registry's ARM id in the casing it was created with. */
  id: string;
  name: string;
  resourceGroupName: string;
  location: string;
  loginServer: string;
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The registry named by the path, or ARM's 404 for a tracked resource that is not there. */
export function findRegistry(request: EmulatorRequest, services: EmulatorServices): RegistryRef {
  const { subscriptionId, resourceGroupName, registryName } = request.params;
  const id =
    `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}` +
    `/providers/${REGISTRY_TYPE}/${registryName}`;
  const stored = services.store.get(id);

  if (stored === undefined) {
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The Resource '${REGISTRY_TYPE}/${registryName}' under resource group ` +
        `'${resourceGroupName}' was not found. For more details please go to ` +
        "https://aka.ms/ARMResourceNotFoundFix",
    );
  }

  return registryRefOf(stored);
}

/** The reference of a stored registry: its id, name, group, location and login server. */
export function registryRefOf(stored: { id: string; document: Json }): RegistryRef {
  const segments = stored.id.split("/");
  const name = segments[segments.length - 1] ?? "";
  const document = stored.document;
  const properties = isObject(document.properties) ? document.properties : {};
  return {
    id: stored.id,
    name,
    resourceGroupName: segments[4] ?? "",
    location: typeof document.location === "string" ? document.location : "",
    loginServer:
      typeof properties.loginServer === "string"
        ? properties.loginServer
        : `${name.toLowerCase()}.azurecr.io`,
  };
}

/**
 * The RP's own answer for a missing child resource under an existing registry (recorded for
 * agent pools; the same shape is used for tasks, runs and task runs).
 */
export function entityNotFound(name: string): ArmError {
  return new ArmError(404, "EntityNotFound", `Resource with id '${name}' is not found.`, "request");
}

export function invalidParameter(message: string, target?: string): ArmError {
  return new ArmError(400, "InvalidParameter", message, target);
}

/** The body of a PUT or PATCH, which must be a JSON object. */
export function requireObjectBody(request: EmulatorRequest): Json {
  if (!isObject(request.body)) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: a JSON object is required.",
    );
  }
  return request.body;
}

/** Checks a child resource name against the rule the Azure SDKs enforce client-side. */
export function checkName(
  kind: string,
  name: string,
  minimum: number,
  maximum: number,
  pattern: RegExp,
): void {
  if (name.length < minimum || name.length > maximum || !pattern.test(name)) {
    throw new ArmError(
      400,
      "InvalidResourceName",
      `The ${kind} name '${name}' is invalid: it must be ${minimum} to ${maximum} characters ` +
        `matching ${pattern.source}.`,
      kind,
    );
  }
}

/**
 * An instant as the Tasks RP writes it: .NET round-trip format with the fraction's trailing
 * zeros dropped and a `+00:00` offset, e.g. `2025-04-08T08:17:33.861+00:00`.
 */
export function formatArmTime(instant: Date): string {
  const iso = instant.toISOString();
  const seconds = iso.slice(0, 19);
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return `${seconds}${fraction === "" ? "" : `.${fraction}`}+00:00`;
}

/** A run's `lastUpdatedTime`: truncated to whole seconds, `+00:00` offset. */
export function formatWholeSeconds(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}+00:00`;
}

export interface Caller {
  name: string;
  type: "User" | "Application" | "ManagedIdentity";
}

/**
 * Who is calling, read from the bearer token's claims for systemData. The server has already
 * verified the token; this only reads it.
 */
export function callerOf(request: EmulatorRequest): Caller {
  const header = request.headers.authorization ?? request.headers.Authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const token = value?.replace(/^Bearer\s+/i, "") ?? "";
  const payload = token.split(".")[1];
  let claims: Json = {};

  if (payload !== undefined) {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      claims = isObject(decoded) ? decoded : {};
    } catch {
      claims = {};
    }
  }

  for (const claim of ["upn", "unique_name", "email", "preferred_username"]) {
    const value = claims[claim];
    if (typeof value === "string" && value !== "" && claims.idtyp !== "app") {
      return { name: value, type: "User" };
    }
  }
  for (const claim of ["appid", "azp", "oid", "sub"]) {
    const value = claims[claim];
    if (typeof value === "string" && value !== "") {
      return { name: value, type: "Application" };
    }
  }
  return { name: "unknown", type: "User" };
}

export interface SystemData {
  createdBy?: string;
  createdByType?: string;
  createdAt?: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
  lastModifiedAt: string;
}

export function createdSystemData(caller: Caller, at: string): SystemData {
  return {
    createdBy: caller.name,
    createdByType: caller.type,
    createdAt: at,
    lastModifiedBy: caller.name,
    lastModifiedByType: caller.type,
    lastModifiedAt: at,
  };
}

export function modifiedSystemData(
  previous: SystemData | undefined,
  caller: Caller,
  at: string,
): SystemData {
  if (previous?.createdAt === undefined) {
    return createdSystemData(caller, at);
  }
  return {
    createdBy: previous.createdBy,
    createdByType: previous.createdByType,
    createdAt: previous.createdAt,
    lastModifiedBy: caller.name,
    lastModifiedByType: caller.type,
    lastModifiedAt: at,
  };
}

/** Copies `source` keeping only the listed keys, in the listed order, and only those set. */
export function pick(source: Json, keys: readonly string[]): Json {
  const result: Json = {};
  for (const key of keys) {
    if (source[key] !== undefined) {
      result[key] = source[key];
    }
  }
  return result;
}

/** A deep copy of a JSON value. */
export function cloneJson<Value>(value: Value): Value {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as Value);
}

export function childId(registry: RegistryRef, collection: string, name: string): string {
  return `${registry.id}/${collection}/${name}`;
}

/** The last segment of a stored id: the resource's name in its original casing. */
export function nameOf(resource: StoredResource<unknown>): string {
  const segments = resource.id.split("/");
  return segments[segments.length - 1] ?? "";
}

/**
 * One page of a list answer. `nextLink` is absolute and carries `api-version` and the other
 * query parameters, because both clients follow it verbatim.
 */
export function page<Item>(
  items: Item[],
  request: EmulatorRequest,
  services: EmulatorServices,
  pageSize: number = PAGE_SIZE,
): { value: Item[]; nextLink?: string } {
  const token = request.query.get("$skipToken");
  const skip = token !== null && /^\d+$/.test(token) ? Number.parseInt(token, 10) : 0;
  const value = items.slice(skip, skip + pageSize);

  if (skip + pageSize >= items.length) {
    return { value };
  }

  const query = new URLSearchParams();
  for (const [key, parameter] of request.query) {
    if (key !== "$skipToken") {
      query.append(key, parameter);
    }
  }
  query.set("$skipToken", String(skip + pageSize));
  const encoded = query.toString().replace(/\+/g, "%20");
  return { value, nextLink: `${services.armEndpoint}${request.path}?${encoded}` };
}
