// Choosing how a run's log is read from the answer of listLogSasUrl (contract D1).

import { CliError } from "../cli/errors.js";
import { streamArtifactLog } from "./artifact.js";
import { streamBlobLog } from "./stream.js";
import type { BlobLogStreamOptions, StreamOutcome } from "./stream.js";

/** The answer of `POST …/runs/{runId}/listLogSasUrl`. */
export interface RunLogLinks {
  logLink?: string | null;
  logArtifactLink?: string | null;
}

export type RunLogStreamOptions = Omit<BlobLogStreamOptions, "sasUrl"> & { runId: string };

/**
 * Streams a run's log: the artifact document when `logArtifactLink` is set, else the append
 * blob of `logLink`; `Could not get logs for ID: <runId>` when neither is.
 */
export async function streamRunLogs(
  links: RunLogLinks,
  options: RunLogStreamOptions,
): Promise<StreamOutcome> {
  if (links.logArtifactLink) {
    return streamArtifactLog({
      url: links.logArtifactLink,
      output: options.output,
      noFormat: options.noFormat,
      signal: options.signal,
    });
  }

  if (!links.logLink) {
    throw new CliError(`Could not get logs for ID: ${options.runId}`);
  }
  return streamBlobLog({ ...options, sasUrl: links.logLink });
}
