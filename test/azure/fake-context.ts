// A Context for tests: a fresh config directory, captured warnings and debug lines, a fixed
// clock if asked for.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Context, GlobalOptions } from "../../src/cli/context.js";

export interface FakeContext extends Context {
  warnings: string[];
  debugLines: string[];
  cleanup(): void;
}

export function fakeContext(
  options: {
    configDir?: string;
    globals?: Partial<GlobalOptions>;
    env?: NodeJS.ProcessEnv;
    now?: () => Date;
    commandName?: string;
  } = {},
): FakeContext {
  const configDir = options.configDir ?? mkdtempSync(join(tmpdir(), "acrtask-signin-"));
  const warnings: string[] = [];
  const debugLines: string[] = [];
  const sink = { write: () => undefined, isTTY: false };
  return {
    commandName: options.commandName ?? "test",
    globals: {
      output: "json",
      debug: false,
      verbose: false,
      onlyShowErrors: false,
      ...options.globals,
    },
    stdout: sink,
    stderr: sink,
    logger: {
      warning: (message) => warnings.push(message),
      info: () => undefined,
      debug: (message) => debugLines.push(message),
    },
    env: options.env ?? {},
    cwd: process.cwd(),
    configDir,
    now: options.now ?? (() => new Date()),
    services: {},
    warnings,
    debugLines,
    cleanup: () => rmSync(configDir, { recursive: true, force: true }),
  };
}

/** az's JSON output (json.dumps(indent=2, sort_keys=True)) for ASCII data, plus the newline. */
export function azJson(value: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) {
      return item.map(sorted);
    }
    if (item && typeof item === "object") {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sorted((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return JSON.stringify(sorted(value), null, 2) + "\n";
}

/** One capture of the real az from test/fixtures/signin/az. */
export function azCapture(name: string): { stdout: string; stderr: string; rc: number } {
  const base = join(__dirname, "..", "fixtures", "signin", "az", name);
  return {
    stdout: readFileSync(`${base}.stdout`, "utf8"),
    stderr: readFileSync(`${base}.stderr`, "utf8"),
    rc: Number(readFileSync(`${base}.rc`, "utf8").trim()),
  };
}
