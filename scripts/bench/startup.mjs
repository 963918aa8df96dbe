// Start-up time of acrtask against the real az, measured side by side: runs alternate so that
// both see the same machine load. Prints the medians and the ratio.
//   node scripts/bench/startup.mjs [--runs N] [-- args...]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const argv = process.argv.slice(2);
const runsIndex = argv.indexOf("--runs");
const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 20;
const separator = argv.indexOf("--");
const commandArgs =
  separator >= 0 ? argv.slice(separator + 1) : ["acr", "task", "list-runs", "--help"];

const configDir = mkdtempSync(join(tmpdir(), "acrtask-bench-"));

// NODE_EXTRA_CA_CERTS makes every node process parse that certificate bundle at start-up,
// tens of milliseconds for a system-wide bundle, before any of acrtask's code runs. It is
// measured apart: without it (the usual machine) and, when set here, with it.
const extraCertificates = process.env.NODE_EXTRA_CA_CERTS;
const baseEnvironment = { ...process.env };
delete baseEnvironment.NODE_EXTRA_CA_CERTS;
const environment = {
  ...baseEnvironment,
  ACRTASK_CONFIG_DIR: configDir,
  AZURE_CONFIG_DIR: configDir,
  AZURE_CORE_COLLECT_TELEMETRY: "false",
};

function timeOnce(file, args, env = environment) {
  const started = performance.now();
  const result = spawnSync(file, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const acrtask = { file: process.execPath, args: ["bin/acrtask", ...commandArgs], times: [] };
const az = existsSync("/usr/bin/az") ? { file: "/usr/bin/az", args: commandArgs, times: [] } : null;

// One untimed run each warms the file cache.
timeOnce(acrtask.file, acrtask.args);
if (az) {
  timeOnce(az.file, az.args);
}

for (let index = 0; index < runs; index += 1) {
  acrtask.times.push(timeOnce(acrtask.file, acrtask.args));
  if (az) {
    az.times.push(timeOnce(az.file, az.args));
  }
}
const nodeAlone = [];
const withCertificates = [];
for (let index = 0; index < runs; index += 1) {
  nodeAlone.push(timeOnce(process.execPath, ["-e", "0"]));
  if (extraCertificates) {
    const env = { ...environment, NODE_EXTRA_CA_CERTS: extraCertificates };
    withCertificates.push(timeOnce(acrtask.file, acrtask.args, env));
  }
}
rmSync(configDir, { recursive: true, force: true });

const label = commandArgs.join(" ");
const acrtaskMedian = median(acrtask.times);
console.log(`startup: ${label} (${runs} runs each, medians)`);
console.log(`  acrtask ${acrtaskMedian.toFixed(1)} ms`);
if (az) {
  const azMedian = median(az.times);
  console.log(`  az      ${azMedian.toFixed(1)} ms`);
  console.log(`  ratio   ${(acrtaskMedian / azMedian).toFixed(3)}`);
} else {
  console.log("  az      not installed (Debian package azure-cli)");
}
console.log(`  node -e 0 alone ${median(nodeAlone).toFixed(1)} ms (the floor)`);
if (extraCertificates) {
  console.log(`  acrtask with NODE_EXTRA_CA_CERTS set ${median(withCertificates).toFixed(1)} ms`);
}
