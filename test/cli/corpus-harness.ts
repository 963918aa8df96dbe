// Runs main() in-process on one corpus case, with the same isolation the capture gave az: an
// empty configuration directory, the case's environment and stdin, cwd in the files folder.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { main } from "../../src/cli/main.js";
import type { CommandTable } from "../../src/cli/parser.js";
import { CORPUS_DIR } from "./az-shaped-table.js";

export interface CorpusCase {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  stdin?: string;
}

export interface Captured {
  stdout: string;
  stderr: string;
  rc: number;
}

export function readCases(): CorpusCase[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, "cases.json"), "utf8")) as CorpusCase[];
}

export function expected(testCase: CorpusCase): Captured {
  const read = (extension: string) =>
    readFileSync(join(CORPUS_DIR, "expected", `${testCase.name}.${extension}`), "utf8");
  return { stdout: read("stdout"), stderr: read("stderr"), rc: Number(read("rc").trim()) };
}

export function textSink() {
  let text = "";
  return {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
    },
    get text() {
      return text;
    },
  };
}

export async function runCase(
  testCase: CorpusCase,
  table?: CommandTable,
): Promise<Captured & { forwarded: boolean }> {
  const configDir = mkdtempSync(join(tmpdir(), "acrtask-corpus-"));
  const stdout = textSink();
  const stderr = textSink();
  let forwarded = false;
  try {
    const rc = await main(testCase.argv, {
      stdout,
      stderr,
      env: {
        HOME: configDir,
        AZURE_CONFIG_DIR: configDir,
        ACRTASK_CONFIG_DIR: configDir,
        ...testCase.env,
      },
      cwd: join(CORPUS_DIR, "files"),
      readStdin: () => testCase.stdin ?? "",
      table,
      forward: async () => {
        forwarded = true;
        return 127;
      },
    });
    return { stdout: stdout.text, stderr: stderr.text, rc, forwarded };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}
