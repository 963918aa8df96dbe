// For tests that need a Docker engine: makes sure one answers (starting dockerd when we are root,
// through scripts/docker-engine.mjs) and fails with that script's message otherwise.

import { spawnSync } from "node:child_process";
import { join } from "node:path";

let ready: Promise<void> | undefined;

/** Resolves once `docker info` works; rejects with what to install or start. */
export function requireDockerEngine(): Promise<void> {
  ready ??= new Promise<void>((resolve, reject) => {
    const script = join(__dirname, "..", "..", "scripts", "docker-engine.mjs");
    const result = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 90_000 });
    if (result.status === 0) {
      resolve();
    } else {
      reject(
        new Error(
          `No Docker engine for this test: ${result.stderr.trim() || result.error?.message}`,
        ),
      );
    }
  });
  return ready;
}
