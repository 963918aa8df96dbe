// Runs one API operation against the answers of a capture and reports what came out, so a test
// can hold it against what az printed and exited with.

import { join } from "node:path";

import { describeSdkError } from "../../src/azure/arm-errors.js";
import type { AcrConnection, AcrTarget } from "../../src/api/session.js";
import { CliError } from "../../src/cli/errors.js";
import { replay, SUBSCRIPTION_NAME, type Capture, type ReplayRange } from "./replay.js";

export const SOURCE_DIRECTORY = join(__dirname, "..", "fixtures", "api", "src");

export interface Outcome {
  result?: unknown;
  error?: { message: string; exitCode: number };
  capture: Capture;
}

/** The message and exit code az would print for `error`; rethrows anything unexpected. */
export function report(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) {
    return { message: error.message, exitCode: error.exitCode };
  }
  const armError = describeSdkError(error);
  if (armError) {
    return armError;
  }
  throw error;
}

/** The lines az wrote for its error: the `ERROR:` line and whatever follows it. */
export function azError(capture: Capture): string {
  const start = capture.stderr.indexOf("ERROR: ");
  return start < 0 ? "" : capture.stderr.slice(start + "ERROR: ".length).replace(/\n$/, "");
}

export async function runOperation<Options>(
  name: string,
  operation: (target: AcrTarget, options: Options) => Promise<unknown>,
  options: Options,
  extra: Partial<AcrConnection> = {},
  range: ReplayRange = {},
): Promise<Outcome> {
  const session = replay(name, range);
  const target: AcrConnection = {
    ...session.connection,
    subscriptionName: SUBSCRIPTION_NAME,
    env: {},
    cwd: SOURCE_DIRECTORY,
    readStdin: async () => "",
    ...extra,
  };

  const outcome = await operation(target, options).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error: report(error) }),
  );
  session.verify();
  return { ...outcome, capture: session.capture };
}

/** Fails unless the operation failed with az's message and exit code. */
export function expectAzError(outcome: Outcome): void {
  expect(outcome.error).toEqual({
    message: azError(outcome.capture),
    exitCode: outcome.capture.exitCode,
  });
}
