// The one place where failures become az's messages and exit codes.

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
