// One run at a time per Docker engine. acb's names are global on an engine (step ids are
// container names, `acb_default_network`, secret volumes), and ACR runs one task per agent, so
// runs on one engine take turns rather than being renamed. The turn is a lock folder shared by
// every process on the machine; it also records what the run has created, so that the next run
// removes what a crashed run left behind.

import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

/** What a run has made on the engine and must remove even if its process dies. */
export interface RunResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

interface LockOwner {
  pid: number;
  /** The owner's start time as Linux counts it, so that a recycled pid is not taken for it. */
  processStart?: string;
  runId: string;
  resources: RunResources;
}

export interface EngineLock {
  /** Records created resources (written before the next docker command runs). */
  record(kind: keyof RunResources, name: string): Promise<void>;
  /** Forgets a resource that has been removed. */
  forget(kind: keyof RunResources, name: string): Promise<void>;
  release(): Promise<void>;
}

const POLL_MILLISECONDS = 300;

/** Runs of this process waiting for the lock of an engine, in arrival order. */
const localQueues = new Map<string, Promise<void>>();

/** Field 22 of /proc/<pid>/stat (start time in clock ticks); undefined off Linux. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** This process as a resource owner label value: `<pid>:<start time>`. */
export function ownerLabelValue(): string {
  return `${process.pid}:${processStartOf(process.pid) ?? ""}`;
}

/** Whether the process named by an owner label value still runs (this one included). */
export function isOwnerLabelAlive(value: string): boolean {
  const [pid, start] = value.split(":");
  const owner: LockOwner = {
    pid: Number(pid),
    processStart: start === "" || start === undefined ? undefined : start,
    runId: "",
    resources: { containers: [], networks: [], volumes: [] },
  };
  return Number.isInteger(owner.pid) && owner.pid > 0 && isAlive(owner);
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") {
      return false;
    }
  }
  const started = processStartOf(owner.pid);
  return (
    owner.processStart === undefined || started === undefined || started === owner.processStart
  );
}

async function readOwner(folder: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(folder, "owner.json"), "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

/** The lock folder's name for an engine (its DOCKER_HOST, the local socket by default). */
export function engineKey(): string {
  const host = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  return createHash("sha256").update(host).digest("hex").slice(0, 16);
}

/**
 * Waits for the engine's turn. `removeLeftovers` receives what a dead owner recorded, and runs
 * before this run starts.
 */
export async function acquireEngineLock(options: {
  stateDirectory: string;
  runId: string;
  signal?: AbortSignal;
  removeLeftovers: (resources: RunResources) => Promise<void>;
}): Promise<EngineLock> {
  const key = engineKey();
  const previous = localQueues.get(key) ?? Promise.resolve();
  let releaseLocal!: () => void;
  const mine = new Promise<void>((resolve) => (releaseLocal = resolve));
  const queued = previous.then(() => mine);
  localQueues.set(key, queued);

  try {
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        if (options.signal?.aborted) {
          reject(new Error("canceled"));
        }
        options.signal?.addEventListener("abort", () => reject(new Error("canceled")), {
          once: true,
        });
      }),
    ]);
    const folder = join(options.stateDirectory, `engine-${key}.lock`);
    await takeFolder(folder, options);
    return folderLock(folder, options.runId, () => {
      releaseLocal();
      if (localQueues.get(key) === queued) {
        localQueues.delete(key);
      }
    });
  } catch (error) {
    // A canceled waiter hands its turn on once the ones before it are done.
    void previous.then(releaseLocal);
    throw error;
  }
}

async function takeFolder(
  folder: string,
  options: {
    stateDirectory: string;
    runId: string;
    signal?: AbortSignal;
    removeLeftovers: (resources: RunResources) => Promise<void>;
  },
): Promise<void> {
  await mkdir(options.stateDirectory, { recursive: true, mode: 0o700 });
  for (;;) {
    if (options.signal?.aborted) {
      throw new Error("canceled");
    }
    try {
      await mkdir(folder);
      await writeOwner(folder, {
        pid: process.pid,
        processStart: processStartOf(process.pid),
        runId: options.runId,
        resources: { containers: [], networks: [], volumes: [] },
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }

    const owner = await readOwner(folder);
    // The same pid is this process from an earlier life: its own runs queue before this point.
    if (owner && owner.pid !== process.pid && isAlive(owner)) {
      await delay(POLL_MILLISECONDS);
      continue;
    }
    if (!owner) {
      // The owner may be between mkdir and writing its record: give it a moment.
      await delay(POLL_MILLISECONDS);
      if (await readOwner(folder)) {
        continue;
      }
    }
    if (owner) {
      await options.removeLeftovers(owner.resources);
    }
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeOwner(folder: string, owner: LockOwner): Promise<void> {
  const temporary = join(folder, "owner.json.tmp");
  await writeFile(temporary, JSON.stringify(owner), { mode: 0o600 });
  await rename(temporary, join(folder, "owner.json"));
}

function folderLock(folder: string, runId: string, onRelease: () => void): EngineLock {
  const owner: LockOwner = {
    pid: process.pid,
    processStart: processStartOf(process.pid),
    runId,
    resources: { containers: [], networks: [], volumes: [] },
  };
  let writes = Promise.resolve();
  const save = () => {
    writes = writes.then(() => writeOwner(folder, owner)).catch(() => undefined);
    return writes;
  };
  return {
    record(kind, name) {
      if (!owner.resources[kind].includes(name)) {
        owner.resources[kind].push(name);
      }
      return save();
    },
    forget(kind, name) {
      owner.resources[kind] = owner.resources[kind].filter((entry) => entry !== name);
      return save();
    },
    async release() {
      await writes;
      await rm(folder, { recursive: true, force: true });
      onRelease();
    },
  };
}
