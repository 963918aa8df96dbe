// Real blob storage for the log tests: Azurite as a child process on a free port in a temporary
// folder, SAS URLs signed with the emulator's well-known account key, and a small HTTP proxy
// that fails a seeded fraction of the requests passing through it.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import {
  AppendBlobClient,
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";

import { seededRandom } from "./fakes.js";

export const DEV_ACCOUNT = "devstoreaccount1";
// Azurite's documented development key; it guards nothing.
const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  port: number;
  service: BlobServiceClient;
  /** An append blob client (shared-key access), for writing logs as ACR's runner does. */
  appendBlob(container: string, name: string): AppendBlobClient;
  /** A read-only SAS URL in the production form `<account>.blob.localhost:<port>`. */
  sasUrl(container: string, name: string, port?: number): string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const location = mkdtempSync(join(tmpdir(), "acrtask-azurite-"));
  const main = join(dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js");
  const child = spawn(
    process.execPath,
    [
      main,
      ...["--blobHost", "127.0.0.1", "--blobPort", "0", "--location", location],
      ...["--skipApiVersionCheck", "--disableTelemetry", "--loose"],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const port = await listeningPort(child);

  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
  const service = new BlobServiceClient(`http://127.0.0.1:${port}/${DEV_ACCOUNT}`, credential);

  return {
    port,
    service,
    appendBlob: (container, name) =>
      service.getContainerClient(container).getAppendBlobClient(name),
    sasUrl: (container, name, viaPort = port) => {
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          blobName: name,
          permissions: BlobSASPermissions.parse("r"),
          expiresOn: new Date(Date.now() + 3600_000),
        },
        credential,
      ).toString();
      return `http://${DEV_ACCOUNT}.blob.localhost:${viaPort}/${container}/${name}?${sas}`;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}:\n${output}`));
    });
  });
}

export interface FaultProxyOptions {
  targetPort: number;
  seed: number;
}

export interface FaultProxy {
  port: number;
  /** Requests seen, and how many of each fault were injected. */
  counts: {
    requests: number;
    status500: number;
    status503: number;
    reset: number;
    cutBody: number;
  };
  stop(): Promise<void>;
}

type Fault = "status500" | "status503" | "reset" | "cutBody";

// Every block of this many requests carries each fault once, at seeded positions: a fifth of
// the requests fail, and any run of at least one block meets every kind.
const BLOCK = 20;

/**
 * An HTTP proxy in front of Azurite. Requests pass, or are answered 500 or 503 by the proxy,
 * or have their connection reset before any answer, or halfway through the answer's body.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = seededRandom(options.seed);
  const counts = { requests: 0, status500: 0, status503: 0, reset: 0, cutBody: 0 };
  const sockets = new Set<Socket>();
  let block: (Fault | undefined)[] = [];

  function nextFault(): Fault | undefined {
    if (block.length === 0) {
      block = [...(["status500", "status503", "reset", "cutBody"] as const)];
      block.push(...new Array<undefined>(BLOCK - block.length).fill(undefined));
      for (let index = block.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [block[index], block[other]] = [block[other], block[index]];
      }
    }
    return block.shift();
  }

  const server: Server = createServer((incoming, outgoing) => {
    counts.requests += 1;
    const fault = nextFault();

    if (fault === "status500" || fault === "status503") {
      counts[fault] += 1;
      incoming.resume();
      outgoing.writeHead(fault === "status500" ? 500 : 503, "Injected failure");
      outgoing.end();
      return;
    }
    if (fault === "reset" || (fault === "cutBody" && incoming.method !== "GET")) {
      counts.reset += 1;
      incoming.socket.resetAndDestroy();
      return;
    }

    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: options.targetPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        if (fault === "cutBody") {
          counts.cutBody += 1;
          answer.once("data", (chunk: Buffer) => {
            outgoing.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
            setImmediate(() => incoming.socket.resetAndDestroy());
          });
          return;
        }
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => incoming.socket.destroy());
    incoming.pipe(upstream);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
