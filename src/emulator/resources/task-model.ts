// A task's properties as the Tasks RP stores and echoes them: defaults filled, keys in the order
// Azure writes them, PATCH merged the way the service merges, secrets hidden outside listDetails.

import { createHash, randomUUID } from "node:crypto";
import { cloneJson, invalidParameter, isObject, pick } from "./shapes.js";
import type { Json } from "./shapes.js";

const TASK_PROPERTY_ORDER = [
  "provisioningState",
  "creationDate",
  "status",
  "platform",
  "agentConfiguration",
  "agentPoolName",
  "timeout",
  "step",
  "trigger",
  "credentials",
  "logTemplate",
  "isSystemTask",
] as const;

/** Per step type: the type's own fields, then the base fields, as Azure echoes them. */
const STEP_ORDER: Record<string, readonly string[]> = {
  Docker: [
    "type",
    "imageNames",
    "isPushEnabled",
    "noCache",
    "dockerFilePath",
    "target",
    "arguments",
    "baseImageDependencies",
    "contextPath",
    "contextAccessToken",
  ],
  FileTask: [
    "type",
    "taskFilePath",
    "valuesFilePath",
    "values",
    "baseImageDependencies",
    "contextPath",
    "contextAccessToken",
  ],
  EncodedTask: [
    "type",
    "encodedTaskContent",
    "encodedValuesContent",
    "values",
    "baseImageDependencies",
    "contextPath",
    "contextAccessToken",
  ],
};

const REQUIRED_STEP_FIELD: Record<string, string> = {
  Docker: "dockerFilePath",
  FileTask: "taskFilePath",
  EncodedTask: "encodedTaskContent",
};

const PLATFORM_ORDER = ["os", "architecture", "variant"] as const;
const TIMER_ORDER = ["schedule", "status", "name"] as const;
const SOURCE_TRIGGER_ORDER = ["sourceRepository", "sourceTriggerEvents", "status", "name"] as const;
const SOURCE_REPOSITORY_ORDER = [
  "sourceControlType",
  "repositoryUrl",
  "branch",
  "sourceControlAuthProperties",
] as const;
const BASE_IMAGE_TRIGGER_ORDER = [
  "baseImageTriggerType",
  "updateTriggerEndpoint",
  "updateTriggerPayloadType",
  "status",
  "name",
] as const;
const CUSTOM_REGISTRY_ORDER = ["userName", "password", "identity"] as const;
const IDENTITY_TYPES = ["SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"];

export const DEFAULT_TIMEOUT = 3600;
export const DEFAULT_CPU = 2;

/** Matches a step type, a platform OS, … without regard to case; the value is echoed as sent. */
function sameWord(left: unknown, right: string): boolean {
  return typeof left === "string" && left.toLowerCase() === right.toLowerCase();
}

function stepTypeOf(step: Json): string {
  const type = step.type;
  const known = Object.keys(STEP_ORDER).find((candidate) => sameWord(type, candidate));
  if (known === undefined) {
    throw invalidParameter(
      `The step type '${String(type)}' is not supported; use Docker, FileTask or EncodedTask.`,
      "properties.step.type",
    );
  }
  return known;
}

export function orderStep(step: Json): Json {
  return pick(step, STEP_ORDER[stepTypeOf(step)] ?? Object.keys(step));
}

function orderTrigger(trigger: Json): Json {
  const result: Json = {};

  if (Array.isArray(trigger.timerTriggers)) {
    result.timerTriggers = trigger.timerTriggers.map((timer: unknown) =>
      pick(isObject(timer) ? { status: "Enabled", ...timer } : {}, TIMER_ORDER),
    );
  }
  if (Array.isArray(trigger.sourceTriggers)) {
    result.sourceTriggers = trigger.sourceTriggers.map((source: unknown) => {
      const value: Json = isObject(source) ? { status: "Enabled", ...source } : {};
      if (isObject(value.sourceRepository)) {
        value.sourceRepository = pick(value.sourceRepository, SOURCE_REPOSITORY_ORDER);
      }
      return pick(value, SOURCE_TRIGGER_ORDER);
    });
  }
  if (isObject(trigger.baseImageTrigger)) {
    result.baseImageTrigger = pick(
      { status: "Enabled", ...trigger.baseImageTrigger },
      BASE_IMAGE_TRIGGER_ORDER,
    );
  }
  return result;
}

/** Credentials as stored; `{}` as sent by az means none, and then nothing is echoed. */
function orderCredentials(credentials: Json): Json | undefined {
  const result: Json = {};

  if (isObject(credentials.sourceRegistry)) {
    result.sourceRegistry = pick(credentials.sourceRegistry, ["loginMode", "identity"]);
  }
  if (isObject(credentials.customRegistries)) {
    const entries: Json = {};
    for (const [server, entry] of Object.entries(credentials.customRegistries)) {
      if (isObject(entry)) {
        entries[server] = pick(entry, CUSTOM_REGISTRY_ORDER);
      }
    }
    result.customRegistries = entries;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function checkTimeout(value: unknown): void {
  if (value === undefined) {
    return;
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 300 || value > 28800) {
    throw invalidParameter(
      "The timeout must be a whole number of seconds between 300 and 28800.",
      "properties.timeout",
    );
  }
}

/** The properties of a task created or replaced by PUT, before the service-set fields. */
export function taskPropertiesForCreate(
  requested: Json,
  previous: Json | undefined,
  creationDate: string,
): Json {
  const isSystemTask = requested.isSystemTask === true;
  checkTimeout(requested.timeout);
  const properties: Json = {
    ...cloneJson(requested),
    provisioningState: "Succeeded",
    creationDate,
    status: requested.status ?? "Enabled",
  };

  if (!isSystemTask) {
    if (!isObject(requested.platform) || typeof requested.platform.os !== "string") {
      throw invalidParameter(
        "The task's platform (with its os) is required.",
        "properties.platform",
      );
    }
    if (!isObject(requested.step)) {
      throw invalidParameter("The task's step is required.", "properties.step");
    }
    properties.platform = pick(requested.platform, PLATFORM_ORDER);
    properties.agentConfiguration = isObject(requested.agentConfiguration)
      ? { cpu: requested.agentConfiguration.cpu ?? DEFAULT_CPU }
      : { cpu: DEFAULT_CPU };
    properties.timeout = requested.timeout ?? DEFAULT_TIMEOUT;
    properties.step = createStep(requested.step, previous);
    properties.trigger = isObject(requested.trigger) ? orderTrigger(requested.trigger) : undefined;
  } else {
    properties.timeout = requested.timeout ?? DEFAULT_TIMEOUT;
  }

  properties.credentials = isObject(requested.credentials)
    ? orderCredentials(requested.credentials)
    : undefined;
  return pick(properties, TASK_PROPERTY_ORDER);
}

function createStep(requested: Json, previous: Json | undefined): Json {
  const type = stepTypeOf(requested);
  const required = REQUIRED_STEP_FIELD[type] as string;

  if (typeof requested[required] !== "string" || requested[required] === "") {
    throw invalidParameter(`The ${type} step needs ${required}.`, `properties.step.${required}`);
  }

  const step: Json = { ...cloneJson(requested), type: requested.type };
  delete step.baseImageDependencies;
  if (type === "Docker") {
    step.isPushEnabled = requested.isPushEnabled ?? true;
    step.noCache = requested.noCache ?? false;
  }

  // The dependencies a build discovered stay known when the same kind of step is put again.
  const previousStep = isObject(previous?.step) ? previous.step : undefined;
  if (previousStep !== undefined && sameWord(previousStep.type, type)) {
    step.baseImageDependencies = previousStep.baseImageDependencies;
  }
  return orderStep(step);
}

/** Merges a named list: entries with a known name are updated field by field, others added. */
function mergeNamed(existing: unknown, update: unknown, order: readonly string[]): unknown {
  if (!Array.isArray(update)) {
    return existing;
  }

  const result: Json[] = Array.isArray(existing)
    ? existing.filter(isObject).map((entry) => ({ ...entry }))
    : [];
  for (const entry of update) {
    if (!isObject(entry)) {
      continue;
    }
    const index = result.findIndex((candidate) => sameWord(candidate.name, String(entry.name)));
    if (index >= 0) {
      result[index] = pick({ ...result[index], ...entry }, order);
    } else {
      result.push(pick({ status: "Enabled", ...entry }, order));
    }
  }
  return result;
}

function mergeTrigger(existing: Json, update: Json): Json {
  const merged: Json = { ...existing };

  if (update.timerTriggers !== undefined) {
    merged.timerTriggers = mergeNamed(existing.timerTriggers, update.timerTriggers, TIMER_ORDER);
  }
  if (update.sourceTriggers !== undefined) {
    const sources = mergeNamed(
      existing.sourceTriggers,
      update.sourceTriggers,
      SOURCE_TRIGGER_ORDER,
    ) as Json[];
    merged.sourceTriggers = sources.map((source) => {
      const updated = Array.isArray(update.sourceTriggers)
        ? update.sourceTriggers.find(
            (candidate: unknown) =>
              isObject(candidate) && sameWord(candidate.name, String(source.name)),
          )
        : undefined;
      const previous = Array.isArray(existing.sourceTriggers)
        ? existing.sourceTriggers.find(
            (candidate: unknown) =>
              isObject(candidate) && sameWord(candidate.name, String(source.name)),
          )
        : undefined;
      const repository = {
        ...(isObject(previous) && isObject(previous.sourceRepository)
          ? previous.sourceRepository
          : {}),
        ...(isObject(updated) && isObject(updated.sourceRepository)
          ? updated.sourceRepository
          : {}),
      };
      return pick(
        { ...source, sourceRepository: pick(repository, SOURCE_REPOSITORY_ORDER) },
        SOURCE_TRIGGER_ORDER,
      );
    });
  }
  if (isObject(update.baseImageTrigger)) {
    const previous = isObject(existing.baseImageTrigger) ? existing.baseImageTrigger : {};
    merged.baseImageTrigger = pick(
      { status: "Enabled", ...previous, ...update.baseImageTrigger },
      BASE_IMAGE_TRIGGER_ORDER,
    );
  }
  return pick(merged, ["timerTriggers", "sourceTriggers", "baseImageTrigger"]);
}

function mergeCredentials(existing: Json | undefined, update: Json): Json | undefined {
  const merged: Json = cloneJson(existing) ?? {};

  if (isObject(update.sourceRegistry)) {
    const previous = isObject(merged.sourceRegistry) ? merged.sourceRegistry : {};
    merged.sourceRegistry = pick({ ...previous, ...update.sourceRegistry }, [
      "loginMode",
      "identity",
    ]);
  }
  if (isObject(update.customRegistries)) {
    const entries: Json = isObject(merged.customRegistries) ? merged.customRegistries : {};
    for (const [server, entry] of Object.entries(update.customRegistries)) {
      // A JSON null removes the entry; the emptied map stays, as Azure shows it.
      if (entry === null) {
        delete entries[server];
      } else if (isObject(entry)) {
        entries[server] = pick(entry, CUSTOM_REGISTRY_ORDER);
      }
    }
    merged.customRegistries = entries;
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** Applies a PATCH's `properties` to the stored ones. */
export function mergeTaskProperties(existing: Json, update: Json): Json {
  const merged: Json = cloneJson(existing);
  checkTimeout(update.timeout);

  for (const key of ["status", "agentPoolName", "timeout", "logTemplate"]) {
    if (update[key] !== undefined && update[key] !== null) {
      merged[key] = update[key];
    }
  }
  if (isObject(update.platform)) {
    const previous = isObject(merged.platform) ? merged.platform : {};
    merged.platform = pick({ ...previous, ...dropNulls(update.platform) }, PLATFORM_ORDER);
  }
  if (isObject(update.agentConfiguration)) {
    const previous = isObject(merged.agentConfiguration) ? merged.agentConfiguration : {};
    merged.agentConfiguration = { ...previous, ...dropNulls(update.agentConfiguration) };
  }
  if (isObject(update.step)) {
    merged.step = mergeStep(isObject(merged.step) ? merged.step : undefined, update.step);
  }
  if (isObject(update.trigger)) {
    merged.trigger = mergeTrigger(isObject(merged.trigger) ? merged.trigger : {}, update.trigger);
  }
  if (isObject(update.credentials)) {
    merged.credentials = mergeCredentials(
      isObject(merged.credentials) ? merged.credentials : undefined,
      update.credentials,
    );
  }
  return pick(merged, TASK_PROPERTY_ORDER);
}

function mergeStep(existing: Json | undefined, update: Json): Json {
  if (existing === undefined) {
    return createStep(update, undefined);
  }
  if (update.type !== undefined && stepTypeOf(update) !== stepTypeOf(existing)) {
    throw invalidParameter(
      `The step type cannot change from '${String(existing.type)}' to '${String(update.type)}'.`,
      "properties.step.type",
    );
  }
  const merged: Json = { ...existing, ...dropNulls(update), type: existing.type };
  delete merged.baseImageDependencies;
  merged.baseImageDependencies = existing.baseImageDependencies;
  return orderStep(merged);
}

function dropNulls(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null));
}

/** What GET, list, PUT and PATCH show: no secret is ever part of it. */
export function maskTaskProperties(properties: Json): Json {
  const masked = cloneJson(properties);

  if (isObject(masked.step)) {
    delete masked.step.contextAccessToken;
    for (const list of ["arguments", "values"]) {
      const entries = masked.step[list];
      if (Array.isArray(entries)) {
        masked.step[list] = entries.filter((entry) => !isObject(entry) || entry.isSecret !== true);
      }
    }
  }
  if (isObject(masked.trigger)) {
    const sources = masked.trigger.sourceTriggers;
    if (Array.isArray(sources)) {
      for (const source of sources) {
        if (isObject(source) && isObject(source.sourceRepository)) {
          delete source.sourceRepository.sourceControlAuthProperties;
        }
      }
    }
    const baseImage = masked.trigger.baseImageTrigger;
    if (isObject(baseImage) && baseImage.updateTriggerEndpoint !== undefined) {
      baseImage.updateTriggerEndpoint = null;
    }
  }
  if (isObject(masked.credentials) && isObject(masked.credentials.customRegistries)) {
    for (const server of Object.keys(masked.credentials.customRegistries)) {
      masked.credentials.customRegistries[server] = null;
    }
  }
  return masked;
}

/** A stable id for a user-assigned identity: the same resource id always gives the same one. */
function derivedGuid(seed: string): string {
  const hex = createHash("sha256").update(seed.toLowerCase()).digest("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join("-");
}

/**
 * A managed identity as the service fills it: principal and tenant for the system-assigned one,
 * principal and client ids for each user-assigned one. `previous` keeps ids stable over updates;
 * `merge` applies PATCH semantics to the user-assigned map (a null value removes an entry).
 */
export function resolveIdentity(
  requested: unknown,
  previous: Json | undefined,
  tenantId: string,
  merge: boolean,
): Json | undefined {
  if (requested === undefined || requested === null) {
    return merge ? previous : undefined;
  }
  if (!isObject(requested)) {
    throw invalidParameter("The identity must be an object.", "identity");
  }

  const requestedType = requested.type ?? previous?.type;
  const type = IDENTITY_TYPES.find((candidate) => sameWord(requestedType, candidate));
  if (type === undefined) {
    throw invalidParameter(
      `The identity type '${String(requestedType)}' is not one of ${IDENTITY_TYPES.join(", ")}.`,
      "identity.type",
    );
  }
  if (type === "None") {
    return undefined;
  }

  const identity: Json = {};
  if (type.includes("SystemAssigned")) {
    identity.principalId =
      typeof previous?.principalId === "string" ? previous.principalId : randomUUID();
    identity.tenantId = tenantId;
  }
  identity.type = type;

  if (type.includes("UserAssigned")) {
    const known: Json =
      merge && isObject(previous?.userAssignedIdentities) ? previous.userAssignedIdentities : {};
    const wanted = isObject(requested.userAssignedIdentities)
      ? requested.userAssignedIdentities
      : {};
    const result: Json = { ...known };
    for (const [resourceId, value] of Object.entries(wanted)) {
      if (value === null) {
        delete result[resourceId];
      } else {
        result[resourceId] = {
          principalId: derivedGuid(`principal:${resourceId}`),
          clientId: derivedGuid(`client:${resourceId}`),
        };
      }
    }
    identity.userAssignedIdentities = result;
  }
  return identity;
}
