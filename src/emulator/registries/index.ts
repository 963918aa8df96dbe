// The emulated "Azure container registries": one distribution registry process per registry,
// behind an auth front on its own loopback port that accepts the admin user with either admin
// password, with its storage under `<dataDir>/registries/<name>/`. A registry's port and
// credentials are kept in that folder, so an emulator restart brings it back on the same login
// server when it can.
//
//   const registry = await startRegistry({ dataDir, name: "myregistry" });
//   registry.loginServer;            // "localhost:41234"
//   await registry.stop();           // the content stays
//   await deleteRegistry(dataDir, "myregistry");   // stops it if running, removes everything

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startAuthFront } from "./auth-front.js";
import type { AuthFront } from "./auth-front.js";
import { stopLeftoverProcess, stopProcess, writePidFile } from "./child-process.js";
import { generateCredentials, generateRegistryPassword } from "./credentials.js";
import type { RegistryCredentials } from "./credentials.js";

export type { RegistryCredentials } from "./credentials.js";

/** Where distribution should post its events (pushes, deletes), e.g. for base-image triggers. */
export interface RegistryNotificationEndpoint {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

export interface StartRegistryOptions {
  /** The emulator's data folder; the registry lives in `<dataDir>/registries/<name>/`. */
  dataDir: string;
  /** The ACR registry name: 5 to 50 letters and digits. */
  name: string;
  /** The distribution binary; `docker-registry` (Debian's name) on PATH by default. */
  registryBinary?: string;
  /** A port to use instead of the one kept from the last start. */
  port?: number;
  notifications?: RegistryNotificationEndpoint[];
  /** How long to wait for the registry to answer; 15 s by default. */
  startTimeoutMs?: number;
}

export interface RegistryHandle extends RegistryCredentials {
  name: string;
  /** `localhost:<port>`, what `docker login`/`push` and ACR's `loginServer` use. */
  loginServer: string;
  port: number;
  /**
   * The port the registry had before this start when it could not get it back (taken by
   * another process); undefined when the registry kept its port or is new.
   */
  previousPort?: number;
  /** The registry's folder. */
  directory: string;
  /** Stops the process; the content stays. */
  stop(): Promise<void>;
}

/** What a registry's folder keeps between starts (`registry.json`, readable by its owner only). */
interface RegistryState extends RegistryCredentials {
  name: string;
  port: number;
  /** Distribution signs upload state with it; kept so an upload survives a restart. */
  httpSecret: string;
}

const STATE_FILE = "registry.json";
const PID_FILE = "registry.pid";
const CONFIG_FILE = "config.yml";
const SOCKET_FILE = "registry.sock";
/** Linux refuses unix socket paths longer than this (108 bytes with the terminating zero). */
const MAX_SOCKET_PATH = 107;
const REGISTRY_NAME_PATTERN = /^[a-zA-Z0-9]{5,50}$/;

interface RunningRegistry {
  handle: RegistryHandle;
  child: ChildProcess;
  front: AuthFront;
  state: RegistryState;
  options: StartRegistryOptions;
}

/**
 * Registries started by this process, by folder (a start in progress included), so that a
 * second start, stop and delete by name find the process.
 */
const running = new Map<string, Promise<RunningRegistry>>();

/** The folder of registry `name`; names are compared without regard to case, as ACR does. */
export function registryDirectory(dataDir: string, name: string): string {
  if (!REGISTRY_NAME_PATTERN.test(name)) {
    throw new Error(
      `Registry name '${name}' is invalid: use 5 to 50 letters and digits (a-z, A-Z, 0-9).`,
    );
  }
  return join(dataDir, "registries", name.toLowerCase());
}

/** The names of the registries kept in `dataDir`, to start again when the emulator starts. */
export async function listStoredRegistries(dataDir: string): Promise<string[]> {
  const folders = await readdir(join(dataDir, "registries")).catch(() => []);
  const names: string[] = [];
  for (const folder of folders.sort()) {
    const state = await readState(join(dataDir, "registries", folder));
    if (state) {
      names.push(state.name);
    }
  }
  return names;
}

/** The kept admin credentials of a registry (listCredentials), without starting it. */
export async function readRegistryCredentials(
  dataDir: string,
  name: string,
): Promise<RegistryCredentials | undefined> {
  const state = await readState(registryDirectory(dataDir, name));
  return state && { username: state.username, passwords: state.passwords };
}

/**
 * Starts the registry, creating it (credentials, folder) on first use. A registry already
 * running (or starting) in this process is returned as it is.
 */
export async function startRegistry(options: StartRegistryOptions): Promise<RegistryHandle> {
  const directory = registryDirectory(options.dataDir, options.name);
  let entry = running.get(directory);
  if (!entry) {
    entry = launchRegistry(directory, options);
    running.set(directory, entry);
    entry.catch(() => running.delete(directory));
  }
  return (await entry).handle;
}

async function launchRegistry(
  directory: string,
  options: StartRegistryOptions,
): Promise<RunningRegistry> {
  await mkdir(join(directory, "storage"), { recursive: true, mode: 0o700 });
  // A registry left running by an emulator that was killed holds the port and the storage.
  await stopLeftoverProcess(join(directory, PID_FILE), join(directory, CONFIG_FILE));
  const stored = await readState(directory);
  const state: RegistryState = stored ?? {
    name: options.name,
    port: 0,
    httpSecret: randomBytes(32).toString("hex"),
    ...generateCredentials(options.name),
  };
  // Registries made before the auth front kept a hash file; the front needs none.
  await rm(join(directory, "htpasswd"), { force: true });

  const { child, socketPath } = await launchDistribution(directory, state, options);
  let front: AuthFront;
  try {
    front = await startFront(state, socketPath, options.port ?? state.port, () => entry.state);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  const port = front.port;
  const previousPort = stored && port !== stored.port ? stored.port : undefined;
  state.port = port;
  await writeState(directory, state);

  const entry: RunningRegistry = {
    child,
    front,
    state,
    options,
    handle: {
      name: state.name,
      loginServer: `localhost:${port}`,
      port,
      previousPort,
      username: state.username,
      passwords: state.passwords,
      directory,
      stop: async () => {
        running.delete(directory);
        await entry.front.close();
        await stopProcess(entry.child);
        await rm(join(directory, PID_FILE), { force: true });
      },
    },
  };
  return entry;
}

/** Stops registry `name` if this process started it; its content stays. */
export async function stopRegistry(dataDir: string, name: string): Promise<void> {
  await (await runningEntry(registryDirectory(dataDir, name)))?.handle.stop();
}

/** Stops every registry this process started. */
export async function stopAllRegistries(): Promise<void> {
  const directories = [...running.keys()];
  await Promise.all(
    directories.map(async (directory) => (await runningEntry(directory))?.handle.stop()),
  );
}

/** Stops registry `name` if running and removes its folder: images, credentials, port. */
export async function deleteRegistry(dataDir: string, name: string): Promise<void> {
  const directory = registryDirectory(dataDir, name);
  await (await runningEntry(directory))?.handle.stop();
  await rm(directory, { recursive: true, force: true });
}

/**
 * Replaces `password` or `password2` with a new one (ACR's regenerateCredential) and returns
 * the credentials. A running registry's front accepts the new password at once and its handle
 * shows it.
 */
export async function regenerateRegistryPassword(
  dataDir: string,
  name: string,
  passwordName: "password" | "password2",
): Promise<RegistryCredentials> {
  const directory = registryDirectory(dataDir, name);
  const entry = await runningEntry(directory);
  const state = entry?.state ?? (await readState(directory));
  if (!state) {
    throw new Error(`Registry '${name}' does not exist.`);
  }

  const fresh = generateRegistryPassword();
  state.passwords =
    passwordName === "password" ? [fresh, state.passwords[1]] : [state.passwords[0], fresh];
  await writeState(directory, state);

  if (entry) {
    entry.handle.passwords = state.passwords;
  }
  return { username: state.username, passwords: state.passwords };
}

async function runningEntry(directory: string): Promise<RunningRegistry | undefined> {
  return running.get(directory)?.catch(() => undefined);
}

async function readState(directory: string): Promise<RegistryState | undefined> {
  try {
    return JSON.parse(await readFile(join(directory, STATE_FILE), "utf8")) as RegistryState;
  } catch {
    return undefined;
  }
}

async function writeState(directory: string, state: RegistryState): Promise<void> {
  await writeFile(join(directory, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** Distribution's configuration (YAML is a superset of JSON, so JSON it is). */
function registryConfig(
  directory: string,
  state: RegistryState,
  socketPath: string,
  notifications: RegistryNotificationEndpoint[],
): string {
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: "warn", accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(directory, "storage") },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    // Only the front (and the folder's owner) can reach the socket; the front checks auth.
    http: { net: "unix", addr: socketPath, secret: state.httpSecret },
  };
  if (notifications.length > 0) {
    config.notifications = {
      endpoints: notifications.map((endpoint) => ({
        name: endpoint.name,
        url: endpoint.url,
        headers: Object.fromEntries(
          Object.entries(endpoint.headers ?? {}).map(([name, value]) => [name, [value]]),
        ),
        timeout: "2s",
        threshold: 3,
        backoff: "1s",
      })),
    };
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Starts distribution on the registry's socket and resolves once it answers there. */
async function launchDistribution(
  directory: string,
  state: RegistryState,
  options: StartRegistryOptions,
): Promise<{ child: ChildProcess; socketPath: string }> {
  const socketPath = await socketPathFor(directory);
  await rm(socketPath, { force: true });

  const configPath = join(directory, CONFIG_FILE);
  await writeFile(
    configPath,
    registryConfig(directory, state, socketPath, options.notifications ?? []),
    { mode: 0o600 },
  );

  const logPath = join(directory, "registry.log");
  const log = openSync(logPath, "a", 0o600);
  const child = spawn(options.registryBinary ?? "docker-registry", ["serve", configPath], {
    stdio: ["ignore", log, log],
  });
  closeSync(log);

  try {
    await waitUntilAnswering(child, socketPath, options.startTimeoutMs ?? 15_000);
    await writePidFile(join(directory, PID_FILE), child);
    return { child, socketPath };
  } catch (error) {
    await stopProcess(child);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `The registry program '${options.registryBinary ?? "docker-registry"}' was not found.` +
          " Install the distribution registry (Debian package docker-registry).",
      );
    }
    throw new Error(
      `The registry '${state.name}' did not start: ${(error as Error).message} (log: ${logPath})`,
    );
  }
}

/**
 * The socket in the registry's folder, or in a private temporary folder when the data folder's
 * path is too long for a unix socket.
 */
async function socketPathFor(directory: string): Promise<string> {
  const inFolder = join(directory, SOCKET_FILE);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) {
    return inFolder;
  }
  return join(await mkdtemp(join(tmpdir(), "acrtask-registry-")), SOCKET_FILE);
}

/**
 * Opens the front on `wantedPort` when it is free, else on a free one: a registry keeps its
 * login server across restarts when it can.
 */
async function startFront(
  state: RegistryState,
  upstreamSocket: string,
  wantedPort: number,
  credentials: () => RegistryCredentials,
): Promise<AuthFront> {
  const options = { realm: state.name, upstreamSocket, credentials };
  if (wantedPort > 0) {
    try {
      return await startAuthFront({ ...options, port: wantedPort });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") {
        throw error;
      }
    }
  }
  return startAuthFront({ ...options, port: 0 });
}

/** Resolves once `GET /v2/` gets any HTTP answer; rejects when the process exits first. */
function waitUntilAnswering(
  child: ChildProcess,
  socketPath: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    const finish = (error?: Error) => {
      if (!done) {
        done = true;
        child.off("exit", onExit);
        child.off("error", onError);
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      }
    };
    const onExit = (code: number | null) => finish(new Error(`it exited with code ${code}`));
    const onError = (error: Error) => finish(error);
    child.once("exit", onExit);
    child.once("error", onError);

    const probe = () => {
      if (done) {
        return;
      }
      const attempt = request({ socketPath, path: "/v2/", timeout: 1000 }, (answer) => {
        answer.resume();
        finish();
      });
      attempt.on("error", () => {
        if (Date.now() > deadline) {
          finish(new Error(`no answer within ${timeoutMs} ms`));
        } else {
          setTimeout(probe, 50);
        }
      });
      attempt.end();
    };
    probe();
  });
}
