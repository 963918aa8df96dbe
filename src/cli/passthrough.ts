// Commands acrtask does not implement run on the real Azure CLI, found on PATH after acrtask's
// own `az`, with the same argv, stdin and exit code.

import { accessSync, constants, readFileSync, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";

import { UsageError } from "./errors.js";

/** Set in the environment of the forwarded process, so a loop through acrtask is caught. */
const FORWARDED_MARKER = "ACRTASK_FORWARDED";

/** Where the shim marks itself, so a copy of acrtask under another path is still recognised. */
const SHIM_SIGNATURE = 'await import("../dist/cli.js")';

export const SUPPORTED_GROUPS = ["acr task", "acr taskrun", "login", "logout", "account", "cloud"];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isAcrtask(path: string, ownPaths: ReadonlySet<string>): boolean {
  let resolved: string;
  try {
    resolved = realpathSync(path);
  } catch {
    return true;
  }
  if (ownPaths.has(resolved)) {
    return true;
  }

  try {
    return readFileSync(resolved, "utf8").slice(0, 4096).includes(SHIM_SIGNATURE);
  } catch {
    return false;
  }
}

/** The first `az` on PATH that is not acrtask, or undefined. */
export function findRealAz(
  env: NodeJS.ProcessEnv = process.env,
  ownScript: string | undefined = process.argv[1],
): string | undefined {
  const ownPaths = new Set<string>();
  if (ownScript) {
    try {
      ownPaths.add(realpathSync(ownScript));
    } catch {
      // A script path that cannot be resolved only loses the fast check; the signature remains.
    }
  }

  for (const directory of (env.PATH ?? "").split(delimiter)) {
    if (directory === "") {
      continue;
    }
    const candidate = join(directory, "az");
    if (isExecutable(candidate) && !isAcrtask(candidate, ownPaths)) {
      return candidate;
    }
  }
  return undefined;
}

function unsupportedError(argv: readonly string[]): UsageError {
  const command = argv
    .filter((token) => !token.startsWith("-"))
    .slice(0, 3)
    .join(" ");
  return new UsageError(
    `'${command}' is not an acrtask command and no Azure CLI was found on PATH to run it. ` +
      `acrtask implements: ${SUPPORTED_GROUPS.map((group) => `az ${group}`).join(", ")}.`,
    [],
    undefined,
    false,
  );
}

/**
 * Runs the real az with `argv`, sharing this process's stdin, stdout and stderr, and resolves
 * to its exit code. Throws a UsageError (exit 2) when there is no real az to run.
 */
export async function forwardToAz(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const realAz = env[FORWARDED_MARKER] ? undefined : findRealAz(env);
  if (!realAz) {
    throw unsupportedError(argv);
  }

  // Loaded here: child_process costs milliseconds at start-up that most commands never use.
  const { spawn } = await import("node:child_process");
  const child = spawn(realAz, [...argv], {
    stdio: "inherit",
    env: { ...env, [FORWARDED_MARKER]: "1" },
  });

  // The child shares the terminal, so Ctrl-C reaches it directly; acrtask only waits.
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        resolve(code ?? (signal ? 128 + signalNumber(signal) : 1));
      });
    });
  } finally {
    process.off("SIGINT", ignore);
    process.off("SIGTERM", ignore);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 1;
}
