// Azurite's blob service as a child process over HTTPS: the emulator's Blob storage for run
// logs and source uploads. Data stays in `<dataDir>/azurite` across restarts.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { dirname, join } from "node:path";

import type { BlobServiceClient } from "@azure/storage-blob";

import { stopLeftoverProcess, stopProcess, writePidFile } from "../registries/child-process.js";
import { assertAccountName, DEVELOPMENT_ACCOUNT } from "./account.js";
import type { StorageAccount } from "./account.js";

export interface StartAzuriteOptions {
  /** The emulator's data folder; Azurite keeps its blobs in `<dataDir>/azurite`. */
  dataDir: string;
  /** PEM server certificate and key; the certificate must name 127.0.0.1 and the blob hosts. */
  certPath: string;
  keyPath: string;
  /** The PEM CA that issued the certificate, for the emulator's own clients; default certPath. */
  caPath?: string;
  /** Default: Azurite's development account. */
  account?: StorageAccount;
  /** Default 0: any free port. Links go through the blob proxy, so the port may change. */
  port?: number;
  /** Azurite's blob entry point; default the installed azurite package's. */
  azuriteMain?: string;
  startTimeoutMs?: number;
}

export interface AzuriteHandle {
  port: number;
  account: StorageAccount;
  /** Path-style service URL of the account: `https://127.0.0.1:<port>/<account>`. */
  serviceUrl: string;
  /** The CA (PEM) that Azurite's certificate chains to. */
  ca: string;
  /** An SDK client with shared-key access to the account, trusting `ca` (one, reused). */
  serviceClient(): Promise<BlobServiceClient>;
  /**
   * Creates a container unless it exists. Links do not create their container: an upload to
   * a missing one fails with ContainerNotFound, so create it before handing out the link.
   */
  ensureContainer(name: string): Promise<void>;
  stop(): Promise<void>;
}

const LISTENING_PATTERN = /successfully listens on https:\/\/[^\s:]+:(\d+)/;

// Azurite runs as its own process from the installed package, never from a bundle: the name
// is kept out of a literal so that bundlers leave the lookup to Node at run time.
const AZURITE_PACKAGE_JSON = ["azurite", "package.json"].join("/");

function defaultAzuriteMain(): string {
  return join(dirname(require.resolve(AZURITE_PACKAGE_JSON)), "dist/src/blob/main.js");
}

export async function startAzurite(options: StartAzuriteOptions): Promise<AzuriteHandle> {
  const account = options.account ?? DEVELOPMENT_ACCOUNT;
  assertAccountName(account.name);
  const ca = await readFile(options.caPath ?? options.certPath, "utf8");

  const location = join(options.dataDir, "azurite");
  await mkdir(location, { recursive: true, mode: 0o700 });
  // An Azurite left running by an emulator that was killed still holds the data folder.
  const pidFile = join(location, "azurite.pid");
  await stopLeftoverProcess(pidFile, location);

  // Azurite serves its development account unless AZURITE_ACCOUNTS names others; an inherited
  // value must not decide which account this Azurite serves.
  const environment = { ...process.env };
  delete environment.AZURITE_ACCOUNTS;
  if (account.name !== DEVELOPMENT_ACCOUNT.name || account.key !== DEVELOPMENT_ACCOUNT.key) {
    environment.AZURITE_ACCOUNTS = `${account.name}:${account.key}`;
  }

  const child = spawn(
    process.execPath,
    [
      options.azuriteMain ?? defaultAzuriteMain(),
      ...["--blobHost", "127.0.0.1", "--blobPort", String(options.port ?? 0)],
      ...["--location", location, "--cert", options.certPath, "--key", options.keyPath],
      // The SDKs send newer x-ms-version values than Azurite 3.35 knows; az's old storage SDK
      // sends headers Azurite does not implement.
      ...["--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent"],
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: environment },
  );
  const port = await listeningPort(child, options.startTimeoutMs ?? 20_000);
  await writePidFile(pidFile, child);

  const serviceUrl = `https://127.0.0.1:${port}/${account.name}`;
  let client: Promise<BlobServiceClient> | undefined;
  const serviceClient = () => (client ??= createServiceClient(serviceUrl, account, ca));
  return {
    port,
    account,
    serviceUrl,
    ca,
    serviceClient,
    ensureContainer: async (name) => {
      await (await serviceClient()).getContainerClient(name).createIfNotExists();
    },
    stop: async () => {
      await stopProcess(child);
      await rm(pidFile, { force: true });
    },
  };
}

async function createServiceClient(
  serviceUrl: string,
  account: StorageAccount,
  ca: string,
): Promise<BlobServiceClient> {
  const { BlobServiceClient, newPipeline, StorageSharedKeyCredential } =
    await import("@azure/storage-blob");

  // The emulator's CA is not in Node's store, and NODE_EXTRA_CA_CERTS is read only at start-up:
  // every request of this client goes through an agent that trusts it.
  const agent = new Agent({ ca, keepAlive: true });
  const pipeline = newPipeline(new StorageSharedKeyCredential(account.name, account.key));
  pipeline.factories.push({
    create: (next) => ({
      sendRequest: (request) => {
        request.agent = agent;
        return next.sendRequest(request);
      },
    }),
  });
  return new BlobServiceClient(serviceUrl, pipeline);
}

function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    let listening = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Azurite did not start within ${timeoutMs} ms: ${output.trim()}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      if (listening) {
        return;
      }
      output += chunk.toString();
      const match = LISTENING_PATTERN.exec(output);
      if (match) {
        listening = true;
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code}: ${output.trim()}`));
    };
    // Drained for the process's whole life, so that a full pipe never stalls Azurite.
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
