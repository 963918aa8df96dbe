// Makes sure a Docker engine answers before the runner or its tests use it: when `docker info`
// fails and we are root with dockerd installed, dockerd is started in the background (its log in a
// file) and awaited; otherwise the error names what to install or start.
//   node scripts/docker-engine.mjs            exits 0 when the engine answers, 1 with a message
//   import { ensureDockerEngine } from "./docker-engine.mjs"
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { pathToFileURL } from "node:url";

const DOCKERD_CANDIDATES = ["/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd"];
const DEFAULT_WAIT_SECONDS = 60;

/** Whether `docker info` succeeds; its error output otherwise. */
function probe(dockerBinary) {
  const result = spawnSync(dockerBinary, ["info", "--format", "{{.ServerVersion}}"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  if (result.error) {
    return {
      ok: false,
      message: result.error.message,
      missingClient: result.error.code === "ENOENT",
    };
  }
  return {
    ok: result.status === 0,
    version: result.stdout.trim(),
    message: (result.stderr || result.stdout).trim(),
  };
}

/**
 * Resolves with the engine's version once `docker info` works. Starts dockerd when it can;
 * rejects with a message saying what to install or start when it cannot.
 */
export async function ensureDockerEngine(options = {}) {
  const dockerBinary = options.docker ?? "docker";
  const waitSeconds = options.waitSeconds ?? DEFAULT_WAIT_SECONDS;

  const first = probe(dockerBinary);
  if (first.ok) {
    return { version: first.version, started: false };
  }
  if (first.missingClient) {
    throw new Error(
      `The docker command line (${dockerBinary}) is not installed. ` +
        "Install it with: sudo apt-get install -y docker.io",
    );
  }

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const dockerd = DOCKERD_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!isRoot || !dockerd || process.env.DOCKER_HOST) {
    throw new Error(
      `The Docker engine does not answer (${first.message}). ` +
        (dockerd
          ? "Start it, e.g. with: sudo systemctl start docker (or sudo dockerd &)"
          : "Install and start it, e.g. with: sudo apt-get install -y docker.io"),
    );
  }

  const logDirectory = options.logDirectory ?? join(tmpdir(), "acrtask-dockerd");
  mkdirSync(logDirectory, { recursive: true });
  const logPath = join(logDirectory, "dockerd.log");
  const logFile = openSync(logPath, "a");
  const child = spawn(dockerd, [], { detached: true, stdio: ["ignore", logFile, logFile] });
  child.unref();
  closeSync(logFile);

  const deadline = Date.now() + waitSeconds * 1000;
  let last = first;
  while (Date.now() < deadline) {
    await delay(500);
    last = probe(dockerBinary);
    if (last.ok) {
      return { version: last.version, started: true, logPath };
    }
    if (child.exitCode !== null) {
      break;
    }
  }
  throw new Error(
    `dockerd was started but the engine did not answer within ${waitSeconds} s ` +
      `(${last.message}); see ${logPath}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  ensureDockerEngine().then(
    (engine) => {
      process.stderr.write(
        `Docker engine ${engine.version} ${engine.started ? "started" : "is running"}\n`,
      );
    },
    (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
