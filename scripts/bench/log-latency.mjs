// Log latency: how long after a line is appended to a run's log blob it is printed, for
// acrtask's streamer and for az 2.45's, both reading the same append blob in Azurite at once.
// Prints p50 and p95 for each.
//   node scripts/bench/log-latency.mjs [--lines N] [--seed S]
//
// acrtask's reader is src/logs compiled with esbuild into a temporary script. az's reader is
// the installed az's own streamer (`_stream_utils._stream_logs` with the storage SDK it ships)
// driven from python3; its only help is that `*.localhost` names resolve to 127.0.0.1, which
// the system resolver here does not do. Both print to a pipe without --no-format, az's default.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const lineCount = option("--lines", 100);
const seed = option("--seed", 7);

const { build } = await import("esbuild");
const {
  BlobServiceClient,
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} = require("@azure/storage-blob");

const ACCOUNT = "devstoreaccount1";
// Azurite's documented development key; it guards nothing.
const ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const AZ_PYTHON = "/usr/bin/python3";

const work = mkdtempSync(join(tmpdir(), "acrtask-log-latency-"));
const children = [];

function random(state) {
  let value = state;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(value ^ (value >>> 15), value | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

async function startAzurite() {
  const main = join(dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js");
  const child = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--location",
      join(work, "azurite"),
    ].concat(["--skipApiVersionCheck", "--disableTelemetry", "--loose"]),
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  return new Promise((done, fail) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        done(Number(match[1]));
      }
    });
    child.once("exit", (code) => fail(new Error(`Azurite exited with ${code}: ${output}`)));
  });
}

async function buildAcrtaskReader() {
  const outfile = join(work, "acrtask-reader.mjs");
  await build({
    stdin: {
      contents: `
        import { streamBlobLog } from "./src/logs/stream.ts";
        const output = { write: (text) => process.stdout.write(text), isTTY: false };
        const logger = {
          warning: (message) => process.stderr.write("WARNING: " + message + "\\n"),
          debug: () => {},
        };
        await streamBlobLog({
          sasUrl: process.argv[2], output, noFormat: false, timeoutSeconds: 3600,
          failOnRunFailure: true, logger,
        });
      `,
      resolveDir: root,
      loader: "ts",
      sourcefile: "acrtask-reader.ts",
    },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return outfile;
}

// az's streamer as `az acr task logs` runs it, with the AppendBlobService it would build; the
// endpoint is plain http because Azurite runs without a certificate here.
const AZ_READER = `
import socket, sys
_getaddrinfo = socket.getaddrinfo
def _local_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith('.localhost'):
        host = '127.0.0.1'
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _local_getaddrinfo
from azure.multiapi.storage.v2018_11_09.blob import AppendBlobService
from azure.cli.command_modules.acr._azure_utils import get_blob_info
from azure.cli.command_modules.acr import _stream_utils
account, suffix, container, blob, sas = get_blob_info(sys.argv[1])
service = AppendBlobService(account_name=account, sas_token=sas, endpoint_suffix=suffix, protocol='http')
_stream_utils._stream_logs(False, _stream_utils.DEFAULT_CHUNK_SIZE, 3600, service, container, blob, True)
`;

/** Starts a reader; records when each "seq N" line arrives on its stdout. */
function startReader(label, command, args) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const arrivals = new Map();
  let pending = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    const now = performance.now();
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) {
      const match = /^seq (\d+|warmup)/.exec(line);
      if (match && !arrivals.has(match[1])) {
        arrivals.set(match[1], now);
      }
    }
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once("exit", (code) => done(code)));
  return { label, arrivals, exited, stderr: () => stderr };
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function waitFor(condition, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await sleep(10);
  }
}

try {
  const port = await startAzurite();
  const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
  const service = new BlobServiceClient(`http://127.0.0.1:${port}/${ACCOUNT}`, credential);
  const container = service.getContainerClient("logs");
  await container.create();
  const blobName = "bench/rawtext.log";
  const blob = container.getAppendBlobClient(blobName);
  await blob.create();
  const sas = generateBlobSASQueryParameters(
    {
      containerName: "logs",
      blobName,
      permissions: BlobSASPermissions.parse("r"),
      expiresOn: new Date(Date.now() + 3600_000),
    },
    credential,
  ).toString();
  const sasUrl = `http://${ACCOUNT}.blob.localhost:${port}/logs/${blobName}?${sas}`;

  const readers = [startReader("acrtask", process.execPath, [await buildAcrtaskReader(), sasUrl])];
  if (existsSync(AZ_PYTHON)) {
    const driver = join(work, "az-reader.py");
    writeFileSync(driver, AZ_READER);
    readers.push(startReader("az 2.45", AZ_PYTHON, [driver, sasUrl]));
  }

  const append = async (text) => {
    await blob.appendBlock(text, Buffer.byteLength(text));
    return performance.now();
  };

  // Both readers must be polling before anything is measured.
  await append("seq warmup\r\n");
  await waitFor(
    () => readers.every((reader) => reader.arrivals.has("warmup")),
    30_000,
    "the readers to start",
  );
  await sleep(1000);

  const next = random(seed);
  const appendedAt = new Map();
  for (let index = 0; index < lineCount; index += 1) {
    await sleep(50 + Math.floor(next() * 550));
    appendedAt.set(String(index), await append(`seq ${index} ${"-".repeat(40)}\r\n`));
  }
  await blob.setMetadata({ Complete: "successful" });
  const codes = await Promise.all(readers.map((reader) => reader.exited));

  console.log(
    `log latency: append to print, ${lineCount} lines appended 50-600 ms apart to one Azurite blob`,
  );
  readers.forEach((reader, index) => {
    const delays = [...appendedAt].map(([seq, at]) => reader.arrivals.get(seq) - at);
    const missing = delays.filter((delay) => Number.isNaN(delay)).length;
    const measured = delays.filter((delay) => !Number.isNaN(delay));
    const p50 = percentile(measured, 0.5).toFixed(0);
    const p95 = percentile(measured, 0.95).toFixed(0);
    const max = Math.max(...measured).toFixed(0);
    const note =
      missing > 0 || codes[index] !== 0 ? ` (missing ${missing}, exit ${codes[index]})` : "";
    console.log(
      `  ${reader.label.padEnd(8)} p50 ${p50.padStart(5)} ms   p95 ${p95.padStart(5)} ms` +
        `   max ${max.padStart(5)} ms${note}`,
    );
    if (codes[index] !== 0) {
      process.stderr.write(reader.stderr());
      process.exitCode = 1;
    }
  });
  if (readers.length === 1) {
    console.log("  az       not installed (Debian package azure-cli)");
  }
} finally {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
    }
  }
  await sleep(200);
  rmSync(work, { recursive: true, force: true });
}
