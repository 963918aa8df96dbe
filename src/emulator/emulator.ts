// The emulator process: certificates, identity and state from the data dir; Blob storage
// (Azurite and its CONNECT proxy); one distribution registry per registry resource; the HTTPS
// server with every resource's routes; and `emulator.json`, which tells clients where all of
// it is. A restart finds everything where it was left.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { loadIdentity } from "./server/identity.js";
import { Routes } from "./server/routes.js";
import { startArmServer } from "./server/server.js";
import type { ArmServer } from "./server/server.js";
import { ensureTlsFiles } from "./server/tls.js";
import type { EmulatorServices, RegistryProcesses } from "./server/types.js";
import { openStore } from "./store/sqlite.js";
import type { ResourceStore } from "./store/types.js";
import type { RunLogWriter } from "./blob/log-writer.js";
import type { RegistryEventListener } from "./triggers/base-image.js";
import { createRegistry, registerRegistryRoutes } from "./resources/registries.js";
import type { RegistryDocument } from "./resources/registries.js";
import { ensureResourceGroup, registerResourceGroupRoutes } from "./resources/resource-groups.js";
import { registerResourcesListingRoutes } from "./resources/resources-listing.js";
import { EMULATOR_LOCATION, registerSubscriptionRoutes } from "./resources/subscriptions.js";
import { registerAgentPoolRoutes } from "./resources/agent-pools.js";
import { registerRunRoutes } from "./resources/runs.js";
import { registerScheduleRunRoutes } from "./resources/schedule-run.js";
import { registerTaskRunRoutes } from "./resources/taskruns.js";
import { registerTaskRoutes } from "./resources/tasks.js";
import { REGISTRY_TYPE } from "./resources/shapes.js";

/** What `DIR/emulator.json` holds: everything a client needs to point at the emulator. */
export interface EmulatorConfig {
  armEndpoint: string;
  activeDirectoryEndpoint: string;
  audience: string;
  tenantId: string;
  subscriptionId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  proxyUrl: string | null;
  acrSuffix: string;
  registries: { name: string; loginServer: string; resourceGroup: string }[];
}

export interface EmulatorOptions {
  dataDir: string;
  /** Default: the port of the last start when free, else any free port. */
  port?: number;
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Skip the registry `myregistry` in `myresourcegroup` made at the first start. */
  noDefaultRegistry?: boolean;
  relaxApiVersions?: boolean;
  /** Run a distribution registry per registry resource (default true). */
  runRegistries?: boolean;
  /** Run Azurite and the blob proxy (default true). */
  runBlobStorage?: boolean;
  /**
   * Execute queued runs on the local Docker engine (default true; needs the registries and the
   * blob storage). Without it runs stay Queued and no trigger fires.
   */
  runTasks?: boolean;
  /**
   * Values of Key Vault secrets by secret URL, standing in for Key Vault: task files'
   * `secrets:` resolve from here.
   */
  keyVaultSecrets?: Record<string, string>;
  /** Seconds between two looks at the branches of commit triggers; 10 by default. */
  commitPollSeconds?: number;
  now?: () => Date;
  onRequest?: (method: string, path: string, status: number) => void;
}

export interface RunningEmulator {
  config: EmulatorConfig;
  configPath: string;
  services: EmulatorServices;
  store: ResourceStore;
  stop(): Promise<void>;
}

export const CONFIG_FILE = "emulator.json";
export const DEFAULT_REGISTRY = "myregistry";
export const DEFAULT_RESOURCE_GROUP = "myresourcegroup";
export const ACR_SUFFIX = ".azurecr.io";
/** Blob links name `<account>.blob.localhost`; the proxy and the certificate cover that. */
export const BLOB_ENDPOINT_SUFFIX = "localhost";

const SETTINGS_TYPE = "Acrtask.Emulator/settings";
const DEFAULTS_MARKER = "/acrtask/settings/defaultRegistryCreated";

const LOCK_FILE = "emulator.pid";

/** Data dirs in use by this process. */
const lockedHere = new Set<string>();

/**
 * One emulator per data dir: two would share one SQLite file and fight over the registries'
 * ports. The lock names the owning process, so one that died leaves no stale lock behind.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const owner = Number.parseInt(existsSync(path) ? readFileSync(path, "utf8") : "", 10);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  };

  if (
    lockedHere.has(dataDir) ||
    (Number.isInteger(owner) && owner !== process.pid && alive(owner))
  ) {
    const who = lockedHere.has(dataDir) ? "this process" : `process ${owner}`;
    throw new Error(
      `Another emulator (${who}) is already running on '${dataDir}'. Stop it first, or use ` +
        "another --data-dir.",
    );
  }

  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  lockedHere.add(dataDir);
  return () => {
    lockedHere.delete(dataDir);
    rmSync(path, { force: true });
  };
}

/** Reads `DIR/emulator.json`, or explains how to make it. */
export function readEmulatorConfig(dataDir: string): EmulatorConfig {
  const path = join(dataDir, CONFIG_FILE);
  if (!existsSync(path)) {
    throw new Error(
      `No emulator found in '${dataDir}': ${CONFIG_FILE} is missing. ` +
        `Start one with 'acrtask emulator start --data-dir ${dataDir}'.`,
    );
  }
  return JSON.parse(readFileSync(path, "utf8")) as EmulatorConfig;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = lockDataDir(dataDir);
  const cleanups: (() => Promise<void>)[] = [async () => releaseLock()];

  try {
    const tls = ensureTlsFiles(dataDir);
    const identity = loadIdentity(dataDir);
    const store = openStore(join(dataDir, "emulator.sqlite"));
    cleanups.unshift(async () => store.close());

    const runsTasks =
      options.runTasks !== false &&
      options.runRegistries !== false &&
      options.runBlobStorage !== false;

    // Pushes to the registries reach the base-image triggers through distribution's events.
    let registryEvents: RegistryEventListener | undefined;
    if (runsTasks) {
      const { BaseImageTriggers, listenForRegistryEvents } =
        await import("./triggers/base-image.js");
      const baseImageTriggers = new BaseImageTriggers({ store, now: options.now });
      registryEvents = await listenForRegistryEvents((push) => {
        try {
          baseImageTriggers.onPush(push);
        } catch {
          // A push that cannot be matched triggers nothing; the registry carries on.
        }
      });
      cleanups.unshift(registryEvents.close);
    }

    const registryProcesses =
      options.runRegistries === false
        ? undefined
        : await registryProcessesFor(dataDir, registryEvents);
    if (registryProcesses !== undefined) {
      cleanups.unshift(registryProcesses.stopAll);
    }

    const blob = options.runBlobStorage === false ? undefined : await startBlobSide(dataDir, tls);
    if (blob !== undefined) {
      cleanups.unshift(blob.stop);
    }

    const routes = new Routes();
    registerAllRoutes(routes);

    const server = await listen(options, dataDir, {
      tls,
      identity,
      store,
      routes,
      host: options.host,
      relaxApiVersions: options.relaxApiVersions,
      now: options.now,
      onRequest: options.onRequest,
      services: {
        dataDir,
        registryProcesses: registryProcesses?.processes,
        ...(blob === undefined ? {} : { runBlobLinks: blob.links }),
      },
    });
    cleanups.unshift(server.close);

    if (registryProcesses !== undefined) {
      await restartRegistries(server.services, registryProcesses.processes);
    }
    if (options.noDefaultRegistry !== true) {
      await createDefaultRegistry(server.services);
    }

    if (runsTasks && registryProcesses !== undefined && blob !== undefined) {
      const agent = await startRunAgent(
        dataDir,
        store,
        registryProcesses.processes,
        blob,
        options.keyVaultSecrets ?? {},
      );
      // Before the registries and the blob storage stop: a run in progress cleans up first.
      cleanups.unshift(() => agent.stop());

      const { CommitTriggers } = await import("./triggers/commit.js");
      const commitTriggers = new CommitTriggers({
        store,
        intervalSeconds: options.commitPollSeconds,
        now: options.now,
      });
      commitTriggers.start();
      cleanups.unshift(() => commitTriggers.stop());

      const { TimerTriggers } = await import("./triggers/timer.js");
      const timerTriggers = new TimerTriggers({ store, now: options.now });
      timerTriggers.start();
      cleanups.unshift(async () => timerTriggers.stop());
    }

    const config: EmulatorConfig = {
      armEndpoint: server.armEndpoint,
      activeDirectoryEndpoint: `${server.armEndpoint}/adfs`,
      audience: identity.settings.audience,
      tenantId: identity.settings.tenantId,
      subscriptionId: identity.settings.subscriptionId,
      clientId: identity.settings.clientId,
      clientSecret: identity.settings.clientSecret,
      caCertPath: tls.caCertPath,
      proxyUrl: blob?.proxyUrl ?? null,
      acrSuffix: ACR_SUFFIX,
      registries: listRegistries(store),
    };
    const configPath = join(dataDir, CONFIG_FILE);
    writeConfig(configPath, config);
    server.services.onRegistriesChanged = () => {
      config.registries = listRegistries(store);
      writeConfig(configPath, config);
    };

    return {
      config,
      configPath,
      services: server.services,
      store,
      stop: async () => {
        for (const cleanup of cleanups) {
          await cleanup();
        }
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) {
      await cleanup().catch(() => undefined);
    }
    throw error;
  }
}

/** Every resource's routes; the Tasks surface registers itself through its own modules. */
export function registerAllRoutes(routes: Routes): void {
  registerSubscriptionRoutes(routes);
  registerResourceGroupRoutes(routes);
  registerResourcesListingRoutes(routes);
  registerRegistryRoutes(routes);
  registerTaskRoutes(routes);
  registerRunRoutes(routes);
  registerScheduleRunRoutes(routes);
  registerTaskRunRoutes(routes);
  registerAgentPoolRoutes(routes);
}

/** The last start's port when no port is asked for, so clients' cached endpoints stay right. */
async function listen(
  options: EmulatorOptions,
  dataDir: string,
  serverOptions: Parameters<typeof startArmServer>[0],
): Promise<ArmServer> {
  if (options.port !== undefined) {
    return startArmServer({ ...serverOptions, port: options.port });
  }

  const previous = previousPort(dataDir);
  if (previous !== undefined) {
    try {
      return await startArmServer({ ...serverOptions, port: previous });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") {
        throw error;
      }
    }
  }
  return startArmServer({ ...serverOptions, port: 0 });
}

function previousPort(dataDir: string): number | undefined {
  try {
    const { armEndpoint } = readEmulatorConfig(dataDir);
    const port = Number.parseInt(new URL(armEndpoint).port, 10);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

function writeConfig(path: string, config: EmulatorConfig): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

export function listRegistries(store: ResourceStore): EmulatorConfig["registries"] {
  return store.list<RegistryDocument>(REGISTRY_TYPE).map((registry) => ({
    name: registry.document.name,
    loginServer: String(registry.document.properties.loginServer),
    resourceGroup: registry.id.split("/")[4] ?? "",
  }));
}

/** `myregistry` in `myresourcegroup`, once: deleting it later is respected across restarts. */
async function createDefaultRegistry(services: EmulatorServices): Promise<void> {
  if (services.store.get(DEFAULTS_MARKER) !== undefined) {
    return;
  }
  ensureResourceGroup(services, DEFAULT_RESOURCE_GROUP, EMULATOR_LOCATION);
  await createRegistry(services, {
    resourceGroupName: DEFAULT_RESOURCE_GROUP,
    name: DEFAULT_REGISTRY,
    location: EMULATOR_LOCATION,
    sku: "Standard",
    adminUserEnabled: true,
  });
  services.store.put({ id: DEFAULTS_MARKER, type: SETTINGS_TYPE, document: { created: true } });
}

/** Starts the registry process of every stored registry; a changed port updates loginServer. */
async function restartRegistries(
  services: EmulatorServices,
  processes: RegistryProcesses,
): Promise<void> {
  for (const registry of services.store.list<RegistryDocument>(REGISTRY_TYPE)) {
    const started = await processes.start(registry.document.name);
    if (registry.document.properties.loginServer !== started.loginServer) {
      const document = { ...registry.document };
      document.properties = { ...document.properties, loginServer: started.loginServer };
      services.store.put({ id: registry.id, type: REGISTRY_TYPE, document });
    }
  }
}

async function registryProcessesFor(
  dataDir: string,
  events: RegistryEventListener | undefined,
): Promise<{ processes: RegistryProcesses; stopAll: () => Promise<void> }> {
  const registries = await import("./registries/index.js");
  return {
    processes: {
      start: async (name) => {
        const notifications = events ? [events.endpointFor(name)] : [];
        const handle = await registries.startRegistry({ dataDir, name, notifications });
        return {
          loginServer: handle.loginServer,
          username: handle.username,
          passwords: handle.passwords,
        };
      },
      remove: (name) => registries.deleteRegistry(dataDir, name),
      credentials: (name) => registries.readRegistryCredentials(dataDir, name),
    },
    stopAll: () => registries.stopAllRegistries(),
  };
}

/** The agent that executes queued runs, with the registries and the logs it works with. */
async function startRunAgent(
  dataDir: string,
  store: ResourceStore,
  processes: RegistryProcesses,
  blob: BlobSide,
  keyVaultSecrets: Record<string, string>,
): Promise<{ stop(): Promise<void> }> {
  const { RunAgent } = await import("./agent/run-agent.js");
  const agent = new RunAgent({
    store,
    keyVaultSecrets,
    workDirectory: join(dataDir, "agent"),
    registryLogin: async (name) => {
      const registry = await processes.start(name);
      return {
        loginServer: registry.loginServer,
        username: registry.username,
        password: registry.passwords[0],
      };
    },
    openLog: (registryName, runId, append) => blob.openLog(registryName, runId, append),
    downloadUpload: (registryName, relativePath, file) =>
      blob.downloadUpload(registryName, relativePath, file),
  });
  await agent.start();
  return agent;
}

interface BlobSide {
  proxyUrl: string;
  openLog(registryName: string, runId: string, append: boolean): Promise<RunLogWriter>;
  downloadUpload(registryName: string, relativePath: string, file: string): Promise<void>;
  links: {
    logLink(registry: { name: string }, runId: string): Promise<string>;
    sourceUploadLink(registry: { name: string }, relativePath: string): Promise<string>;
  };
  stop(): Promise<void>;
}

/** Azurite with the emulator's certificate, the CONNECT proxy in front, and the SAS links. */
async function startBlobSide(
  dataDir: string,
  tls: { certPath: string; keyPath: string; caCertPath: string },
): Promise<BlobSide> {
  const blob = await import("./blob/index.js");
  const azurite = await blob.startAzurite({
    dataDir,
    certPath: tls.certPath,
    keyPath: tls.keyPath,
    caPath: tls.caCertPath,
  });

  let proxy: Awaited<ReturnType<typeof blob.startBlobProxy>>;
  try {
    proxy = await blob.startBlobProxy({
      endpointSuffix: BLOB_ENDPOINT_SUFFIX,
      azuritePort: azurite.port,
    });
  } catch (error) {
    await azurite.stop();
    throw error;
  }

  const location = { account: azurite.account, endpointSuffix: BLOB_ENDPOINT_SUFFIX };
  return {
    proxyUrl: proxy.url,
    openLog: async (registryName, runId, append) =>
      blob.openRunLogWriter(
        await azurite.serviceClient(),
        blob.runLogLocation(registryName, runId),
        { append },
      ),
    downloadUpload: async (registryName, relativePath, file) => {
      const service = await azurite.serviceClient();
      const container = service.getContainerClient(registryName.toLowerCase());
      await container.getBlobClient(relativePath).downloadToFile(file);
    },
    links: {
      logLink: (registry, runId) =>
        blob.createLogLink({ ...location, ...blob.runLogLocation(registry.name, runId) }),
      // Uploads go to a container per registry, named after it (registry names are valid
      // container names once lower-cased).
      sourceUploadLink: async (registry, relativePath) => {
        const container = registry.name.toLowerCase();
        await azurite.ensureContainer(container);
        return blob.createUploadLink({ ...location, container, blobName: relativePath });
      },
    },
    stop: async () => {
      await proxy.stop();
      await azurite.stop();
    },
  };
}
