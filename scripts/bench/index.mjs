// Runs every benchmark in this folder, one after the other.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const benchmarks = ["startup.mjs", "log-latency.mjs", "template-render.mjs", "run-overhead.mjs"];

let failed = false;
for (const benchmark of benchmarks) {
  const path = new URL(benchmark, import.meta.url).pathname;
  if (!existsSync(path)) {
    continue;
  }
  const result = spawnSync(process.execPath, [path], { stdio: "inherit" });
  failed ||= result.status !== 0;
}
process.exitCode = failed ? 1 : 0;
