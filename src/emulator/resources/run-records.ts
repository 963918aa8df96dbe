// Runs as the emulator keeps them: created Queued by scheduleRun (or a task run), moved on by the
// runner through `progressRun`, shown in the Run shape Azure sends. The run document also keeps
// what the runner needs: the request as sent (secrets included) and, for a task's run, the
// task's properties when it was scheduled.

import { EventEmitter } from "node:events";
import type { ResourceStore, StoredResource } from "../store/types.js";
import {
  RUN_TYPE,
  cloneJson,
  formatArmTime,
  formatWholeSeconds,
  invalidParameter,
  isObject,
  pick,
} from "./shapes.js";
import type { Caller, Json, RegistryRef, SystemData } from "./shapes.js";
import { DEFAULT_CPU, DEFAULT_TIMEOUT } from "./task-model.js";

/** A run as kept in the store. */
export interface RunDocument {
  /** Scheduling order across the emulator: lists show the newest first. */
  sequence: number;
  properties: Json;
  systemData: Partial<SystemData>;
  /** The RunRequest as received, secrets included. */
  request: Json;
  /** For a TaskRunRequest: the task's id and its full properties at scheduling time. */
  task?: { id: string; name: string; properties: Json };
  /** How long the run may take, in seconds. */
  timeout: number;
  /** For a run a commit triggered: the commit to build instead of the context's ref. */
  sourceRevision?: { commit: string; branch: string };
}

export const TERMINAL_STATUSES = ["Succeeded", "Failed", "Canceled", "Error", "Timeout"] as const;
export type RunStatus = "Queued" | "Started" | "Running" | (typeof TERMINAL_STATUSES)[number];

const RUN_PROPERTY_ORDER = [
  "runId",
  "status",
  "lastUpdatedTime",
  "runType",
  "agentPoolName",
  "createTime",
  "startTime",
  "finishTime",
  "outputImages",
  "task",
  "imageUpdateTrigger",
  "sourceTrigger",
  "timerTrigger",
  "platform",
  "agentConfiguration",
  "sourceRegistryAuth",
  "customRegistries",
  "runErrorMessage",
  "updateTriggerToken",
  "logArtifact",
  "provisioningState",
  "isArchiveEnabled",
] as const;

const BASE_REQUEST_FIELDS = ["isArchiveEnabled", "agentPoolName", "logTemplate"];

/** The fields of each RunRequest variant, in the order Azure echoes them. */
const REQUEST_ORDER: Record<string, readonly string[]> = {
  DockerBuildRequest: [
    "type",
    "imageNames",
    "isPushEnabled",
    "noCache",
    "dockerFilePath",
    "target",
    "arguments",
    "timeout",
    "platform",
    "agentConfiguration",
    "sourceLocation",
    "credentials",
    ...BASE_REQUEST_FIELDS,
  ],
  FileTaskRunRequest: [
    "type",
    "taskFilePath",
    "valuesFilePath",
    "values",
    "timeout",
    "platform",
    "agentConfiguration",
    "sourceLocation",
    "credentials",
    ...BASE_REQUEST_FIELDS,
  ],
  EncodedTaskRunRequest: [
    "type",
    "encodedTaskContent",
    "encodedValuesContent",
    "values",
    "timeout",
    "platform",
    "agentConfiguration",
    "sourceLocation",
    "credentials",
    ...BASE_REQUEST_FIELDS,
  ],
  TaskRunRequest: ["type", "taskId", "overrideTaskStepProperties", ...BASE_REQUEST_FIELDS],
};

const REQUIRED_REQUEST_FIELD: Record<string, string> = {
  DockerBuildRequest: "dockerFilePath",
  FileTaskRunRequest: "taskFilePath",
  EncodedTaskRunRequest: "encodedTaskContent",
  TaskRunRequest: "taskId",
};

/** The emulator's region prefix for run ids; Azure's westus registries use `cf`. */
export const RUN_ID_PREFIX = "ca";

export interface RunEvent {
  store: ResourceStore;
  /** The run's ARM id. */
  runId: string;
  registry: RegistryRef;
}

/**
 * Tells the runner what happened to runs: `scheduled` when a run is queued and `canceled` when a
 * client cancels one. Listeners run synchronously; they should hand work off.
 */
export const runEvents = new EventEmitter<{ scheduled: [RunEvent]; canceled: [RunEvent] }>();

export function isTerminal(status: unknown): boolean {
  return TERMINAL_STATUSES.some((terminal) => terminal === status);
}

/** The variant a RunRequest names, matched without regard to case. */
export function requestTypeOf(request: Json): string {
  const type = Object.keys(REQUEST_ORDER).find(
    (candidate) =>
      typeof request.type === "string" && request.type.toLowerCase() === candidate.toLowerCase(),
  );
  if (type === undefined) {
    throw invalidParameter(
      `The run request type '${String(request.type)}' is not supported; use DockerBuildRequest, ` +
        "FileTaskRunRequest, EncodedTaskRunRequest or TaskRunRequest.",
      "type",
    );
  }
  return type;
}

/** Checks a RunRequest's required fields before anything is queued. */
export function checkRunRequest(request: Json): string {
  const type = requestTypeOf(request);
  const required = REQUIRED_REQUEST_FIELD[type] as string;

  if (typeof request[required] !== "string" || request[required] === "") {
    throw invalidParameter(`A ${type} needs ${required}.`, required);
  }
  if (type !== "TaskRunRequest" && !isObject(request.platform)) {
    throw invalidParameter(`A ${type} needs platform.`, "platform");
  }
  const timeout = request.timeout;
  if (
    timeout !== undefined &&
    (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 300 || timeout > 28800)
  ) {
    throw invalidParameter("The timeout must be between 300 and 28800 seconds.", "timeout");
  }
  return type;
}

function dropSecretEntries(list: unknown): unknown {
  return Array.isArray(list)
    ? list.filter((entry) => !isObject(entry) || entry.isSecret !== true)
    : list;
}

/**
 * A RunRequest as a task run echoes it: service defaults filled, unknown fields and empty
 * credentials dropped, secrets hidden unless `withSecrets`.
 */
export function echoRunRequest(request: Json, withSecrets: boolean): Json {
  const type = requestTypeOf(request);
  const echoed: Json = { ...cloneJson(request), type };

  if (type === "DockerBuildRequest") {
    echoed.isPushEnabled = request.isPushEnabled ?? true;
    echoed.noCache = request.noCache ?? false;
  }
  if (isObject(echoed.credentials) && Object.keys(echoed.credentials).length === 0) {
    delete echoed.credentials;
  }

  if (!withSecrets) {
    echoed.arguments = dropSecretEntries(echoed.arguments);
    echoed.values = dropSecretEntries(echoed.values);
    if (isObject(echoed.overrideTaskStepProperties)) {
      const overrides = echoed.overrideTaskStepProperties;
      overrides.arguments = dropSecretEntries(overrides.arguments);
      overrides.values = dropSecretEntries(overrides.values);
      delete overrides.updateTriggerToken;
    }
    if (isObject(echoed.credentials) && isObject(echoed.credentials.customRegistries)) {
      for (const server of Object.keys(echoed.credentials.customRegistries)) {
        echoed.credentials.customRegistries[server] = null;
      }
    }
    delete echoed.encodedValuesContent;
  }
  return pick(echoed, REQUEST_ORDER[type] ?? []);
}

/** Azure's short run ids: a region prefix and a per-registry counter in base 36. */
export function nextRunId(store: ResourceStore, registry: RegistryRef): string {
  const counter = store.nextSequence(`runs:${registry.id.toLowerCase()}`);
  return `${RUN_ID_PREFIX}${counter.toString(36)}`;
}

export interface NewRun {
  registry: RegistryRef;
  request: Json;
  caller: Caller;
  now: Date;
  /** The task a TaskRunRequest runs, with its properties (secrets included). */
  task?: { id: string; name: string; properties: Json };
  /** What started a triggered run: shown on the run and read by the agent. */
  trigger?: {
    runType: string;
    sourceTrigger?: Json;
    timerTrigger?: Json;
    imageUpdateTrigger?: Json;
    sourceRevision?: { commit: string; branch: string };
  };
}

/** Queues a run and tells the runner; returns the stored run. */
export function queueRun(store: ResourceStore, run: NewRun): StoredResource<RunDocument> {
  const { registry, request, task, now } = run;
  const runId = nextRunId(store, registry);
  const taskProperties = task?.properties;

  const platform = isObject(request.platform)
    ? request.platform
    : isObject(taskProperties?.platform)
      ? taskProperties.platform
      : { os: "linux", architecture: "amd64" };
  const agentConfiguration = isObject(request.agentConfiguration)
    ? request.agentConfiguration
    : isObject(taskProperties?.agentConfiguration)
      ? taskProperties.agentConfiguration
      : { cpu: DEFAULT_CPU };
  const timeout =
    typeof request.timeout === "number"
      ? request.timeout
      : typeof taskProperties?.timeout === "number"
        ? taskProperties.timeout
        : DEFAULT_TIMEOUT;

  const properties: Json = {
    runId,
    status: "Queued",
    lastUpdatedTime: formatWholeSeconds(now),
    runType: run.trigger?.runType ?? "QuickRun",
    agentPoolName: request.agentPoolName ?? taskProperties?.agentPoolName,
    createTime: formatArmTime(now),
    task: task?.name,
    imageUpdateTrigger: run.trigger?.imageUpdateTrigger,
    sourceTrigger: run.trigger?.sourceTrigger,
    timerTrigger: run.trigger?.timerTrigger,
    platform: pick(platform, ["os", "architecture", "variant"]),
    agentConfiguration: { cpu: agentConfiguration.cpu ?? DEFAULT_CPU },
    provisioningState: "Succeeded",
    isArchiveEnabled: request.isArchiveEnabled === true,
  };

  // A scheduled run carries only the last-modified half of systemData (recorded 2025/2026).
  const document: RunDocument = {
    sequence: store.nextSequence("runs"),
    properties: pick(properties, RUN_PROPERTY_ORDER),
    systemData: {
      lastModifiedBy: run.caller.name,
      lastModifiedByType: run.caller.type,
      lastModifiedAt: formatArmTime(now),
    },
    request: cloneJson(request),
    task,
    timeout,
    ...(run.trigger?.sourceRevision ? { sourceRevision: run.trigger.sourceRevision } : {}),
  };

  const id = `${registry.id}/runs/${runId}`;
  store.put<RunDocument>({ id, type: RUN_TYPE, document });
  const stored = store.get<RunDocument>(id) as StoredResource<RunDocument>;
  runEvents.emit("scheduled", { store, runId: id, registry });
  return stored;
}

/** The Run resource: `type, properties, id, name, systemData`. */
export function renderRun(stored: StoredResource<RunDocument>, withSystemData = true): Json {
  const properties = pick(stored.document.properties, RUN_PROPERTY_ORDER);
  const resource: Json = {
    type: RUN_TYPE,
    properties,
    id: stored.id,
    name: properties.runId,
  };
  if (withSystemData) {
    resource.systemData = pick(stored.document.systemData, [
      "createdBy",
      "createdByType",
      "createdAt",
      "lastModifiedBy",
      "lastModifiedByType",
      "lastModifiedAt",
    ]);
  }
  return resource;
}

/** scheduleRun's answer: the queued run with only its first few properties. */
export function renderScheduledRun(stored: StoredResource<RunDocument>): Json {
  const rendered = renderRun(stored);
  rendered.properties = pick(stored.document.properties, [
    "runId",
    "status",
    "lastUpdatedTime",
    "provisioningState",
    "isArchiveEnabled",
  ]);
  return rendered;
}

/** What a runner reports about a run. */
export interface RunProgress {
  status: RunStatus;
  outputImages?: Json[];
  runErrorMessage?: string;
  /** Base images the build used; also kept on the task's Docker step. */
  baseImageDependencies?: Json[];
  logArtifact?: Json;
}

/**
 * Moves a run on (for the runner): `Running` sets `startTime`, a terminal status `finishTime`;
 * a run that has already ended does not change (a cancel wins over a late result). Returns the
 * stored run, or undefined when there is no such run.
 */
export function progressRun(
  store: ResourceStore,
  runId: string,
  progress: RunProgress,
  now: Date,
): StoredResource<RunDocument> | undefined {
  return store.transaction(() => {
    const stored = store.get<RunDocument>(runId);
    if (stored === undefined || isTerminal(stored.document.properties.status)) {
      return stored;
    }

    const properties: Json = { ...stored.document.properties, status: progress.status };
    properties.lastUpdatedTime = formatWholeSeconds(now);
    if (progress.status !== "Queued" && properties.startTime === undefined) {
      properties.startTime = formatArmTime(now);
    }
    if (isTerminal(progress.status)) {
      properties.finishTime = formatArmTime(now);
    }
    for (const key of ["outputImages", "runErrorMessage", "logArtifact"] as const) {
      if (progress[key] !== undefined) {
        properties[key] = progress[key];
      }
    }

    const updated: StoredResource<RunDocument> = {
      ...stored,
      document: { ...stored.document, properties: pick(properties, RUN_PROPERTY_ORDER) },
    };
    store.put(updated);
    if (progress.baseImageDependencies !== undefined && stored.document.task !== undefined) {
      recordBaseImages(store, stored.document.task.id, progress.baseImageDependencies);
    }
    return updated;
  });
}

function recordBaseImages(store: ResourceStore, taskId: string, dependencies: Json[]): void {
  const task = store.get<{ properties: Json }>(taskId);
  if (task === undefined || !isObject(task.document.properties.step)) {
    return;
  }
  task.document.properties.step.baseImageDependencies = dependencies;
  store.put(task);
}
