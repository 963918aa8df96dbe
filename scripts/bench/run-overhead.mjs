// What a run costs on top of the container it runs: a one-step run (`acr run --cmd "<image>
// true" /dev/null`, log streamed to the end) through the emulator, driven by acrtask and by the
// real az, against a raw `docker run --rm <image> true` on the same engine. Runs alternate so
// that all three see the same machine load. Prints the medians and the ratios to raw docker.
//   node scripts/bench/run-overhead.mjs [--runs N]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { ensureDockerEngine } from "../docker-engine.mjs";
import { ensureBaseImage } from "../stand-in-images.mjs";

const argv = process.argv.slice(2);
const runsIndex = argv.indexOf("--runs");
const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 5;
const image = "node:15-alpine";

const workFolder = mkdtempSync(join(tmpdir(), "acrtask-bench-runs-"));
const dataDir = join(workFolder, "emulator");
const environment = {
  ...process.env,
  HOME: workFolder,
  ACRTASK_CONFIG_DIR: join(workFolder, "acrtask-config"),
  AZURE_CORE_NO_COLOR: "true",
  AZURE_CORE_COLLECT_TELEMETRY: "false",
};

function timeOnce(file, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(file, args, {
    env: environment,
    stdio: ["ignore", "ignore", "pipe"],
    ...options,
  });
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

async function startEmulator() {
  const child = spawn(
    process.execPath,
    ["bin/acrtask", "emulator", "start", "--data-dir", dataDir],
    { env: environment, stdio: ["ignore", "ignore", "pipe"] },
  );
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!/emulator ready/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the emulator did not start: ${output}`);
    }
    await delay(200);
  }
  return child;
}

let emulator;
try {
  await ensureDockerEngine();
  ensureBaseImage(image);
  emulator = await startEmulator();
  timeOnce(process.execPath, ["bin/acrtask", "emulator", "use", "--data-dir", dataDir]);

  // The real az, pointed at the emulator by the lines `emulator az-env` prints.
  const azEnv = spawnSync(
    process.execPath,
    ["bin/acrtask", "emulator", "az-env", "--data-dir", dataDir],
    { env: environment, encoding: "utf8" },
  );
  const azLines = azEnv.stdout.trim().split("\n");
  const azExports = azLines.filter((line) => line.startsWith("export ")).join("\n");
  const haveAz = existsSync("/usr/bin/az") && azEnv.status === 0;
  if (haveAz) {
    timeOnce("/bin/sh", ["-c", azLines.join("\n")]);
  }

  const runArgs = ["acr", "run", "-r", "myregistry", "--cmd", `${image} true`, "/dev/null"];
  const measures = {
    docker: { run: () => timeOnce("docker", ["run", "--rm", image, "true"]), times: [] },
    acrtask: { run: () => timeOnce(process.execPath, ["bin/acrtask", ...runArgs]), times: [] },
    ...(haveAz
      ? {
          az: {
            run: () =>
              timeOnce("/bin/sh", [
                "-c",
                `${azExports}\naz ${runArgs.map((a) => `'${a}'`).join(" ")}`,
              ]),
            times: [],
          },
        }
      : {}),
  };

  // One untimed round warms the engine, the runner's images and the file cache.
  for (const measure of Object.values(measures)) {
    measure.run();
  }
  for (let index = 0; index < runs; index += 1) {
    for (const measure of Object.values(measures)) {
      measure.times.push(measure.run());
    }
  }

  const dockerMedian = median(measures.docker.times);
  console.log(`one-step run of '${image} true', median of ${runs} (ms)`);
  for (const [name, measure] of Object.entries(measures)) {
    const value = median(measure.times);
    console.log(
      `  ${name.padEnd(8)} ${value.toFixed(0).padStart(6)}   ratio to raw docker ${(value / dockerMedian).toFixed(2)}`,
    );
  }
  if (measures.az) {
    const ratio = median(measures.acrtask.times) / median(measures.az.times);
    console.log(`  acrtask / az: ${ratio.toFixed(2)}`);
  }
} finally {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator.once("exit", resolve));
    emulator.kill("SIGINT");
    await exited;
  }
  rmSync(workFolder, { recursive: true, force: true });
}
