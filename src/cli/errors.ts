// The one place where failures become az's messages and exit codes.

import { describeSdkError } from "../azure/arm-errors.js";
import type { TextSink } from "./context.js";

/** argparse-level failure: az prints `ERROR: <message>` and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Extra lines after the ERROR line, e.g. `Did you mean 'list' ?`. */
    readonly extraLines: readonly string[] = [],
    /** Command whose examples the recommendation block draws from; none for root errors. */
    readonly commandPath?: readonly string[],
    /** Whether az prints the examples block after this error. */
    readonly recommend: boolean = true,
  ) {
    super(message);
  }
}

/** A CLIError in az terms: `ERROR: <message>`, exit 1 unless told otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    /** Lines printed after the ERROR line, e.g. the `--query` reference. */
    readonly extraLines: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Printed verbatim (no `ERROR:` prefix), e.g. the --only-show-errors conflict. */
export class PlainExit extends Error {
  constructor(
    readonly lines: readonly string[],
    readonly exitCode: number,
  ) {
    super(lines.join("\n"));
  }
}

export interface ErrorReportOptions {
  stderr: TextSink;
  /** With --debug the stack of an unexpected error is printed, as az prints its traceback. */
  debug: boolean;
}

const ISSUES_LINES = [
  "To check existing issues, please visit: https://github.com/Azure/azure-cli/issues",
  "To open a new issue, please run `az feedback`",
];

function lines(first: string, extra: readonly string[]): string {
  return [first, ...extra].map((line) => `${line}\n`).join("");
}

/** Prints `error` as az would and returns the process exit code. */
export function reportError(error: unknown, options: ErrorReportOptions): number {
  const { stderr } = options;

  if (error instanceof UsageError) {
    stderr.write(lines(`ERROR: ${error.message}`, error.extraLines));
    return 2;
  }
  if (error instanceof CliError) {
    stderr.write(lines(`ERROR: ${error.message}`, error.extraLines));
    return error.exitCode;
  }
  if (error instanceof PlainExit) {
    stderr.write(error.lines.map((line) => `${line}\n`).join(""));
    return error.exitCode;
  }
  const armError = describeSdkError(error);
  if (armError) {
    stderr.write(`ERROR: ${armError.message}\n`);
    return armError.exitCode;
  }

  // Anything else is a defect: az's unexpected-error block, the stack only when debugging.
  const message = error instanceof Error ? error.message : String(error);
  const trace =
    options.debug && error instanceof Error && error.stack ? error.stack.split("\n") : [];
  stderr.write(
    lines("ERROR: The command failed with an unexpected error. Here is the traceback:", [
      `ERROR: ${message}`,
      ...trace,
      ...ISSUES_LINES,
    ]),
  );
  return 1;
}
