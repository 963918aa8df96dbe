// Run logs and run polling, shared by `acr task run`, `acr task logs`, `acr run`, `acr build`
// and `acr taskrun logs`.

export { streamRunLogs } from "./run-logs.js";
export type { RunLogLinks, RunLogStreamOptions } from "./run-logs.js";
export {
  streamBlobLog,
  describeStorageFailure,
  DEFAULT_POLLING,
  FINISHED_RUN_STATUSES,
} from "./stream.js";
export type { BlobLogStreamOptions, PollingTuning, StreamEnd, StreamOutcome } from "./stream.js";
export { streamArtifactLog } from "./artifact.js";
export type { ArtifactLogStreamOptions } from "./artifact.js";
export { waitForRunToFinish } from "./run-polling.js";
export type { RunPollingOptions } from "./run-polling.js";
export { parseLogSasUrl, redactSasUrl } from "./sas-url.js";
export type { LogBlobLocation } from "./sas-url.js";
export { systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { createHttpBlobTransport, BlobNetworkError } from "./blob-transport.js";
export type { BlobConnectionOptions, BlobResponse, BlobTransport } from "./blob-transport.js";
