// The emulator's build agent: it takes queued runs one after another, as ACR's agents take them
// from the registry's queue, fetches their source, renders and checks their task file, has the
// runner execute it on the local Docker engine with the log going to the run's log blob, and
// records the outcome on the run. Runs a restart interrupted are closed as failed with a line
// saying why; queued runs are taken up again.

import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, normalize } from "node:path";

import type { RunLogWriter } from "../blob/log-writer.js";
import { isTerminal, progressRun, runEvents } from "../resources/run-records.js";
import type { RunDocument, RunEvent, RunStatus } from "../resources/run-records.js";
import { RUN_TYPE } from "../resources/shapes.js";
import { formatLogLine } from "../runner/log.js";
import type { Json } from "../resources/shapes.js";
import type { ResourceStore, StoredResource } from "../store/types.js";
import { planRun, quickBuildTaskText, RunPlanError } from "./run-plan.js";
import type { RunPlan } from "./run-plan.js";
import { fetchSource } from "./source.js";
import type { FetchedSource } from "./source.js";

export interface RegistryLogin {
  loginServer: string;
  username: string;
  password: string;
}

export interface RunAgentOptions {
  store: ResourceStore;
  /**
   * A folder of the emulator's own for fetched sources. (The runner keeps its records where
   * every runner on this machine finds them: runs take turns on the one engine.)
   */
  workDirectory: string;
  now?: () => Date;
  /** The run registry's login server and admin credentials (starting it when needed). */
  registryLogin(registryName: string): Promise<RegistryLogin>;
  openLog(registryName: string, runId: string, append: boolean): Promise<RunLogWriter>;
  /** Writes a source tarball uploaded to the registry's container to `file`. */
  downloadUpload(registryName: string, relativePath: string, file: string): Promise<void>;
  /** Key Vault secret values by secret URL, for task files' `secrets:`. */
  keyVaultSecrets?: Record<string, string>;
  /** Executes a loaded task; the runner on the local engine by default. */
  execute?: ExecuteFunction;
}

type RunnerModule = typeof import("../runner/index.js");
type ExecuteFunction = RunnerModule["executeRun"];
type ExecuteOutcome = Awaited<ReturnType<ExecuteFunction>>;

/** The line a run's log ends with when a restart interrupted it. */
export const INTERRUPTED_MESSAGE = "The run was interrupted: the emulator stopped while it ran.";

const DEFAULT_TASK_FILE = "acb.yaml";

export class RunAgent {
  private readonly queue: { id: string; registryName: string }[] = [];
  private readonly cancels = new Map<string, AbortController>();
  private working: Promise<void> | undefined;
  private stopped = false;
  private readonly onScheduled = (event: RunEvent) => this.enqueue(event.runId);
  private readonly onCanceled = (event: RunEvent) => {
    const inProgress = this.cancels.get(event.runId);
    if (inProgress) {
      inProgress.abort();
    } else {
      void this.closeCanceledInQueue(event.runId);
    }
  };

  constructor(private readonly options: RunAgentOptions) {}

  /** Listens for new runs and takes up the runs the last emulator left. */
  async start(): Promise<void> {
    runEvents.on("scheduled", this.onScheduled);
    runEvents.on("canceled", this.onCanceled);

    const runs = this.options.store
      .list<RunDocument>(RUN_TYPE)
      .sort((left, right) => left.document.sequence - right.document.sequence);
    for (const run of runs) {
      const status = run.document.properties.status;
      if (status === "Queued") {
        this.enqueue(run.id);
      } else if (!isTerminal(status)) {
        await this.closeInterrupted(run);
      }
    }
  }

  /** Cancels the run in progress and lets it clean up; queued runs stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    runEvents.off("scheduled", this.onScheduled);
    runEvents.off("canceled", this.onCanceled);
    this.queue.length = 0;
    for (const controller of this.cancels.values()) {
      controller.abort();
    }
    await this.working;
  }

  /** Resolves once no run is queued or in progress (for tests and the demo). */
  async idle(): Promise<void> {
    while (this.working) {
      await this.working;
    }
  }

  private enqueue(id: string): void {
    if (this.stopped) {
      return;
    }
    this.queue.push({ id, registryName: registryNameOf(id) });
    this.working ??= this.drain().finally(() => {
      this.working = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      await this.process(next.id, next.registryName).catch(() => undefined);
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async process(id: string, registryName: string): Promise<void> {
    const stored = this.options.store.get<RunDocument>(id);
    if (stored === undefined || stored.document.properties.status !== "Queued") {
      return;
    }

    const runId = String(stored.document.properties.runId);
    const controller = new AbortController();
    this.cancels.set(id, controller);
    const scratch = join(this.options.workDirectory, "runs", `${runId}-${randomUUID()}`);
    progressRun(this.options.store, id, { status: "Running" }, this.now());

    const writer = await this.options.openLog(registryName, runId, false);
    const log = { write: (text: string) => writer.write(withCarriageReturns(text)) };
    let status: RunStatus = "Failed";
    let progress: {
      outputImages?: Json[];
      runErrorMessage?: string;
      baseImageDependencies?: Json[];
    } = {};

    try {
      const outcome = await this.runOnEngine(stored, registryName, scratch, log, controller.signal);
      status = outcome.status === "TimedOut" ? "Timeout" : outcome.status;
      progress = {
        ...(outcome.images.length > 0
          ? {
              outputImages: outcome.images.map((image) => ({
                registry: image.registry,
                repository: image.repository,
                tag: image.tag,
                ...(image.digest ? { digest: image.digest } : {}),
              })),
            }
          : {}),
        ...(outcome.status === "Failed"
          ? { runErrorMessage: "failed during run, err: exit status 1" }
          : {}),
        // A successful build tells the task which base images its image-update trigger watches.
        ...(outcome.status === "Succeeded" && outcome.baseImages.length > 0
          ? { baseImageDependencies: outcome.baseImages }
          : {}),
      };
    } catch (error) {
      const started = stored.document.properties.startTime;
      writeFailure(
        log,
        error,
        runId,
        this.now(),
        typeof started === "string" ? started : undefined,
      );
      progress = { runErrorMessage: messageOf(error) };
      status = "Failed";
    } finally {
      this.cancels.delete(id);
      await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    }

    // The status first: az reads it once the log says it is complete.
    const recorded = progressRun(this.options.store, id, { status, ...progress }, this.now());
    const finalStatus = String(recorded?.document.properties.status ?? status);
    await writer.complete(completeMetadataOf(finalStatus)).catch(() => undefined);
  }

  private async runOnEngine(
    stored: StoredResource<RunDocument>,
    registryName: string,
    scratch: string,
    log: { write(text: string): void },
    signal: AbortSignal,
  ): Promise<ExecuteOutcome & { baseImages: Json[] }> {
    const runId = String(stored.document.properties.runId);
    const plan = planRun(stored.document.request, stored.document.task);
    const revision = stored.document.sourceRevision;
    if (revision && plan.source?.kind === "git") {
      // A commit trigger builds the commit it saw, not whatever the branch holds by now.
      plan.source = { ...plan.source, ref: revision.commit };
    }
    const login = await this.options.registryLogin(registryName);

    let fetched: FetchedSource | undefined;
    if (plan.source) {
      await mkdir(scratch, { recursive: true });
      fetched = await fetchSource(plan.source, {
        destination: scratch,
        downloadUpload: (relativePath, file) =>
          this.options.downloadUpload(registryName, relativePath, file),
      }).catch((error: unknown) => {
        log.write(formatLogLine("Downloading source code...", this.now()));
        throw error;
      });
    }

    const { fileName, text, valuesText } = await taskTextOf(plan, fetched, login.loginServer);
    const workspaceVolume = `acb_vol_${randomUUID()}`;
    const { loadTask } = await import("../../taskfile/index.js");
    const loaded = await loadTask({
      fileName,
      text,
      valuesText,
      set: plan.set,
      run: {
        id: runId,
        registry: login.loginServer,
        date: this.now(),
        sharedVolume: workspaceVolume,
        os: "linux",
        osVersion: "",
        architecture: goArchitecture(process.arch),
        commit: fetched?.commit ?? "",
        branch: revision?.branch ?? fetched?.branch ?? "",
        repository: fetched?.repository ?? "",
        gitTag: "",
        triggeredBy: "",
        taskName: plan.taskName,
      },
      resolveSecrets: async (secrets) =>
        resolveKeyVaultSecrets(secrets, this.options.keyVaultSecrets),
    }).catch((error: unknown) => {
      // The service fetched the source before acb refused the task file.
      if (fetched) {
        log.write(formatLogLine("Downloading source code...", this.now()));
        log.write(formatLogLine("Finished downloading source code", this.now()));
      }
      throw error;
    });
    if (plan.task.kind === "build") {
      // A quick build runs on Docker's default bridge: ACR adds no task network to it.
      loaded.task.networks = [];
      loaded.task.defaultNetwork = "";
      for (const step of loaded.task.steps) {
        step.network = "";
      }
    }

    const runner = await import("../runner/index.js");
    const dependencies = runner.workspaceBuildDependencies();
    const execute = this.options.execute ?? runner.executeRun;
    const outcome = await execute({
      runId,
      task: loaded.task,
      graph: loaded.graph,
      registry: login,
      credentials: plan.customRegistries,
      ...(fetched ? { source: { kind: "directory" as const, path: fetched.directory } } : {}),
      log,
      signal,
      timeoutSeconds: stored.document.timeout,
      workspaceVolume,
      dependencies,
    });
    return { ...outcome, baseImages: baseImageDependenciesOf(dependencies.entries()) };
  }

  /**
   * A run canceled before it started still gets its log, empty and complete, so that a reader
   * of it (`az acr task logs`) finds it and stops at once.
   */
  private async closeCanceledInQueue(id: string): Promise<void> {
    const stored = this.options.store.get<RunDocument>(id);
    if (stored === undefined) {
      return;
    }
    try {
      const runId = String(stored.document.properties.runId);
      const writer = await this.options.openLog(registryNameOf(id), runId, true);
      await writer.complete("Canceled");
    } catch {
      // Without its log the run is still canceled; a reader then finds no log, as for any run
      // that never started.
    }
  }

  private async closeInterrupted(run: StoredResource<RunDocument>): Promise<void> {
    const registryName = registryNameOf(run.id);
    const runId = String(run.document.properties.runId);
    progressRun(
      this.options.store,
      run.id,
      { status: "Error", runErrorMessage: INTERRUPTED_MESSAGE },
      this.now(),
    );
    try {
      const writer = await this.options.openLog(registryName, runId, true);
      writer.write(withCarriageReturns(formatLogLine(INTERRUPTED_MESSAGE, this.now())));
      await writer.complete("InternalError");
    } catch {
      // The run is closed either way; a log that cannot be reached stays as it was.
    }
  }
}

/** The task text a plan runs, with the name template errors use and its values file. */
async function taskTextOf(
  plan: RunPlan,
  fetched: FetchedSource | undefined,
  loginServer: string,
): Promise<{ fileName: string; text: string; valuesText?: string }> {
  switch (plan.task.kind) {
    case "inline":
      return { fileName: "decoded", text: plan.task.text, valuesText: plan.task.valuesText };
    case "build":
      return { fileName: "decoded", text: quickBuildTaskText(plan.task.build, loginServer) };
    case "file": {
      const path = plan.task.path || DEFAULT_TASK_FILE;
      const text = await readContextFile(fetched, path);
      const valuesText = plan.task.valuesPath
        ? await readContextFile(fetched, plan.task.valuesPath)
        : undefined;
      return { fileName: path, text, valuesText };
    }
  }
}

async function readContextFile(fetched: FetchedSource | undefined, path: string): Promise<string> {
  const relative = normalize(path).replace(/^(\.\.(\/|$))+/, "");
  if (fetched === undefined) {
    throw new RunPlanError(`open ${path}: the run has no source context to read it from`);
  }
  try {
    return await readFile(join(fetched.directory, relative), "utf8");
  } catch {
    throw new RunPlanError(`open ${path}: no such file or directory`);
  }
}

/** Writes what a run that failed before the runner started leaves in its log. */
function writeFailure(
  log: { write(text: string): void },
  error: unknown,
  runId: string,
  now: Date,
  startTime: string | undefined,
): void {
  const lines = (error as { log?: unknown }).log;
  for (const line of Array.isArray(lines) ? lines : []) {
    log.write(formatLogLine(String(line), now));
  }
  const started = startTime ? Date.parse(startTime) : now.getTime();
  const seconds = Math.max(0, Math.round((now.getTime() - started) / 1000));
  log.write(`${messageOf(error)}\n`);
  log.write(
    `\nRun ID: ${runId} failed after ${seconds}s. Error: failed during run, err: exit status 1\n`,
  );
}

/**
 * Resolves task secrets from the values the emulator was given per Key Vault secret URL (a URL
 * with a version falls back to the same secret without one). Managed-identity secrets have no
 * local counterpart.
 */
export function resolveKeyVaultSecrets(
  secrets: { id: string; keyVault: string }[],
  known: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  const byUrl = new Map(
    Object.entries(known).map(([url, value]) => [normaliseSecretUrl(url), value]),
  );
  for (const secret of secrets) {
    const url = normaliseSecretUrl(secret.keyVault);
    const unversioned = url.replace(/^(https:\/\/[^/]+\/secrets\/[^/]+)\/[^/]+$/, "$1");
    const value = byUrl.get(url) ?? byUrl.get(unversioned);
    if (value === undefined) {
      throw new Error(
        secret.keyVault === ""
          ? `failed to fetch secret with ID: ${secret.id}: managed identity secrets are not available in the emulator`
          : `failed to fetch secret with ID: ${secret.id}: the emulator has no value for ` +
              `${secret.keyVault}; start it with --secret ${secret.keyVault}=<value>`,
      );
    }
    values[secret.id] = value;
  }
  return values;
}

function normaliseSecretUrl(url: string): string {
  return url.trim().replace(/\/+$/, "").toLowerCase();
}

type ScannedImages = ReturnType<ReturnType<RunnerModule["workspaceBuildDependencies"]>["entries"]>;

/** The task's base images as ACR records them: each runtime and build-time image once. */
export function baseImageDependenciesOf(entries: ScannedImages): Json[] {
  const seen = new Set<string>();
  const dependencies: Json[] = [];
  const add = (type: string, image: ScannedImages[number]["runtime"]) => {
    const key = `${type} ${image.reference}`;
    if (image.repository === "" || seen.has(key)) {
      return;
    }
    seen.add(key);
    dependencies.push({
      type,
      registry: image.registry,
      repository: image.repository,
      ...(image.tag ? { tag: image.tag } : {}),
      ...(image.digest ? { digest: image.digest } : {}),
    });
  };
  for (const entry of entries) {
    add("RunTime", entry.runtime);
    for (const image of entry.buildtime) {
      add("BuildTime", image);
    }
  }
  return dependencies;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * ACR's logs end lines with CRLF, and az prints a growing log only up to its last CRLF: a bare
 * newline would hold a line back until the run ends.
 */
function withCarriageReturns(text: string): string {
  return text.replace(/(?<!\r)\n/g, "\r\n");
}

/** The `Complete` metadata az reads: it fails a run on `Failed` or `InternalError`. */
function completeMetadataOf(status: string): string {
  switch (status) {
    case "Succeeded":
      return "Succeeded";
    case "Canceled":
      return "Canceled";
    case "Timeout":
      return "TimedOut";
    case "Error":
      return "InternalError";
    default:
      return "Failed";
  }
}

function goArchitecture(arch: string): string {
  return arch === "x64" ? "amd64" : arch === "ia32" ? "386" : arch;
}

function registryNameOf(runArmId: string): string {
  const match = /\/registries\/([^/]+)\/runs\//i.exec(runArmId);
  return match?.[1] ?? "";
}
