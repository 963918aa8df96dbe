// `--no-logs` (contract D2): wait for the run to finish by reading it from ARM, then return it,
// or fail with az's message when it did not succeed.

import { CliError } from "../cli/errors.js";
import { systemClock } from "./clock.js";
import type { Clock } from "./clock.js";
import { FINISHED_RUN_STATUSES } from "./stream.js";

export interface RunPollingOptions<Run> {
  runId: string;
  /** The registry name as typed (after the login-server suffix is dropped); used in the message. */
  registryName: string;
  /** GET of the run; its `status` is read (missing means `Queued`, as in az). */
  getRun: () => Promise<Run>;
  clock?: Clock;
  signal?: AbortSignal;
  /**
   * Waits between reads, in seconds; the last one repeats. az waits a fixed 30 s, which adds
   * up to half a minute to every command; the run's outcome is the same either way.
   */
  intervalsSeconds?: readonly number[];
}

const DEFAULT_INTERVALS_SECONDS = [1, 1, 2, 2, 3, 5];

/**
 * Reads the run until its status is final (Succeeded, Failed, Canceled, Error, Timeout) and
 * returns the last read. Throws CliError with az's text when the final status is not
 * `Succeeded`; errors of `getRun` propagate unchanged.
 */
export async function waitForRunToFinish<Run extends { status?: string | null }>(
  options: RunPollingOptions<Run>,
): Promise<Run> {
  const clock = options.clock ?? systemClock;
  const intervals = options.intervalsSeconds ?? DEFAULT_INTERVALS_SECONDS;

  let run = await options.getRun();
  let status = run.status ?? "Queued";
  for (let attempt = 0; !FINISHED_RUN_STATUSES.includes(status); attempt += 1) {
    const seconds = intervals[Math.min(attempt, intervals.length - 1)];
    await clock.sleep(seconds * 1000, options.signal);
    run = await options.getRun();
    status = run.status ?? "Queued";
  }

  if (status !== "Succeeded") {
    const { runId, registryName } = options;
    throw new CliError(
      `The run with ID '${runId}' finished with unsuccessful status '${status}'. ` +
        `Show run details by 'az acr task show-run -r ${registryName} --run-id ${runId}'. ` +
        `Show run logs by 'az acr task logs -r ${registryName} --run-id ${runId}'.`,
    );
  }
  return run;
}
