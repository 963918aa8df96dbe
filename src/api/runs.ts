// `az acr task run | list-runs | show-run | update-run | cancel-run | logs`, `az acr run` and
// `az acr build` as functions: az 2.45's checks in az's order, az's requests, az's results, and
// the run log handed to the caller's sink (or read as an async iterator) while it is written.

import { randomUUID } from "node:crypto";

import type { TokenCredential } from "@azure/core-auth";

import type { Logger, TextSink } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { API_VERSIONS, resourcePath, type ArmRequest } from "../azure/arm.js";
import { injectResourceGroup, toAzJson } from "../azure/az-json.js";
import {
  MANAGED_REGISTRY_MESSAGES,
  resolveRegistry,
  stripLoginServerSuffix,
  type ResolvedRegistry,
} from "../azure/registry.js";
import type {
  BlobConnectionOptions,
  BlobTransport,
  Clock,
  PollingTuning,
  StreamOutcome,
} from "../logs/index.js";
import { isObject, type Json, type RegistryOptions } from "./common.js";
import { sessionOf, type AcrSession, type AcrTarget } from "./session.js";
import {
  checkRemoteSourceLocation,
  localPathKind,
  packAndUpload,
  prepareSourceLocation,
  pythonBasename,
  pythonJoin,
} from "./source-upload.js";
import {
  DEFAULT_TASK_FILE,
  encodedTaskContent,
  parseNameValues,
  parsePlatform,
  registryCredentials,
  yamlTemplate,
  type NameValue,
} from "./task-inputs.js";

/** The statuses `--run-status` accepts, in az's order. */
export const RUN_STATUSES = [
  "Queued",
  "Started",
  "Running",
  "Succeeded",
  "Failed",
  "Canceled",
  "Error",
  "Timeout",
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** az's seconds without new log text before it stops following a log it has no timeout for. */
export const DEFAULT_LOG_TIMEOUT_SECONDS = 3600;

/** az lists this many runs when `--top` is not given. */
export const DEFAULT_TOP = 15;

/**
 * A run as az prints it (contract F2): every key present, `null` when the service left it out,
 * plus `resourceGroup` and any unknown keys the service sent.
 */
export interface AzRun {
  id: string | null;
  name: string | null;
  type: string | null;
  systemData: Record<string, unknown> | null;
  runId: string | null;
  status: string | null;
  lastUpdatedTime: string | null;
  runType: string | null;
  agentPoolName: string | null;
  createTime: string | null;
  startTime: string | null;
  finishTime: string | null;
  outputImages: Record<string, unknown>[] | null;
  task: string | null;
  imageUpdateTrigger: Record<string, unknown> | null;
  sourceTrigger: Record<string, unknown> | null;
  timerTrigger: Record<string, unknown> | null;
  platform: Record<string, unknown> | null;
  agentConfiguration: Record<string, unknown> | null;
  sourceRegistryAuth: string | null;
  customRegistries: string[] | null;
  runErrorMessage: string | null;
  updateTriggerToken: string | null;
  logArtifact: Record<string, unknown> | null;
  provisioningState: string | null;
  isArchiveEnabled: boolean | null;
  resourceGroup?: string;
  [key: string]: unknown;
}

/** Receives what az logs: its `WARNING:` and `INFO:` lines (without the prefix), and debug. */
export type OperationLogger = Pick<Logger, "warning" | "info" | "debug">;

/** How a run's log is followed and where its text goes. */
export interface RunLogOptions {
  /**
   * Where the log text goes, as it is written (the command passes stdout). Its `isTTY` decides
   * whether ANSI sequences are stripped, as az's colorama does. Default: process.stdout.
   */
  output?: TextSink;
  /** `--no-format`: keep ANSI sequences even when the output is not a terminal. */
  noFormat?: boolean;
  /** Aborting stops following the log; what was held back is printed first. */
  signal?: AbortSignal;
  clock?: Clock;
  /** Replaces HTTP access to the log blob (tests, emulators). */
  transport?: BlobTransport;
  /**
   * The proxy and CA the log blob is reached with, asked for only when a blob is read (the
   * command passes the active cloud's).
   */
  blobConnection?: (blobUrl: string) => Promise<BlobConnectionOptions>;
  polling?: Partial<PollingTuning>;
  /** Waits between reads of a run for `--no-logs`, in seconds (the last one repeats). */
  runPollingIntervalsSeconds?: readonly number[];
}

export interface OperationOptions {
  logger?: OperationLogger;
}

export interface RunOptions extends RegistryOptions, OperationOptions {
  /** `--run-id`. */
  runId: string;
}

export interface ListRunsOptions extends RegistryOptions, OperationOptions {
  /** `--name/-n`: only the runs of this task. */
  name?: string;
  /** `--run-status`, matched without regard to case as az's parser does. */
  runStatus?: string;
  /** `--image/-t`: `repo@digest`, `repo:tag` or `repo` (tag `latest`). */
  image?: string;
  /** `--top`: az takes it as text and converts it with Python's `int()`. Default 15. */
  top?: string | number;
}

export interface UpdateRunOptions extends RunOptions {
  /** `--no-archive`: true sends `isArchiveEnabled: false`, false sends true, absent sends `{}`. */
  noArchive?: boolean;
}

export interface TaskLogsOptions extends RegistryOptions, OperationOptions, RunLogOptions {
  /** `--run-id`; without it, the last run (of the task `name`, or with the output `image`). */
  runId?: string;
  name?: string;
  image?: string;
}

export interface RunTaskOptions extends RegistryOptions, OperationOptions, RunLogOptions {
  /** `--name/-n`: the task. */
  name: string;
  /** `--set NAME[=VALUE]`, repeatable. */
  set?: string[];
  setSecret?: string[];
  /** `--arg NAME[=VALUE]`, repeatable; without a value, the environment variable NAME. */
  arg?: string[];
  secretArg?: string[];
  /** `--file/-f`: the task file or Dockerfile, relative to the context. */
  file?: string;
  /** `--context/-c`: a local directory (packed and uploaded), a remote URL, or `/dev/null`. */
  contextPath?: string;
  target?: string;
  /** `--update-trigger-token`: sent base64-encoded. */
  updateTriggerToken?: string;
  agentPool?: string;
  logTemplate?: string;
  /** Return once the run is queued. */
  noWait?: boolean;
  /** Wait for the run to finish without reading its log, then return it. */
  noLogs?: boolean;
}

/**
 * What `task run` ended with: `queued` (`--no-wait`: az prints nothing), `finished`
 * (`--no-logs`: az prints the run) or `streamed` (the log went to the output; az prints
 * nothing else).
 */
export type RunTaskResult =
  | { mode: "queued"; runId: string; run: AzRun }
  | { mode: "finished"; runId: string; run: AzRun }
  | { mode: "streamed"; runId: string; run: AzRun; log: StreamOutcome };

/** Drops everything: the default when the caller passes no logger. */
export const silentLogger: OperationLogger = {
  warning: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

const processStdout: TextSink = {
  write: (text) => {
    process.stdout.write(text);
  },
  get isTTY() {
    return Boolean(process.stdout.isTTY);
  },
};

/** az's dict for a run read from the service, with the `resourceGroup` az adds to every result. */
export function azRun(wire: unknown): AzRun {
  return injectResourceGroup(toAzJson("Run", wire)) as AzRun;
}

/** `--run-status` as az's parser accepts it: any case, given back in the service's spelling. */
export function canonicalRunStatus(value: string): RunStatus {
  const status = RUN_STATUSES.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (status === undefined) {
    throw new CliError(
      `'${value}' is not a valid value for '--run-status'. Allowed values: ` +
        `${RUN_STATUSES.join(", ")}.`,
      2,
    );
  }
  return status;
}

/**
 * `--top` converted as Python's `int()` converts text: surrounding whitespace, a sign and `_`
 * between digits are allowed. az 2.45 crashes with a traceback on anything else (after the
 * registry lookup); here it is a usage error before any request.
 */
export function parseTop(value: string | number | undefined): number {
  if (value === undefined) {
    return DEFAULT_TOP;
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      throw new CliError(`argument --top: invalid int value: '${value}'`, 2);
    }
    return value;
  }
  const text = value.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) {
    throw new CliError(`argument --top: invalid int value: '${value}'`, 2);
  }
  return Number.parseInt(text.replace(/_/g, ""), 10);
}

/** az's `$filter` for a run listing: the given conditions joined by ` and `, values unescaped. */
export function runFilter(conditions: {
  taskName?: string;
  status?: string;
  outputImageManifest?: string;
}): string | undefined {
  const parts: string[] = [];
  if (conditions.taskName) {
    parts.push(`TaskName eq '${conditions.taskName}'`);
  }
  if (conditions.status) {
    parts.push(`Status eq '${conditions.status}'`);
  }
  if (conditions.outputImageManifest) {
    parts.push(`contains(OutputImageManifests, '${conditions.outputImageManifest}')`);
  }
  return parts.length > 0 ? parts.join(" and ") : undefined;
}

/** `repo@digest`, `repo:tag` or `repo` (tag `latest`), split as az splits an image name. */
export function parseImageName(
  image: string,
):
  { repository: string; tag: string; digest?: undefined } | { repository: string; digest: string } {
  if (image.includes("@")) {
    const parts = image.split("@");
    if (parts.length === 2) {
      return { repository: parts[0], digest: parts[1] };
    }
  }
  if (image.includes(":") && !image.includes("@")) {
    const parts = image.split(":");
    if (parts.length === 2) {
      return { repository: parts[0], tag: parts[1] };
    }
  }
  if (!image.includes(":") && !image.includes("@")) {
    return { repository: image, tag: "latest" };
  }
  throw new CliError(
    "The name of the image to delete may include a tag in the format 'name:tag' or " +
      "digest in the format 'name@digest'.",
  );
}

/** Registry resolution with the SKU check and the message of the command group. */
export async function lookUpManagedRegistry(
  session: AcrSession,
  options: RegistryOptions,
  managedRegistryMessage: string = MANAGED_REGISTRY_MESSAGES.task,
): Promise<ResolvedRegistry> {
  return resolveRegistry(session.arm, {
    registryName: registryNameOf(session, options),
    resourceGroup: options.resourceGroup,
    subscriptionName: session.subscriptionName,
    managedRegistryMessage,
  });
}

function registryNameOf(session: AcrSession, options: RegistryOptions): string {
  return stripLoginServerSuffix(options.registry, session.loginServerSuffix).registryName;
}

/** A request below the registry, e.g. `runs/{runId}`; `segments` are encoded as az encodes. */
function registryRequest(
  registry: ResolvedRegistry,
  method: ArmRequest["method"],
  segments: string[],
  extra: Pick<ArmRequest, "body"> & { query?: ArmRequest["query"] } = {},
): ArmRequest {
  const path = segments.map((segment) => resourcePath`/${segment}`).join("");
  return {
    method,
    path: `${registry.path}${path}`,
    query: [["api-version", API_VERSIONS.tasks], ...(extra.query ?? [])],
    body: extra.body,
  };
}

function runIdOf(run: Json): string | undefined {
  const properties = isObject(run.properties) ? run.properties : {};
  return typeof properties.runId === "string" ? properties.runId : undefined;
}

async function getRunWire(
  session: AcrSession,
  registry: ResolvedRegistry,
  runId: string,
): Promise<Json> {
  const response = await session.arm.send(registryRequest(registry, "GET", ["runs", runId]), [200]);
  return isObject(response.json) ? response.json : {};
}

/** Finds the digest of `repository:tag` in the registry's data plane (`--image name:tag`). */
export type ImageDigestLookup = (image: {
  registryName: string;
  repository: string;
  tag: string;
}) => Promise<string>;

/** What `--image name:tag` needs besides ARM: a way to find the tag's digest. */
export interface ImageOptions {
  /** Replaces the data-plane lookup (tests, emulators). */
  lookUpDigest?: ImageDigestLookup;
  /**
   * The identity whose ARM token is exchanged for a registry token, as az does. Default: the
   * connection's credential, when the target is a connection.
   */
  dataPlane?: DataPlaneAccess;
}

function digestLookupFor(
  session: AcrSession,
  target: AcrTarget,
  options: ImageOptions & OperationOptions,
): ImageDigestLookup | undefined {
  if (options.lookUpDigest) {
    return options.lookUpDigest;
  }
  const access =
    options.dataPlane ??
    ("credential" in target
      ? {
          credential: target.credential,
          scopes: target.credentialScopes ?? `${target.endpoint.replace(/\/+$/, "")}/.default`,
        }
      : undefined);
  return access && createImageDigestLookup(session, access, options.logger ?? silentLogger);
}

async function listRunsWire(
  session: AcrSession,
  options: ListRunsOptions,
  lookUpDigest: ImageDigestLookup | undefined,
): Promise<Json[]> {
  const top = parseTop(options.top);
  const status = options.runStatus ? canonicalRunStatus(options.runStatus) : undefined;
  const registry = await lookUpManagedRegistry(session, options);

  let outputImageManifest: string | undefined;
  if (options.image) {
    outputImageManifest = await manifestOf(registry, options.image, lookUpDigest);
  }

  const filter = runFilter({ taskName: options.name, status, outputImageManifest });
  const request = registryRequest(registry, "GET", ["runs"], {
    query: [...(filter === undefined ? [] : [["$filter", filter] as const]), ["$top", String(top)]],
  });
  const runs = await session.arm.listAll(request, "tasks");
  return runs.map((run) => (isObject(run) ? run : {}));
}

async function manifestOf(
  registry: ResolvedRegistry,
  image: string,
  lookUpDigest: ImageDigestLookup | undefined,
): Promise<string> {
  try {
    const parsed = parseImageName(image);
    if (parsed.digest !== undefined) {
      return `${parsed.repository}@${parsed.digest}`;
    }
    if (lookUpDigest === undefined) {
      throw new CliError(
        `Looking up the digest of tag '${parsed.tag}' needs access to the registry's ` +
          `data plane; pass the image as 'name@digest'.`,
      );
    }
    const digest = await lookUpDigest({
      registryName: registry.registryName,
      repository: parsed.repository,
      tag: parsed.tag,
    });
    return `${parsed.repository}@${digest}`;
  } catch (error) {
    if (error instanceof CliError) {
      throw new CliError(`Could not find image '${image}'. ${error.message}`);
    }
    throw error;
  }
}

/** `az acr task list-runs`: the runs, newest first as the service sends them. */
export async function listRuns(
  target: AcrTarget,
  options: ListRunsOptions & ImageOptions,
): Promise<AzRun[]> {
  const session = await sessionOf(target);
  const runs = await listRunsWire(session, options, digestLookupFor(session, target, options));
  return runs.map((run) => azRun(run));
}

/** `az acr task show-run`. */
export async function showRun(target: AcrTarget, options: RunOptions): Promise<AzRun> {
  const session = await sessionOf(target);
  const registry = await lookUpManagedRegistry(session, options);
  return azRun(await getRunWire(session, registry, options.runId));
}

/** `az acr task update-run`: only the archive flag can change. */
export async function updateRun(
  target: AcrTarget,
  options: UpdateRunOptions,
): Promise<AzRun | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpManagedRegistry(session, options);

  const body = options.noArchive === undefined ? {} : { isArchiveEnabled: !options.noArchive };
  const response = await session.arm.longRunning(
    registryRequest(registry, "PATCH", ["runs", options.runId], { body }),
    { accepted: [200, 201] },
  );
  return response === undefined ? undefined : azRun(response.json);
}

/** `az acr task cancel-run`: waits for the cancellation to be accepted; no result. */
export async function cancelRun(target: AcrTarget, options: RunOptions): Promise<void> {
  const session = await sessionOf(target);
  const registry = await lookUpManagedRegistry(session, options);

  await session.arm.longRunning(
    registryRequest(registry, "POST", ["runs", options.runId, "cancel"]),
    { accepted: [200, 202] },
  );
}

interface FollowOptions extends RunLogOptions {
  runId: string;
  timeoutSeconds: number;
  /** A failed, timed-out or cancelled run is an error (task run, acr run, acr build). */
  failOnRunFailure: boolean;
  logger: OperationLogger;
}

/**
 * Prints a run's log as az's `stream_logs` does: asks for the log's location, then follows the
 * blob (or reads the log artifact) into the output until the run's log is complete.
 */
export async function followRunLog(
  session: AcrSession,
  registry: ResolvedRegistry,
  options: FollowOptions,
): Promise<StreamOutcome> {
  const { streamRunLogs } = await import("../logs/index.js");
  const response = await session.arm.send(
    registryRequest(registry, "POST", ["runs", options.runId, "listLogSasUrl"]),
    [200],
  );
  const links = isObject(response.json) ? response.json : {};

  return streamRunLogs(
    {
      logLink: typeof links.logLink === "string" ? links.logLink : undefined,
      logArtifactLink:
        typeof links.logArtifactLink === "string" ? links.logArtifactLink : undefined,
    },
    {
      runId: options.runId,
      output: options.output ?? processStdout,
      noFormat: options.noFormat ?? false,
      timeoutSeconds: options.timeoutSeconds,
      failOnRunFailure: options.failOnRunFailure,
      logger: options.logger,
      getRunStatus: async () => {
        const run = await getRunWire(session, registry, options.runId);
        const status = isObject(run.properties) ? run.properties.status : undefined;
        return typeof status === "string" ? status : undefined;
      },
      clock: options.clock,
      signal: options.signal,
      transport: options.transport,
      connection:
        typeof links.logLink === "string" && !links.logArtifactLink && !options.transport
          ? await options.blobConnection?.(links.logLink)
          : undefined,
      polling: options.polling,
    },
  );
}

/** `--arg`/`--secret-arg` and `--set`/`--set-secret` as az sends them: plain, then secret. */
function overrideItems(
  plain: string[] | undefined,
  secret: string[] | undefined,
  environment?: Record<string, string | undefined>,
): NameValue[] {
  return [
    ...parseNameValues(plain, false, environment),
    ...parseNameValues(secret, true, environment),
  ];
}

/** `az acr task run`: schedules a run of the task, then waits, follows its log or returns. */
export async function runTask(target: AcrTarget, options: RunTaskOptions): Promise<RunTaskResult> {
  const session = await sessionOf(target);
  const logger = options.logger ?? silentLogger;
  const registry = await lookUpManagedRegistry(session, options);

  const updateTriggerToken = options.updateTriggerToken
    ? Buffer.from(options.updateTriggerToken, "utf8").toString("base64")
    : options.updateTriggerToken;
  const taskId = `/subscriptions/${session.arm.subscriptionId}/resourceGroups/${registry.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${registry.registryName}/tasks/${options.name}`;

  // az settles the context (checking or uploading it) before it reads the task.
  const contextPath = await prepareSourceLocation(session, registry, {
    sourceLocation: options.contextPath,
    dockerFile: options.file,
    archivePrefix: "cli_source_archive",
    logger,
    blobConnection: options.blobConnection,
  });

  const details = await session.arm.send(
    registryRequest(registry, "POST", ["tasks", options.name, "listDetails"]),
    [200],
  );
  const task = isObject(details.json) ? details.json : {};
  const taskTimeout = isObject(task.properties) ? task.properties.timeout : undefined;

  const body = {
    type: "TaskRunRequest",
    isArchiveEnabled: false,
    agentPoolName: options.agentPool,
    logTemplate: options.logTemplate,
    taskId,
    overrideTaskStepProperties: {
      contextPath,
      file: options.file,
      arguments: overrideItems(options.arg, options.secretArg, session.env),
      target: options.target,
      values: overrideItems(options.set, options.setSecret),
      updateTriggerToken,
    },
  };
  const queued = await scheduleRun(session, registry, body);
  const runId = queued.runId;
  logger.warning(`Queued a run with ID: ${runId}`);

  if (options.noWait) {
    return { mode: "queued", runId, run: azRun(queued.wire) };
  }
  logger.warning("Waiting for an agent...");

  if (options.noLogs) {
    const run = await waitForRun(session, registry, runId, options);
    return { mode: "finished", runId, run: azRun(run) };
  }

  const log = await followRunLog(session, registry, {
    ...options,
    runId,
    timeoutSeconds:
      typeof taskTimeout === "number" && taskTimeout > 0
        ? taskTimeout
        : DEFAULT_LOG_TIMEOUT_SECONDS,
    failOnRunFailure: true,
    logger,
  });
  return { mode: "streamed", runId, run: azRun(queued.wire), log };
}

/** `POST …/scheduleRun`: the queued run, as the service answered. */
export async function scheduleRun(
  session: AcrSession,
  registry: ResolvedRegistry,
  body: Json,
): Promise<{ runId: string; wire: Json }> {
  const response = await session.arm.longRunning(
    registryRequest(registry, "POST", ["scheduleRun"], { body }),
    { accepted: [200, 202] },
  );

  // az reads the run id of whatever came back and crashes when nothing did.
  const wire = isObject(response?.json) ? response.json : undefined;
  if (wire === undefined) {
    throw new CliError(
      "The registry accepted the run request but did not return the run; see the " +
        "registry's runs with 'az acr task list-runs'.",
    );
  }
  return { runId: runIdOf(wire) ?? "None", wire };
}

/** `--no-logs`: reads the run until it has finished; az's error unless it succeeded. */
export async function waitForRun(
  session: AcrSession,
  registry: ResolvedRegistry,
  runId: string,
  options: RunLogOptions = {},
): Promise<Json> {
  const { waitForRunToFinish } = await import("../logs/index.js");
  const read = async () => {
    const wire = await getRunWire(session, registry, runId);
    const properties = isObject(wire.properties) ? wire.properties : {};
    const status = typeof properties.status === "string" ? properties.status : undefined;
    return { wire, status };
  };

  const last = await waitForRunToFinish({
    runId,
    registryName: registry.registryName,
    getRun: read,
    clock: options.clock,
    signal: options.signal,
    intervalsSeconds: options.runPollingIntervalsSeconds,
  });
  return last.wire;
}

/** msrest's range check of a run request's timeout, with its message. */
function validateTimeout(requestType: string, timeout: number | undefined): void {
  if (timeout === undefined || timeout === null) {
    return;
  }
  if (timeout < 300) {
    throw new CliError(`Parameter '${requestType}.timeout' must be equal to or greater than 300.`);
  }
  if (timeout > 28800) {
    throw new CliError(`Parameter '${requestType}.timeout' must be equal to or less than 28800.`);
  }
}

/** What `acr run` and `acr build` share. */
interface QuickRunOptions extends RegistryOptions, OperationOptions, RunLogOptions {
  /** `SOURCE_LOCATION`: a local directory (packed and uploaded) or a remote location. */
  sourceLocation: string;
  /** `--timeout`, seconds (300 to 28800). */
  timeout?: number;
  /** `--platform os[/architecture[/variant]]`. */
  platform?: string;
  /** `--auth-mode`: how the run logs in to the source registry. */
  authMode?: string;
  agentPool?: string;
  logTemplate?: string;
  noWait?: boolean;
  noLogs?: boolean;
}

export interface AcrRunOptions extends QuickRunOptions {
  /** `--file/-f`: the task file (`-` for standard input); default `acb.yaml`. */
  file?: string;
  /** `--values`: the values file of a task file. */
  values?: string;
  set?: string[];
  setSecret?: string[];
  /** `--cmd`: one command to run, for `/dev/null` as the source location. */
  cmd?: string;
}

export interface AcrBuildOptions extends QuickRunOptions {
  /** `--image/-t`, repeatable. */
  image?: string[];
  /** `--file/-f`: the Dockerfile (for a local context: relative to the current directory). */
  file?: string;
  buildArg?: string[];
  secretBuildArg?: string[];
  noPush?: boolean;
  target?: string;
}

/** How a quick run or build ended; `run` is what az prints for `--no-logs`. */
export type QuickRunResult = RunTaskResult;

/** Queues a run request, then waits, follows the log or returns, as az's quick runs do. */
async function scheduleQuickRun(
  session: AcrSession,
  registry: ResolvedRegistry,
  body: Json,
  options: QuickRunOptions,
  noun: "run" | "build",
): Promise<QuickRunResult> {
  const logger = options.logger ?? silentLogger;
  const queued = await scheduleRun(session, registry, body);
  const runId = queued.runId;
  logger.warning(`Queued a ${noun} with ID: ${runId}`);

  if (options.noWait) {
    return { mode: "queued", runId, run: azRun(queued.wire) };
  }
  logger.warning("Waiting for an agent...");

  if (options.noLogs) {
    const run = await waitForRun(session, registry, runId, options);
    return { mode: "finished", runId, run: azRun(run) };
  }

  const log = await followRunLog(session, registry, {
    ...options,
    runId,
    timeoutSeconds: options.timeout || DEFAULT_LOG_TIMEOUT_SECONDS,
    failOnRunFailure: true,
    logger,
  });
  return { mode: "streamed", runId, run: azRun(queued.wire), log };
}

/**
 * `az acr run`: a task file from the source location, or (with `/dev/null`) a one-step task
 * around `--cmd` or the task file read here, encoded into the request.
 */
export async function acrRun(target: AcrTarget, options: AcrRunOptions): Promise<QuickRunResult> {
  const session = await sessionOf(target);
  const logger = options.logger ?? silentLogger;
  const registry = await lookUpManagedRegistry(session, options, MANAGED_REGISTRY_MESSAGES.run);

  if (options.cmd && options.file) {
    throw new CliError(
      "Azure Container Registry can run with either --cmd myCommand /dev/null or -f " +
        "myFile mySourceLocation, but not both.",
    );
  }

  const sourceLocation = await prepareSourceLocation(session, registry, {
    sourceLocation: options.sourceLocation,
    archivePrefix: "cli_source_archive",
    logger,
    blobConnection: options.blobConnection,
  });
  const platform = parsePlatform(options.platform);
  const values = overrideItems(options.set, options.setSecret);
  const common = {
    isArchiveEnabled: false,
    agentPoolName: options.agentPool,
    logTemplate: options.logTemplate,
  };

  let body: Json;
  if (sourceLocation) {
    body = {
      type: "FileTaskRunRequest",
      ...common,
      taskFilePath: options.file || DEFAULT_TASK_FILE,
      valuesFilePath: options.values,
      values,
      timeout: options.timeout,
      platform,
      sourceLocation,
      credentials: registryCredentials(session, options.authMode),
    };
  } else {
    const yaml = await yamlTemplate(session, options.cmd, options.timeout, options.file);
    body = {
      type: "EncodedTaskRunRequest",
      ...common,
      encodedTaskContent: encodedTaskContent(yaml),
      values,
      timeout: options.timeout,
      platform,
      credentials: registryCredentials(session, options.authMode),
    };
  }
  validateTimeout(String(body.type), options.timeout);

  return scheduleQuickRun(session, registry, body, options, "run");
}

/** `az acr build`: a Docker build of the source location, pushed when images are named. */
export async function acrBuild(
  target: AcrTarget,
  options: AcrBuildOptions,
): Promise<QuickRunResult> {
  const session = await sessionOf(target);
  const logger = options.logger ?? silentLogger;
  const registry = await lookUpManagedRegistry(session, options, MANAGED_REGISTRY_MESSAGES.build);

  let sourceLocation = options.sourceLocation;
  let dockerFilePath = options.file ?? "";
  const kind = await localPathKind(session, sourceLocation);
  if (kind !== undefined) {
    if (kind !== "directory") {
      throw new CliError("Source location should be a local directory path or remote URL.");
    }
    if (!dockerFilePath) {
      dockerFilePath = pythonJoin(sourceLocation, "Dockerfile");
      logger.info(`'--file or -f' is not provided. '${dockerFilePath}' is used.`);
    }
    if ((await localPathKind(session, dockerFilePath)) !== "file") {
      throw new CliError(`Unable to find '${dockerFilePath}'.`);
    }

    // The Dockerfile travels a second time under a name no file of the context can have.
    const nameInArchive = `${randomUUID().replace(/-/g, "")}_${pythonBasename(dockerFilePath.replace(/\\/g, "/"))}`;
    sourceLocation = await packAndUpload(session, registry, {
      directory: sourceLocation,
      dockerFile: dockerFilePath,
      dockerFileInArchive: nameInArchive,
      archivePrefix: "build_archive",
      logger,
      blobConnection: options.blobConnection,
    });
    dockerFilePath = nameInArchive;
  } else {
    if (!dockerFilePath) {
      dockerFilePath = "Dockerfile";
      logger.info(`'--file or -f' is not provided. '${dockerFilePath}' is used.`);
    }
    sourceLocation = await checkRemoteSourceLocation(sourceLocation);
    logger.warning(`Sending context to registry: ${registry.registryName}...`);
  }

  let isPushEnabled = false;
  if (!options.noPush) {
    if (options.image && options.image.length > 0) {
      isPushEnabled = true;
      if (options.image.some((image) => image.includes(".Build.ID"))) {
        logger.warning(
          ".Build.ID is no longer supported as a valid substitution, use .Run.ID instead.",
        );
      }
    } else {
      logger.warning("'--image or -t' is not provided. Skipping image push after build.");
    }
  }

  const body = {
    type: "DockerBuildRequest",
    isArchiveEnabled: false,
    agentPoolName: options.agentPool,
    logTemplate: options.logTemplate,
    imageNames: options.image,
    isPushEnabled,
    noCache: false,
    dockerFilePath,
    target: options.target,
    arguments: overrideItems(options.buildArg, options.secretBuildArg, session.env),
    timeout: options.timeout,
    platform: parsePlatform(options.platform),
    sourceLocation,
    credentials: registryCredentials(session, options.authMode),
  };
  validateTimeout(body.type, options.timeout);

  return scheduleQuickRun(session, registry, body, options, "build");
}

function listRunsMessage(base: string, taskName?: string, image?: string): string {
  let message = base;
  if (taskName) {
    message += ` for task '${taskName}'`;
  }
  if (image) {
    message += ` for image '${image}'`;
  }
  return `${message}.`;
}

/**
 * `az acr task logs`: the log of `--run-id`, or of the last run (of the task, or that produced
 * the image). Finding the last run resolves the registry a second time without the resource
 * group, as az does. The run's outcome does not matter: the log is all there is.
 */
export async function taskLogs(
  target: AcrTarget,
  options: TaskLogsOptions & ImageOptions,
): Promise<StreamOutcome> {
  const session = await sessionOf(target);
  const logger = options.logger ?? silentLogger;
  const registry = await lookUpManagedRegistry(session, options);

  let runId = options.runId;
  if (!runId) {
    const runs = await listRunsWire(
      session,
      { registry: options.registry, top: 1, name: options.name, image: options.image },
      digestLookupFor(session, target, options),
    );
    if (runs.length === 0) {
      throw new CliError(
        listRunsMessage("Could not find the last created run", options.name, options.image),
      );
    }
    runId = runIdOf(runs[0]) ?? "None";
    logger.warning(
      listRunsMessage("Showing logs of the last created run", options.name, options.image),
    );
    logger.warning(`Run ID: ${runId}`);
  }

  return followRunLog(session, registry, {
    ...options,
    runId,
    timeoutSeconds: DEFAULT_LOG_TIMEOUT_SECONDS,
    failOnRunFailure: false,
    logger,
  });
}

/**
 * The log text of a run as an async iterator of chunks, each printed by az as one `print`:
 * `for await (const chunk of runLogChunks(…))`. The operation's errors (a failed run when
 * `failOnRunFailure`, storage errors) are thrown by the iterator.
 */
export function logChunks(
  follow: (output: TextSink) => Promise<unknown>,
  isTTY = false,
): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]() {
      const pending: string[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      let failure: { error: unknown } | undefined;

      const notify = () => {
        wake?.();
        wake = undefined;
      };
      follow({ write: (text) => (pending.push(text), notify()), isTTY }).then(
        () => ((done = true), notify()),
        (error: unknown) => ((failure = { error }), (done = true), notify()),
      );

      return {
        async next(): Promise<IteratorResult<string>> {
          for (;;) {
            const chunk = pending.shift();
            if (chunk !== undefined) {
              return { value: chunk, done: false };
            }
            if (failure) {
              throw failure.error;
            }
            if (done) {
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
      };
    },
  };
}

// ---- `--image name:tag`: the tag's digest from the registry's data plane ----

/** An identity whose ARM token the registry exchanges for one of its own. */
export interface DataPlaneAccess {
  credential: TokenCredential;
  /** Scopes of the ARM token (az: the cloud's ARM audience). */
  scopes: string | string[];
  /** Sent with the exchange, as az sends the subscription's tenant. */
  tenantId?: string;
}

// az's user for a registry token (as opposed to admin credentials).
const TOKEN_USER = "00000000-0000-0000-0000-000000000000";
const ACR_AUDIENCE_SCOPES = ["https://containerregistry.azure.net/.default"];

/** Python's `str(datetime.utcnow())`, which az puts in front of data-plane messages. */
function utcTimestamp(now = new Date()): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}

function connectivityError(title: string, message: string): CliError {
  return new CliError(`${utcTimestamp()} An error occurred: ${title}\n${message}`);
}

interface RegistryCredentials {
  /** `TOKEN_USER` with a registry access token, or an admin user name with its password. */
  username: string;
  password: string;
}

function authorizationOf(credentials: RegistryCredentials): string {
  if (credentials.username === TOKEN_USER) {
    return `Bearer ${credentials.password}`;
  }
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  return `Basic ${basic}`;
}

/** The `WWW-Authenticate` parameters of the registry's challenge, as az parses them. */
async function challenge(
  loginServer: string,
): Promise<{ realm: string; service: string } | undefined> {
  const response = await fetch(`https://${loginServer}/v2/`, { headers: { Accept: "*/*" } });
  const header = response.headers.get("www-authenticate");
  if (response.status !== 401 || header === null) {
    throw connectivityError(
      "CONNECTIVITY_CHALLENGE_ERROR",
      `Registry '${loginServer}' did not issue a challenge.`,
    );
  }

  const [scheme, parameters] = [
    header.slice(0, header.indexOf(" ")),
    header.slice(header.indexOf(" ") + 1),
  ];
  if (scheme.toLowerCase() !== "bearer") {
    return undefined;
  }
  const values = Object.fromEntries(
    parameters.split(",").map((pair) => {
      const [key, value = ""] = pair.trim().split("=");
      return [key, value.replace(/^"|"$/g, "")];
    }),
  );
  return values.realm && values.service
    ? { realm: values.realm, service: values.service }
    : undefined;
}

async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { Accept: "*/*", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

async function aadRegistryToken(
  session: AcrSession,
  registry: ResolvedRegistry,
  loginServer: string,
  repository: string,
  access: DataPlaneAccess,
): Promise<RegistryCredentials> {
  // A registry that refuses ARM-audience tokens wants a token for the registry audience.
  const policies = await session.arm.send(
    { method: "GET", path: registry.path, query: [["api-version", API_VERSIONS.registries]] },
    [200],
  );
  const properties =
    isObject(policies.json) && isObject(policies.json.properties) ? policies.json.properties : {};
  const policy = isObject(properties.policies)
    ? properties.policies.azureADAuthenticationAsArmPolicy
    : undefined;
  const scopes =
    isObject(policy) && policy.status === "disabled" ? ACR_AUDIENCE_SCOPES : access.scopes;

  const parameters = await challenge(loginServer);
  if (parameters === undefined) {
    throw connectivityError(
      "CONNECTIVITY_AAD_LOGIN_ERROR",
      `Registry '${loginServer}' does not support AAD login.`,
    );
  }
  const token = await access.credential.getToken(scopes);
  if (!token) {
    throw new CliError("Could not get an access token for the registry.");
  }

  const realm = new URL(parameters.realm);
  const exchange = await postForm(`${realm.protocol}//${realm.host}/oauth2/exchange`, {
    grant_type: "access_token",
    service: parameters.service,
    ...(access.tenantId ? { tenant: access.tenantId } : {}),
    access_token: token.token,
  });
  if (exchange.status !== 200) {
    throw connectivityError(
      "CONNECTIVITY_REFRESH_TOKEN_ERROR",
      `Access to registry '${loginServer}' was denied. Response code: ` +
        `${exchange.status}. Please try running 'az login' again to refresh permissions.`,
    );
  }
  const refreshToken = String(
    ((await exchange.json()) as { refresh_token?: unknown }).refresh_token,
  );

  const tokenResponse = await postForm(`${realm.protocol}//${realm.host}/oauth2/token`, {
    grant_type: "refresh_token",
    service: loginServer,
    scope: `repository:${repository}:metadata_read`,
    refresh_token: refreshToken,
  });
  if (tokenResponse.status !== 200) {
    throw connectivityError(
      "CONNECTIVITY_ACCESS_TOKEN_ERROR",
      `Access to registry '${loginServer}' was denied. Response code: ` +
        `${tokenResponse.status}. Please try running 'az login' again to refresh ` +
        `permissions.`,
    );
  }
  const accessToken = String(
    ((await tokenResponse.json()) as { access_token?: unknown }).access_token,
  );
  return { username: TOKEN_USER, password: accessToken };
}

/** The admin user's name and first password, sent as they are (basic authentication). */
async function adminCredentials(
  session: AcrSession,
  registry: ResolvedRegistry,
): Promise<RegistryCredentials> {
  const listed = await session.arm.send(
    {
      method: "POST",
      path: `${registry.path}/listCredentials`,
      query: [["api-version", API_VERSIONS.registries]],
    },
    [200],
  );
  const answer = isObject(listed.json) ? listed.json : {};
  const passwords = Array.isArray(answer.passwords) ? answer.passwords : [];
  return {
    username: String(answer.username ?? ""),
    password: String((isObject(passwords[0]) ? passwords[0].value : undefined) ?? ""),
  };
}

/** The registry's `errors[0].message`, as az words a failed data-plane request. */
async function dataPlaneFailure(response: Response, fallback: string): Promise<string> {
  let message = fallback;
  try {
    const body = (await response.json()) as { errors?: { message?: unknown }[] };
    const serverMessage = body.errors?.[0]?.message;
    if (serverMessage) {
      message = `Error: ${String(serverMessage)}`;
    }
  } catch {
    // A body that is not the registry's error document leaves az's own words.
  }
  return message.endsWith(".") ? message : `${message}.`;
}

/**
 * az's way to the digest of a tag: the registry is looked up again (without the resource
 * group), its login server must answer, then an AAD token (exchanged for a registry token) or
 * else the admin user reads `/acr/v1/<repository>/_tags/<tag>`.
 */
export function createImageDigestLookup(
  session: AcrSession,
  access: DataPlaneAccess,
  logger: OperationLogger,
): ImageDigestLookup {
  return async ({ registryName, repository, tag }) => {
    const registry = await resolveRegistry(session.arm, {
      registryName,
      subscriptionName: session.subscriptionName,
    });
    const properties = isObject(registry.registry.properties) ? registry.registry.properties : {};
    const loginServer = String(properties.loginServer ?? "");

    const reachable = await fetch(`https://${loginServer}/v2/`, {
      headers: { Accept: "*/*" },
    }).catch((error: unknown) => error);
    if (!(reachable instanceof Response)) {
      throw new CliError(
        `Could not connect to the registry login server '${loginServer}'. Please verify ` +
          `that the registry exists and the URL 'https://${loginServer}/v2/' is reachable ` +
          `from your environment.\nTry running 'az acr check-health -n ${registryName} ` +
          `--yes' to diagnose this issue.`,
      );
    }
    if (reachable.status === 403) {
      throw new CliError(
        `Looks like you don't have access to registry '${loginServer}'. To see ` +
          `configured firewall rules, run 'az acr show --query networkRuleSet --name ` +
          `${registryName}'. To see if public network access is enabled, run 'az acr show ` +
          `--query publicNetworkAccess'.Please refer to ` +
          `https://aka.ms/acr/errors#connectivity_forbidden_error for more information.`,
      );
    }

    let credentials: RegistryCredentials | undefined;
    try {
      credentials = await aadRegistryToken(session, registry, loginServer, repository, access);
    } catch (error) {
      if (!(error instanceof CliError)) {
        throw error;
      }
      logger.warning(`Unable to get AAD authorization tokens with message: ${error.message}`);
    }
    if (credentials === undefined && properties.adminUserEnabled === true) {
      try {
        credentials = await adminCredentials(session, registry);
      } catch (error) {
        if (!(error instanceof CliError)) {
          throw error;
        }
        logger.warning(`Unable to get admin user credentials with message: ${error.message}`);
      }
    } else if (credentials === undefined) {
      logger.warning("Unable to get admin user credentials with message: Admin user is disabled.");
    }
    if (credentials === undefined) {
      throw new CliError(
        "Unable to authenticate using AAD or admin login credentials. Please specify " +
          "both username and password in non-interactive mode.",
      );
    }

    const response = await fetch(`https://${loginServer}/acr/v1/${repository}/_tags/${tag}`, {
      headers: { Accept: "*/*", Authorization: authorizationOf(credentials) },
    });
    if (response.status === 200) {
      const body = (await response.json()) as { tag?: { digest?: unknown } };
      if (body.tag?.digest) {
        return String(body.tag.digest);
      }
      throw new CliError(`Could not get the manifest digest for image '${repository}:${tag}'.`);
    }
    const fallback =
      response.status === 401
        ? "Authentication required."
        : response.status === 404
          ? "The requested data does not exist."
          : "Could not get the requested data.";
    throw new CliError(await dataPlaneFailure(response, fallback));
  };
}
