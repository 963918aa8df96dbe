// Replays the az captures of test/fixtures/output: for each case, the answers az was given are
// turned into az's result the way the command turns them (toAzJson and the command's selection),
// then printed with the output layer; the test compares that with what az printed.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { toAzJson, type AzSchemaName } from "../../src/azure/az-json.js";
import type { OutputFormat } from "../../src/cli/context.js";
import { CliError, UsageError } from "../../src/cli/errors.js";
import { compileQuery, renderOutput } from "../../src/output/index.js";
import * as transformers from "../../src/output/transformers.js";

export const FIXTURES = join(__dirname, "..", "fixtures", "output");

export interface AzCase {
  name: string;
  scenario: string;
  argv: string[];
  env?: Record<string, string>;
  golden?: boolean;
}

export interface Captured {
  stdout: string;
  stderr: string;
  rc: number;
}

interface RecordedAnswer {
  method: string;
  url: string;
  status: number;
  body: unknown;
}

export function loadCases(): AzCase[] {
  return JSON.parse(readFileSync(join(FIXTURES, "cases.json"), "utf8")) as AzCase[];
}

function folderOf(azCase: AzCase): string {
  return join(FIXTURES, azCase.golden === true ? "golden" : "cases");
}

function read(azCase: AzCase, suffix: string): string {
  return readFileSync(join(folderOf(azCase), `${azCase.name}.${suffix}`), "utf8");
}

export function captured(azCase: AzCase): Captured {
  // Of the golden captures only the failing ones keep their stderr here.
  const hasStderr = existsSync(join(folderOf(azCase), `${azCase.name}.stderr`));
  return {
    stdout: read(azCase, "stdout"),
    stderr: hasStderr ? read(azCase, "stderr") : "",
    rc: Number(read(azCase, "rc").trim()),
  };
}

function answers(azCase: AzCase): RecordedAnswer[] {
  return read(azCase, "responses.jsonl")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as RecordedAnswer);
}

/** The body of the last answer to a request matching `method` and `url`. */
function lastBody(azCase: AzCase, method: string, url: RegExp): unknown {
  const found = answers(azCase).filter(
    (answer) => answer.method === method && url.test(answer.url),
  );
  if (found.length === 0) {
    throw new Error(`${azCase.name}: no ${method} ${url} answered`);
  }
  return found[found.length - 1].body;
}

interface ParsedCommand {
  command: string;
  output: OutputFormat;
  query?: string;
}

function parseArgv(argv: readonly string[]): ParsedCommand {
  const firstOption = argv.findIndex((arg) => arg.startsWith("-"));
  const command = argv.slice(0, firstOption).join(" ");
  const outputAt = argv.indexOf("-o");
  const queryAt = argv.indexOf("--query");
  return {
    command,
    output: (outputAt >= 0 ? argv[outputAt + 1] : "json") as OutputFormat,
    query: queryAt >= 0 ? argv[queryAt + 1] : undefined,
  };
}

type Dict = Record<string, unknown>;

function list(body: unknown, schema: AzSchemaName): unknown[] {
  return ((body as Dict).value as unknown[]).map((item) => toAzJson(schema, item));
}

function detailsOf(azCase: AzCase): Dict {
  return toAzJson("Task", lastBody(azCase, "POST", /\/listDetails/)) as Dict;
}

interface CommandResult {
  value: unknown;
  transformer?: transformers.TableTransformer;
}

/** What each command hands to the output layer, built from the answers it received. */
function commandResult(azCase: AzCase, command: string): CommandResult {
  switch (command) {
    case "acr task list":
      return {
        value: list(lastBody(azCase, "GET", /\/tasks\?api-version/), "Task"),
        transformer: transformers.task,
      };
    case "acr task show":
      return {
        value: toAzJson("Task", lastBody(azCase, "GET", /\/tasks\/\w+\?/)),
        transformer: transformers.task,
      };
    case "acr task update":
      return {
        value: toAzJson("TaskFromInitialResponse", lastBody(azCase, "PATCH", /\/tasks\/\w+\?/)),
        transformer: transformers.task,
      };
    case "acr task identity show": {
      const identity = detailsOf(azCase).identity;
      return { value: identity ?? {}, transformer: transformers.taskIdentity };
    }
    case "acr task credential list": {
      const credentials = detailsOf(azCase).credentials as Dict | null;
      return {
        value: credentials ? credentials.customRegistries : {},
        transformer: transformers.task,
      };
    }
    case "acr task timer list": {
      const trigger = detailsOf(azCase).trigger as Dict | null;
      return { value: trigger ? trigger.timerTriggers : {}, transformer: transformers.task };
    }
    case "acr task list-runs":
      return {
        value: list(lastBody(azCase, "GET", /\/runs\?/), "Run"),
        transformer: transformers.run,
      };
    case "acr task show-run":
    case "acr task run":
      return {
        value: toAzJson("Run", lastBody(azCase, "GET", /\/runs\/\w+\?/)),
        transformer: transformers.run,
      };
    case "acr build":
      return {
        value: toAzJson("Run", lastBody(azCase, "GET", /\/runs\/\w+\?/)),
        transformer: transformers.build,
      };
    case "acr taskrun list":
      return {
        value: list(lastBody(azCase, "GET", /\/taskRuns\?/), "TaskRun"),
        transformer: transformers.taskRun,
      };
    case "acr taskrun show":
      return {
        value: toAzJson("TaskRun", lastBody(azCase, "GET", /\/taskRuns\/\w+\?/)),
        transformer: transformers.taskRun,
      };
    default:
      throw new Error(`${azCase.name}: no replay for "${command}"`);
  }
}

const UNEXPECTED = "ERROR: The command failed with an unexpected error. Here is the traceback:";

function errorLines(message: string, extra: readonly string[]): string {
  return [`ERROR: ${message}`, ...extra].map((line) => `${line}\n`).join("");
}

/**
 * What acrtask prints for the case: stdout, the stderr lines az's own lines are compared to, rc.
 */
export function replay(azCase: AzCase): Captured {
  const { command, output, query } = parseArgv(azCase.argv);
  try {
    const compiled = query === undefined ? undefined : compileQuery(query);
    const { value, transformer } = commandResult(azCase, command);
    const stdout = renderOutput(value, { output, query: compiled, tableTransformer: transformer });
    return { stdout, stderr: "", rc: 0 };
  } catch (error) {
    if (error instanceof UsageError) {
      return { stdout: "", stderr: errorLines(error.message, error.extraLines), rc: 2 };
    }
    if (error instanceof CliError) {
      return {
        stdout: "",
        stderr: errorLines(error.message, error.extraLines),
        rc: error.exitCode,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { stdout: "", stderr: `${UNEXPECTED}\nERROR: ${message}\n`, rc: 1 };
  }
}

/**
 * The part of az's stderr acrtask reproduces: all of it for az's own error messages, the first
 * two lines of an unexpected-error traceback, nothing of warnings printed on success.
 */
export function comparableStderr(azCase: AzCase, stderr: string, rc: number): string {
  if (rc === 0) {
    return "";
  }
  const lines = stderr.split("\n");
  if (lines[0] === UNEXPECTED) {
    return `${lines[0]}\n${lines[1]}\n`;
  }
  // Only the error itself: a command may have printed progress warnings before it.
  const first = lines.findIndex((line) => line.startsWith("ERROR: "));
  return lines
    .slice(first)
    .filter((line) => line.length > 0)
    .map((line) => `${line}\n`)
    .join("");
}
