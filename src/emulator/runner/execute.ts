// Runs a decoded, normalised task on the local Docker engine the way acb does (spec: runner §4)
// and writes the run's log in acb's format, framed by the service's own lines (§5.3).
//
//   const outcome = await executeRun({ runId: "cf1", task, registry, source, log });
//   outcome.status;   // "Succeeded" | "Failed" | "Canceled" | "TimedOut"

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import { ALIAS_BANNER } from "../../taskfile/aliases.js";
import { StepScheduler } from "../../taskfile/graph.js";
import type { Network, Step, StepGraph, Task } from "../../taskfile/model.js";
import {
  buildStepShellCommand,
  cmdStepShellCommand,
  dockerConfigArgs,
  DOCKER_CONFIG_JSON,
  hostSocketOf,
  networkCreateArgs,
  pullArgs,
  pushArgs,
  loginArgs,
  WORKSPACE_MOUNT,
} from "./docker-args.js";
import type { RunDockerContext } from "./docker-args.js";
import { workspaceBuildDependencies } from "./dependencies.js";
import { errorMessage } from "./errors.js";
import { acquireEngineLock, isOwnerLabelAlive, ownerLabelValue } from "./engine-lock.js";
import type { EngineLock, RunResources } from "./engine-lock.js";
import { stepGraphOf } from "./graph.js";
import { ensureDockerCliImage } from "./images.js";
import { AcbLogger, formatElapsedSeconds, formatRunDuration, LineSplitter } from "./log.js";
import type { RunLog } from "./log.js";
import { spawnProcess } from "./process.js";
import type { ProcessRequest, ProcessResult, ProcessRunner } from "./process.js";

export type { RunLog } from "./log.js";

/** Literal credentials of a registry the run logs in to before its steps. */
export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

/** What is copied into the workspace volume before the run (the run's source context). */
export type RunSource =
  | { kind: "directory"; path: string }
  | { kind: "archive"; path: string }
  | { kind: "git"; url: string; branch?: string; folder?: string };

/**
 * Dependency scanning and the report (§4.10.2, §4.14); by default the scan module working on the
 * run's workspace volume (dependencies.ts).
 */
export interface BuildDependencies {
  /**
   * Before a build container. A failure rejects with the error acb reports (the scanner
   * process's, e.g. `exit status 1`) and, as `output`, what acb logs after
   * `Output from dependency scanning: ` (the message itself when absent).
   */
  scan(step: Step, context: BuildDependencyContext): Promise<BuildRewrite | void>;
  /** After the summary line of a build step; rejects with the run's error text. */
  populateDigests(step: Step, context: BuildDependencyContext): Promise<void>;
  /** The report lines (each "\n"-terminated) once every step completed; "" when none. */
  report(): string;
}

/**
 * How the build container changes once a remote context was fetched into the workspace (§4.10.3):
 * the build string with `.` as its context, and the working directory that replaces the step's.
 */
export interface BuildRewrite {
  build: string;
  workingDirectory: string;
}

export interface BuildDependencyContext {
  docker: string;
  dockerCliImage: string;
  workspaceVolume: string;
  homeVolume: string;
  /** The engine's socket on the host, for containers that run docker. */
  hostDockerSocket?: string;
  runProcess: ProcessRunner;
  signal: AbortSignal;
  /** acb lines the scanner wants in the log (e.g. the buildkit digest line). */
  logLine(message: string): void;
  /** Copies a host folder's content, or unpacks a tar, into a workspace folder (absolute). */
  copyIntoWorkspace(
    source: { kind: "directory" | "archive"; path: string },
    destination: string,
  ): Promise<void>;
}

export interface ExecuteRunOptions {
  runId: string;
  task: Task;
  /** The step graph; derived from the task when absent. */
  graph?: StepGraph;
  /** The run's registry (the service always passes a credential for it). */
  registry?: { loginServer: string; username: string; password: string };
  /** Further registries (`az acr task credential add`). */
  credentials?: RegistryLogin[];
  source?: RunSource;
  log: RunLog;
  /** Aborting cancels the run: its containers are stopped and everything is cleaned up. */
  signal?: AbortSignal;
  /** The docker command line; `docker` on PATH by default. */
  docker?: string;
  /** The run's overall time limit (the service's run timeout); none by default. */
  timeoutSeconds?: number;
  /** Where runs on this machine take turns and record what they created. */
  stateDirectory?: string;
  /** Starts processes; tests substitute it. */
  runProcess?: ProcessRunner;
  clock?: () => Date;
  /**
   * The workspace volume's name (`acb_vol_<uuid>`), when the caller rendered the task with it as
   * `{{.Run.SharedVolume}}`; generated otherwise. The runner creates and removes it either way.
   */
  workspaceVolume?: string;
  /**
   * Local images standing in for images cmd steps name first (name as written → local tag), for
   * images the engine cannot pull; `docker` always runs the runner's docker CLI image.
   */
  imageSubstitutes?: Readonly<Record<string, string>>;
  /** A ready docker CLI image; made from this machine's docker binary when absent. */
  dockerCliImage?: string;
  /** The scan and report of build steps; the workspace scanner by default. */
  dependencies?: BuildDependencies;
}

export type RunStatus = "Succeeded" | "Failed" | "Canceled" | "TimedOut";

export type StepStatus = "Succeeded" | "Failed" | "Skipped" | "Canceled";

export interface StepOutcome {
  id: string;
  status: StepStatus;
  startTime?: Date;
  finishTime?: Date;
  /** The step's error (also set when ignoreErrors let the run continue). */
  error?: string;
}

export interface PushedImage {
  /** The reference as pushed, e.g. `localhost:5000/hello:v1`. */
  image: string;
  registry: string;
  repository: string;
  tag: string;
  digest?: string;
}

export interface RunOutcome {
  status: RunStatus;
  /** acb's final error line (without newline) when the run failed. */
  error?: string;
  startTime: Date;
  finishTime: Date;
  steps: StepOutcome[];
  /** Images pushed by push steps, in order. */
  images: PushedImage[];
}

const DOCKER_CONFIG_TIMEOUT_SECONDS = 300;
/** acb's outer limit on a build step's scan, and on the digest lookups of one build step. */
const SCAN_TIMEOUT_SECONDS = 900;
const DIGEST_TIMEOUT_SECONDS = 300;
const LOGIN_TIMEOUT_SECONDS = 300;
const LOGIN_ATTEMPTS = 4;
const PUSH_ATTEMPTS = 3;
/** Labels of the volumes and networks a run creates: its id, and the process that owns it. */
const RUN_LABEL = "dev.acrtask.runner.run";
const OWNER_LABEL = "dev.acrtask.runner.owner";
const DEADLINE_ERROR = "context deadline exceeded";

/** The run phase stopped: a step failed (without ignoreErrors), or the run was aborted. */
class RunStopped extends Error {}

/** A rejected scan's error and logged output. */
function scanFailure(error: unknown): { message: string; output: string } {
  const message = errorMessage(error);
  const output = (error as { output?: unknown } | null)?.output;
  return { message, output: typeof output === "string" ? output : message };
}

function exitError(result: ProcessResult): string {
  return result.exitCode === null ? "signal: killed" : `exit status ${result.exitCode}`;
}

function backoffMilliseconds(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000);
}

/** `registry/repository:tag` → its parts, Docker's way (a first part with `.`/`:` is a host). */
export function splitImageReference(image: string): Omit<PushedImage, "image" | "digest"> {
  const withoutDigest = image.split("@")[0];
  const slash = withoutDigest.indexOf("/");
  let registry = "registry.hub.docker.com";
  let rest = withoutDigest;
  if (slash > 0) {
    const first = withoutDigest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = withoutDigest.slice(slash + 1);
    }
  }
  const colon = rest.lastIndexOf(":");
  const repository = colon > 0 ? rest.slice(0, colon) : rest;
  const tag = colon > 0 ? rest.slice(colon + 1) : "latest";
  return { registry, repository, tag };
}

function abortableDelay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return delay(milliseconds, undefined, { signal }).catch(() => undefined);
}

export async function executeRun(options: ExecuteRunOptions): Promise<RunOutcome> {
  return new RunExecution(options).execute();
}

class RunExecution {
  private readonly docker: string;
  private readonly runProcess: ProcessRunner;
  private readonly clock: () => Date;
  private readonly logger: AcbLogger;
  private readonly graph: StepGraph;
  private readonly dependencies: BuildDependencies;
  private readonly runAbort = new AbortController();
  /** Set when a step failed: the steps still running are stopped and silenced. */
  private readonly phaseAbort = new AbortController();
  private readonly stepOutcomes = new Map<string, StepOutcome>();
  /** Each step's elapsed time for its summary line, measured with the monotonic clock. */
  private readonly elapsedMilliseconds = new Map<string, number>();
  private readonly images: PushedImage[] = [];
  private readonly createdNetworks: Network[] = [];
  private readonly internalContainers = new Set<string>();
  private readonly createdVolumes: string[] = [];
  private lock: EngineLock | undefined;
  private context!: RunDockerContext;
  private abortReason: "Canceled" | "TimedOut" | undefined;
  private silenced = false;

  constructor(private readonly options: ExecuteRunOptions) {
    this.docker = options.docker ?? "docker";
    this.runProcess = options.runProcess ?? spawnProcess;
    this.clock = options.clock ?? (() => new Date());
    this.logger = new AcbLogger(options.log, this.clock);
    this.graph = options.graph ?? stepGraphOf(options.task);
    this.dependencies = options.dependencies ?? workspaceBuildDependencies();
    for (const step of options.task.steps) {
      this.stepOutcomes.set(step.id, { id: step.id, status: "Skipped" });
    }
  }

  async execute(): Promise<RunOutcome> {
    const stopTimer = this.watchRunLimits();
    let startTime = this.clock();
    let error: string | undefined;

    try {
      this.lock = await acquireEngineLock({
        stateDirectory: this.options.stateDirectory ?? join(tmpdir(), "acrtask-runner"),
        runId: this.options.runId,
        signal: this.runAbort.signal,
        removeLeftovers: (resources) => this.removeLeftovers(resources),
      });
    } catch (lockError) {
      stopTimer();
      const now = this.clock();
      if (this.abortReason !== undefined) {
        return this.outcome(this.abortReason, undefined, now, now);
      }
      // The turn could not be taken (the state folder is not writable): nothing ran.
      const message = `failed to wait for the Docker engine: ${errorMessage(lockError)}`;
      this.logger.raw(`${message}\n`);
      this.logger.raw(
        `\nRun ID: ${this.options.runId} failed after 0s. Error: failed during run, err: ` +
          `exit status 1\n`,
      );
      return this.outcome("Failed", message, now, now);
    }

    try {
      await this.removeOrphans();
      startTime = this.clock();
      // acb rewrites the deadline error once, in the final line.
      error = (await this.runPhases())?.replaceAll(DEADLINE_ERROR, "timed out");
    } finally {
      await this.cleanup();
      stopTimer();
      await this.lock.release();
    }

    const finishTime = this.clock();
    const status: RunStatus = this.abortReason ?? (error === undefined ? "Succeeded" : "Failed");
    const duration = formatRunDuration(finishTime.getTime() - startTime.getTime());
    if (status === "Succeeded") {
      this.logger.raw(`\nRun ID: ${this.options.runId} was successful after ${duration}\n`);
    } else if (status === "Failed" && error !== undefined) {
      this.logger.raw(`${error}\n`);
      this.logger.raw(
        `\nRun ID: ${this.options.runId} failed after ${duration}. ` +
          "Error: failed during run, err: exit status 1\n",
      );
    }
    return this.outcome(status, status === "Failed" ? error : undefined, startTime, finishTime);
  }

  private outcome(
    status: RunStatus,
    error: string | undefined,
    startTime: Date,
    finishTime: Date,
  ): RunOutcome {
    return {
      status,
      ...(error !== undefined ? { error } : {}),
      startTime,
      finishTime,
      steps: this.options.task.steps.map((step) => this.stepOutcomes.get(step.id)!),
      images: this.images,
    };
  }

  /** Sub-millisecond time for elapsed seconds; the injected clock when tests fix the time. */
  private monotonicMilliseconds(): number {
    return this.options.clock ? this.clock().getTime() : performance.now();
  }

  /** The run's cancel signal and time limit, both ending in runAbort. */
  private watchRunLimits(): () => void {
    const onCancel = () => this.abortRun("Canceled");
    const signal = this.options.signal;
    if (signal?.aborted) {
      this.abortRun("Canceled");
    }
    signal?.addEventListener("abort", onCancel, { once: true });
    const timer =
      this.options.timeoutSeconds !== undefined
        ? setTimeout(() => this.abortRun("TimedOut"), this.options.timeoutSeconds * 1000)
        : undefined;
    return () => {
      signal?.removeEventListener("abort", onCancel);
      if (timer) {
        clearTimeout(timer);
      }
    };
  }

  private abortRun(reason: "Canceled" | "TimedOut"): void {
    if (this.abortReason === undefined) {
      this.abortReason = reason;
      this.silenced = true;
      this.runAbort.abort();
      this.phaseAbort.abort();
    }
  }

  /** Everything up to the report; resolves with acb's final error text when the run failed. */
  private async runPhases(): Promise<string | undefined> {
    try {
      const dockerCliImage =
        this.options.dockerCliImage ??
        (await ensureDockerCliImage({ docker: this.docker, run: this.runProcess }));
      this.context = {
        docker: this.docker,
        workspaceVolume: this.options.workspaceVolume ?? `acb_vol_${randomUUID()}`,
        // acb's home volume is literally `home`, shared by every run on the engine and kept: here
        // each run has its own, removed at the end, so no registry credentials outlive the run
        // and a user's own volume named `home` is never touched.
        homeVolume: `acb_home_${randomUUID()}`,
        dockerCliImage,
        imageSubstitutes: this.options.imageSubstitutes,
        hostDockerSocket: hostSocketOf(process.env.DOCKER_HOST),
      };
      await this.createVolume(this.context.workspaceVolume);
      await this.createVolume(this.context.homeVolume);
      if (this.options.source) {
        this.logger.line("Downloading source code...");
        await this.copySource(this.options.source);
        this.logger.line("Finished downloading source code");
      }
      this.checkAborted();

      if (this.options.task.aliasesEnabled) {
        this.logger.line(ALIAS_BANNER);
      }
      await this.createNetworks();
      await this.setUpDockerConfig();
      await this.logIn();
      await this.createSecretVolumes();
      await this.runSteps();
      await this.complete();
      return undefined;
    } catch (error) {
      if (this.abortReason !== undefined) {
        return undefined;
      }
      return errorMessage(error);
    }
  }

  private checkAborted(): void {
    if (this.abortReason !== undefined) {
      throw new RunStopped(this.abortReason);
    }
  }

  /** A docker command whose output is only captured. */
  private dockerQuiet(args: string[], extra: Partial<ProcessRequest> = {}): Promise<ProcessResult> {
    return this.runProcess({ command: this.docker, args, ...extra });
  }

  /** A process whose output goes to the run log line by line as it arrives. */
  private async streamed(request: ProcessRequest): Promise<ProcessResult> {
    const write = (text: string) => {
      if (!this.silenced) {
        this.logger.raw(text);
      }
    };
    const out = new LineSplitter(write);
    const err = new LineSplitter(write);
    const result = await this.runProcess({
      ...request,
      onStdout: (chunk) => out.push(chunk),
      onStderr: (chunk) => err.push(chunk),
    });
    out.flush();
    err.flush();
    return result;
  }

  /** An acb line from a step: dropped once the run phase stopped. */
  private stepLine(message: string): void {
    if (!this.silenced) {
      this.logger.line(message);
    }
  }

  private async createVolume(name: string): Promise<void> {
    await this.lock!.record("volumes", name);
    const result = await this.dockerQuiet([
      "volume",
      "create",
      "--label",
      `${RUN_LABEL}=${this.options.runId}`,
      "--label",
      `${OWNER_LABEL}=${ownerLabelValue()}`,
      name,
    ]);
    if (result.exitCode !== 0) {
      throw new Error(`failed to create volume ${name}: ${result.stderr.trim()}`);
    }
    this.createdVolumes.push(name);
  }

  /** Copies the source context into the workspace volume through a stopped helper container. */
  private async copySource(source: RunSource): Promise<void> {
    if (source.kind === "git") {
      const checkout = await mkdtemp(join(tmpdir(), "acrtask-source-"));
      try {
        const clone = await this.runProcess({
          command: "git",
          args: [
            "clone",
            "--quiet",
            ...(source.branch ? ["--branch", source.branch] : []),
            "--",
            source.url,
            checkout,
          ],
          signal: this.runAbort.signal,
        });
        if (clone.exitCode !== 0) {
          throw new Error(`failed to download the source: ${clone.stderr.trim()}`);
        }
        const folder = source.folder ? join(checkout, source.folder) : checkout;
        await this.copyIntoWorkspace({ kind: "directory", path: folder }, WORKSPACE_MOUNT);
      } finally {
        await rm(checkout, { recursive: true, force: true });
      }
      return;
    }
    await this.copyIntoWorkspace(source, WORKSPACE_MOUNT);
  }

  /**
   * Copies a host folder's content, or unpacks a (compressed) tar, into a folder of the workspace
   * volume through a stopped helper container.
   */
  private async copyIntoWorkspace(
    source: { kind: "directory" | "archive"; path: string },
    destination: string,
  ): Promise<void> {
    if (destination !== WORKSPACE_MOUNT) {
      const made = await this.dockerQuiet([
        "run",
        "--rm",
        "--volume",
        `${this.context.workspaceVolume}:${WORKSPACE_MOUNT}`,
        "--entrypoint",
        "sh",
        this.context.dockerCliImage,
        "-c",
        'mkdir -p "$1"',
        "sh",
        destination,
      ]);
      if (made.exitCode !== 0) {
        throw new Error(`failed to make ${destination}: ${made.stderr.trim()}`);
      }
    }

    const helper = `acb_source_${randomUUID()}`;
    this.internalContainers.add(helper);
    await this.lock!.record("containers", helper);
    const created = await this.dockerQuiet([
      "create",
      "--name",
      helper,
      "--volume",
      `${this.context.workspaceVolume}:${WORKSPACE_MOUNT}`,
      this.context.dockerCliImage,
    ]);
    if (created.exitCode !== 0) {
      throw new Error(`failed to prepare the source: ${created.stderr.trim()}`);
    }

    const copied =
      source.kind === "archive"
        ? await this.dockerQuiet(["cp", "-", `${helper}:${destination}`], {
            stdinPath: source.path,
          })
        : await this.dockerQuiet(["cp", `${source.path}/.`, `${helper}:${destination}`]);
    await this.dockerQuiet(["rm", "-f", helper]);
    this.internalContainers.delete(helper);
    if (copied.exitCode !== 0) {
      throw new Error(`failed to download the source: ${(copied.stderr || copied.stdout).trim()}`);
    }
  }

  private async createNetworks(): Promise<void> {
    for (const network of this.options.task.networks) {
      this.checkAborted();
      if (network.skipCreation) {
        this.logger.line(`Skip creating network: ${network.name}`);
        continue;
      }
      this.logger.line(`Creating Docker network: ${network.name}, driver: '${network.driver}'`);
      await this.lock!.record("networks", network.name);
      const result = await this.dockerQuiet(
        networkCreateArgs(network, [
          `${RUN_LABEL}=${this.options.runId}`,
          `${OWNER_LABEL}=${ownerLabelValue()}`,
        ]),
      );
      if (result.exitCode !== 0) {
        await this.lock!.forget("networks", network.name);
        throw new RunStopped(
          `failed to create network: ${network.name}, err: ${exitError(result)}, msg: ` +
            `${result.stderr}${result.stdout}`,
        );
      }
      this.createdNetworks.push(network);
      this.logger.line(`Successfully set up Docker network: ${network.name}`);
    }
  }

  private async setUpDockerConfig(): Promise<void> {
    this.checkAborted();
    this.logger.line("Setting up Docker configuration...");
    const name = `acb_init_config_${randomUUID()}`;
    const result = await this.internalContainer(name, dockerConfigArgs(name, this.context), {
      stdin: DOCKER_CONFIG_JSON,
      timeoutSeconds: DOCKER_CONFIG_TIMEOUT_SECONDS,
    });
    if (result.exitCode !== 0) {
      throw new RunStopped(
        `failed to setup config, msg: ${result.stdout}${result.stderr}: ${exitError(result)}`,
      );
    }
    this.logger.line("Successfully set up Docker configuration");
  }

  /** Runs a short-lived container of the runner's own, with a deadline and crash bookkeeping. */
  private async internalContainer(
    name: string,
    args: string[],
    extra: { stdin?: string; timeoutSeconds: number },
  ): Promise<ProcessResult> {
    this.internalContainers.add(name);
    await this.lock!.record("containers", name);
    const signal = AbortSignal.any([
      this.runAbort.signal,
      AbortSignal.timeout(extra.timeoutSeconds * 1000),
    ]);
    const result = await this.dockerQuiet(args, { stdin: extra.stdin, signal });
    if (!result.aborted) {
      this.internalContainers.delete(name);
    }
    return result;
  }

  /** The registries to log in to: the run's own first, then the task's credentials. */
  private registryLogins(): RegistryLogin[] {
    const logins = new Map<string, RegistryLogin>();
    const registry = this.options.registry;
    if (registry) {
      logins.set(registry.loginServer, {
        registry: registry.loginServer,
        username: registry.username,
        password: registry.password,
      });
    }
    for (const credential of this.options.credentials ?? []) {
      logins.set(credential.registry, credential);
    }
    return [...logins.values()];
  }

  private async logIn(): Promise<void> {
    for (const login of this.registryLogins()) {
      this.checkAborted();
      this.logger.line(`Logging in to registry: ${login.registry}`);
      const deadline = AbortSignal.timeout(LOGIN_TIMEOUT_SECONDS * 1000);
      let output = "";
      let succeeded = false;
      for (let attempt = 0; attempt < LOGIN_ATTEMPTS && !succeeded; attempt++) {
        if (attempt > 0) {
          await abortableDelay(backoffMilliseconds(attempt - 1), this.runAbort.signal);
        }
        if (deadline.aborted) {
          break;
        }
        this.checkAborted();
        const name = `acb_docker_login_${randomUUID()}`;
        const result = await this.internalContainer(
          name,
          loginArgs(name, login.registry, login.username, this.context),
          { stdin: `${login.password}\n`, timeoutSeconds: LOGIN_TIMEOUT_SECONDS },
        );
        succeeded = result.exitCode === 0;
        output = `${result.stdout}${result.stderr}`;
      }
      this.checkAborted();
      if (!succeeded) {
        throw new RunStopped(
          `failed to login, ran out of retries: failed to set docker credentials: ` +
            `${output}: exit status 1`,
        );
      }
      this.logger.line(`Successfully logged into ${login.registry}`);
    }
  }

  /**
   * Secret volumes (§4.6): each file holds its decoded value plus a newline, in the workspace
   * folder `<name>` and in the Docker volume `<name>`. The values are written as they are (acb's
   * unquoted here-document would let the shell expand `$` and backticks in them).
   */
  private async createSecretVolumes(): Promise<void> {
    for (const volume of this.options.task.volumes) {
      this.checkAborted();
      const lines: string[] = [];
      for (const [file, value] of Object.entries(volume.secret)) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
          throw new RunStopped(
            "failed to decode Base64 value. please make sure value provided is Base64 encoded",
          );
        }
        lines.push(`${file} ${value}`);
      }
      await this.createVolume(volume.name);
      const name = `acb_secret_volume_${randomUUID()}`;
      const script =
        'set -e; mkdir -p "$0"; while read -r file value; do ' +
        'printf "%s" "$value" | base64 -d > "$0/$file"; echo >> "$0/$file"; ' +
        'cp "$0/$file" /dest/; done';
      const result = await this.internalContainer(
        name,
        [
          "run",
          "--name",
          name,
          "--rm",
          "-i",
          "--volume",
          `${this.context.workspaceVolume}:${WORKSPACE_MOUNT}`,
          "--volume",
          `${volume.name}:/dest`,
          "--workdir",
          WORKSPACE_MOUNT,
          "--entrypoint",
          "sh",
          this.context.dockerCliImage,
          "-c",
          script,
          volume.name,
        ],
        { stdin: `${lines.join("\n")}\n`, timeoutSeconds: DOCKER_CONFIG_TIMEOUT_SECONDS },
      );
      if (result.exitCode !== 0) {
        throw new RunStopped(`${result.stderr}${result.stdout}: ${exitError(result)}`);
      }
      this.logger.line(`Volume source ${volume.name} successfully created`);
    }
  }

  /** Runs the step graph (§4.7) until every step completed or one failed. */
  private runSteps(): Promise<void> {
    const steps = new Map(this.options.task.steps.map((step) => [step.id, step]));
    const scheduler = new StepScheduler(this.graph);
    const running = new Set<Promise<void>>();

    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = (error?: Error) => {
        if (finished) {
          return;
        }
        finished = true;
        if (error) {
          this.silenced = true;
          this.phaseAbort.abort();
          // The steps still running are stopped, not awaited for their result.
          void Promise.allSettled([...running]).then(() => reject(error));
        } else {
          resolve();
        }
      };

      const start = (id: string) => {
        const execution = this.runStep(steps.get(id)!).then(
          () => {
            running.delete(execution);
            if (finished) {
              return;
            }
            scheduler.complete(id).forEach(start);
            if (scheduler.finished) {
              finish();
            }
          },
          (error: unknown) => {
            running.delete(execution);
            finish(new RunStopped(errorMessage(error)));
          },
        );
        running.add(execution);
      };

      if (steps.size === 0) {
        finish();
        return;
      }
      this.runAbort.signal.addEventListener("abort", () => finish(new RunStopped("canceled")), {
        once: true,
      });
      scheduler.start().forEach(start);
    });
  }

  /** One step: prologue, its work, and ignoreErrors. Rejects with RunStopped on failure. */
  private async runStep(step: Step): Promise<void> {
    const outcome = this.stepOutcomes.get(step.id)!;
    outcome.status = "Canceled";
    await this.lock!.record("containers", step.id);
    this.stepLine(
      `Executing step ID: ${step.id}. Timeout(sec): ${step.timeout}, Working directory: ` +
        `'${step.workingDirectory}', Network: '${step.network}'`,
    );
    if (step.startDelay > 0) {
      this.stepLine(`Waiting ${step.startDelay} seconds before executing step ID: ${step.id}`);
      await abortableDelay(step.startDelay * 1000, this.phaseAbort.signal);
    }

    let error: string | undefined;
    try {
      if (step.kind === "cmd" && step.pull) {
        this.stepLine("Step specified pull. Performing an explicit pull...");
        error = await this.containerLoop(
          "",
          { command: this.docker, args: pullArgs(step.cmd, this.context) },
          {
            retries: step.cmdDownloadRetries,
            retryDelay: step.cmdDownloadRetryDelay,
            retryOnErrors: [],
            repeat: 0,
          },
          this.phaseAbort.signal,
        );
      }
      outcome.startTime = this.clock();
      const started = this.monotonicMilliseconds();
      try {
        if (error === undefined) {
          error = await this.stepWork(step);
        }
      } finally {
        this.elapsedMilliseconds.set(step.id, this.monotonicMilliseconds() - started);
      }
    } finally {
      outcome.finishTime = this.clock();
    }

    if (this.phaseAbort.signal.aborted) {
      outcome.status = "Canceled";
      throw new RunStopped("canceled");
    }
    if (error === undefined) {
      outcome.status = "Succeeded";
      return;
    }
    outcome.error = error;
    if (step.ignoreErrors) {
      outcome.status = "Succeeded";
      this.stepLine(
        `Step ID: ${step.id} encountered an error: ${error}, but is set to ignore ` +
          `errors. Continuing...`,
      );
      return;
    }
    outcome.status = "Failed";
    throw new RunStopped(`failed to run step ID: ${step.id}: ${error}`);
  }

  /** The step's own work under its deadline; resolves with its error text, if any. */
  private async stepWork(step: Step): Promise<string | undefined> {
    // acb's cache builds need its buildkitd and buildx images, which a local engine lacks.
    if (step.usesBuildCache) {
      return (
        "the local runner cannot build with 'cache: enabled' (no buildkit builder " +
        "image); remove it to build on the local engine"
      );
    }
    let buildStep = step;
    if (step.kind === "build") {
      this.stepLine("Scanning for dependencies...");
      try {
        const signal = AbortSignal.any([
          this.phaseAbort.signal,
          AbortSignal.timeout(SCAN_TIMEOUT_SECONDS * 1000),
        ]);
        const rewrite = await this.dependencies.scan(step, this.dependencyContext(signal));
        if (rewrite) {
          buildStep = { ...step, ...rewrite };
        }
      } catch (scanError) {
        const failure = scanFailure(scanError);
        this.stepLine(`Output from dependency scanning: ${failure.output}`);
        return `failed to scan dependencies: ${failure.message}`;
      }
      this.stepLine("Successfully scanned dependencies");
    }

    const deadline = AbortSignal.timeout(step.timeout * 1000);
    const signal = AbortSignal.any([deadline, this.phaseAbort.signal]);
    if (step.kind === "push") {
      return this.pushImages(step, signal, deadline);
    }
    const shellText =
      step.kind === "build"
        ? buildStepShellCommand(buildStep, this.context)
        : cmdStepShellCommand(step, this.context);
    return this.containerLoop(
      step.id,
      { command: "/bin/sh", args: ["-c", shellText] },
      step,
      signal,
      deadline,
    );
  }

  private dependencyContext(signal: AbortSignal): BuildDependencyContext {
    return {
      docker: this.docker,
      dockerCliImage: this.context.dockerCliImage,
      workspaceVolume: this.context.workspaceVolume,
      homeVolume: this.context.homeVolume,
      hostDockerSocket: this.context.hostDockerSocket,
      runProcess: this.runProcess,
      signal,
      logLine: (message) => this.stepLine(message),
      copyIntoWorkspace: (source, destination) => this.copyIntoWorkspace(source, destination),
    };
  }

  /**
   * acb's container loop (§4.12): `repeat + 1` repetitions, each with up to `retries + 1`
   * attempts; resolves with the failed repetitions' errors joined by ", ", or undefined.
   */
  private async containerLoop(
    name: string,
    command: { command: string; args: string[] },
    policy: Pick<Step, "retries" | "retryDelay" | "retryOnErrors" | "repeat">,
    signal: AbortSignal,
    deadline?: AbortSignal,
  ): Promise<string | undefined> {
    const errors: string[] = [];
    for (let repetition = 0; repetition <= policy.repeat; repetition++) {
      let error: string | undefined;
      for (let attempt = 0; attempt <= policy.retries; attempt++) {
        this.stepLine(`Launching container with name: ${name}`);
        const result = await this.streamed({ ...command, signal });
        if (result.exitCode === 0 && !result.aborted) {
          this.stepLine(`Successfully executed container: ${name}`);
          error = undefined;
          break;
        }
        if (this.phaseAbort.signal.aborted) {
          return "canceled";
        }
        const timedOut = deadline?.aborted === true;
        error = timedOut ? DEADLINE_ERROR : exitError(result);
        const output = `${result.stdout}${result.stderr}`;
        const retryable =
          policy.retryOnErrors.length === 0 ||
          policy.retryOnErrors.some((text) => output.includes(text));
        if (attempt < policy.retries && retryable && !timedOut) {
          this.stepLine(
            `Container failed during run: ${name}, waiting ${policy.retryDelay} seconds ` +
              `before retrying...`,
          );
          await abortableDelay(policy.retryDelay * 1000, signal);
          continue;
        }
        this.stepLine(`Container failed during run: ${name}. No retries remaining.`);
        break;
      }
      if (error !== undefined) {
        errors.push(error);
        if (error === DEADLINE_ERROR) {
          break;
        }
      }
    }
    return errors.length > 0 ? errors.join(", ") : undefined;
  }

  /** A push step (§4.11): each image up to three attempts, all under the step's deadline. */
  private async pushImages(
    step: Step,
    signal: AbortSignal,
    deadline: AbortSignal,
  ): Promise<string | undefined> {
    for (const image of step.push) {
      let pushed = false;
      for (let attempt = 1; attempt <= PUSH_ATTEMPTS && !pushed; attempt++) {
        if (signal.aborted) {
          break;
        }
        this.stepLine(`Pushing image: ${image}, attempt ${attempt}`);
        const name = `acb_docker_push_${randomUUID()}`;
        this.internalContainers.add(name);
        await this.lock!.record("containers", name);
        const result = await this.streamed({
          command: this.docker,
          args: pushArgs(name, image, this.context),
          signal,
        });
        if (result.exitCode === 0 && !result.aborted) {
          pushed = true;
          this.internalContainers.delete(name);
          this.stepLine(`Successfully pushed image: ${image}`);
          const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1];
          this.images.push({
            image,
            ...splitImageReference(image),
            ...(digest ? { digest } : {}),
          });
          break;
        }
        await abortableDelay(backoffMilliseconds(attempt - 1), signal);
      }
      if (this.phaseAbort.signal.aborted) {
        return "canceled";
      }
      if (deadline.aborted) {
        return DEADLINE_ERROR;
      }
      if (!pushed) {
        return "failed to push images successfully";
      }
    }
    return undefined;
  }

  /** Summary lines in file order, digests of build steps, and the report (§4.14). */
  private async complete(): Promise<void> {
    const dependencies = this.dependencies;
    for (const step of this.options.task.steps) {
      const elapsed = this.elapsedMilliseconds.get(step.id) ?? 0;
      this.logger.line(
        `Step ID: ${step.id} marked as successful (elapsed time in seconds: ` +
          `${formatElapsedSeconds(elapsed)})`,
      );
      if (step.kind === "build") {
        this.logger.line(`Populating digests for step ID: ${step.id}...`);
        try {
          const signal = AbortSignal.any([
            this.runAbort.signal,
            AbortSignal.timeout(DIGEST_TIMEOUT_SECONDS * 1000),
          ]);
          await dependencies.populateDigests(step, this.dependencyContext(signal));
        } catch (digestError) {
          throw new RunStopped(errorMessage(digestError));
        }
        this.logger.line(`Successfully populated digests for step ID: ${step.id}`);
      }
    }
    const report = dependencies.report();
    if (report !== "") {
      this.logger.line("The following dependencies were found:");
      this.logger.line("\n");
      this.logger.raw(report);
    }
  }

  /** §4.15: step containers, networks, then the run's volumes. Never throws. */
  private async cleanup(): Promise<void> {
    const started = [...this.stepOutcomes.values()]
      .filter((outcome) => outcome.status !== "Skipped")
      .map((outcome) => outcome.id);
    const containers = [...started, ...this.internalContainers];
    if (containers.length > 0) {
      await this.dockerQuiet(["rm", "-f", ...containers]).catch(() => undefined);
    }

    for (const network of this.options.task.networks) {
      if (network.skipCreation) {
        this.logger.line(`Skip deleting network: ${network.name}`);
        continue;
      }
      // A network that already existed (creation failed) belongs to someone else.
      if (!this.createdNetworks.includes(network)) {
        continue;
      }
      const result = await this.dockerQuiet(["network", "rm", network.name]);
      if (result.exitCode !== 0) {
        this.logger.line(
          `Failed to delete network: ${network.name}, err: ${exitError(result)}, msg: ` +
            `${result.stderr}${result.stdout}`,
        );
      } else {
        await this.lock?.forget("networks", network.name);
      }
    }

    // The workspace, home and secret volumes. acb keeps `home` and the secret volumes; removing
    // them keeps decoded secrets and credentials from lingering on a shared local engine.
    if (this.createdVolumes.length > 0) {
      await this.dockerQuiet(["volume", "rm", "-f", ...this.createdVolumes]);
    }
  }

  /**
   * Removes the labelled volumes and networks of runs whose process is gone, even when no lock
   * record names them (the machine restarted, taking the record with it). Runs of live processes,
   * on this engine under another state folder, are left alone.
   */
  private async removeOrphans(): Promise<void> {
    for (const kind of ["network", "volume"] as const) {
      const listed = await this.dockerQuiet([
        kind,
        "ls",
        "--filter",
        `label=${OWNER_LABEL}`,
        "--format",
        `{{.Name}}\t{{.Label "${OWNER_LABEL}"}}`,
      ]);
      const orphans = listed.stdout
        .split("\n")
        .map((line) => line.split("\t"))
        .filter(([name, owner]) => name && owner !== undefined && !isOwnerLabelAlive(owner))
        .map(([name]) => name);
      if (orphans.length > 0) {
        await this.dockerQuiet([kind, "rm", ...(kind === "volume" ? ["-f"] : []), ...orphans]);
      }
    }
  }

  /** Removes what a crashed run recorded (its lock owner died before cleaning up). */
  private async removeLeftovers(resources: RunResources): Promise<void> {
    if (resources.containers.length > 0) {
      await this.dockerQuiet(["rm", "-f", ...resources.containers]);
    }
    for (const network of resources.networks) {
      await this.dockerQuiet(["network", "rm", network]);
    }
    if (resources.volumes.length > 0) {
      await this.dockerQuiet(["volume", "rm", "-f", ...resources.volumes]);
    }
  }
}
