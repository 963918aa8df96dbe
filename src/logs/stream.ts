// Run-log streaming from the append blob ACR writes (az 2.45's `_stream_logs`, contract D3):
// the same bytes on stdout, the same end (the blob's `Complete` metadata), the same messages
// and exit codes, but with polling that shows a new line within a fraction of a second and
// reads that survive transient storage failures without losing or repeating a byte.

import { CliError } from "../cli/errors.js";
import type { Logger, TextSink } from "../cli/context.js";
import { createHttpBlobTransport, BlobNetworkError } from "./blob-transport.js";
import type { BlobConnectionOptions, BlobResponse, BlobTransport } from "./blob-transport.js";
import { systemClock } from "./clock.js";
import type { Clock } from "./clock.js";
import { LogLineBuffer } from "./line-buffer.js";
import { parseLogSasUrl } from "./sas-url.js";
import { decodeUtf8DroppingInvalid, stripAnsiLikeColorama } from "./text.js";

export interface BlobLogStreamOptions {
  /** The `logLink` of listLogSasUrl. */
  sasUrl: string;
  /** Where the log text goes (stdout). Its `isTTY` decides ANSI stripping, as colorama's does. */
  output: TextSink;
  /** `--no-format`: leave ANSI sequences in even when the output is not a terminal. */
  noFormat: boolean;
  /**
   * Seconds without new log bytes after which streaming stops with az's warning: the task's
   * timeout for `task run`, `--timeout` for `acr run`/`acr build`, else 3600 (contract D1.4).
   */
  timeoutSeconds: number;
  /** `task run`, `acr run`, `acr build`: a failed, timed-out or cancelled run is an error. */
  failOnRunFailure: boolean;
  logger: Pick<Logger, "warning" | "debug">;
  /**
   * The run's status as ARM reports it (`Running`, `Failed` …). Consulted only while the log is
   * idle or when the log's own verdict is unclear; without it the streamer behaves as az.
   */
  getRunStatus?: () => Promise<string | null | undefined>;
  clock?: Clock;
  /** Aborting stops streaming; what is held back is printed first (az on Ctrl-C). */
  signal?: AbortSignal;
  /** Replaces the HTTP access to the blob (tests). */
  transport?: BlobTransport;
  /** The proxy and CA the blob's host is reached with (the emulator's). */
  connection?: BlobConnectionOptions;
  polling?: Partial<PollingTuning>;
}

/** Timings of the polling loop, in milliseconds unless named otherwise. */
export interface PollingTuning {
  /** Wait after a read that brought data, before looking again. */
  activeIntervalMs: number;
  /** Longest wait between looks while the run may still write (the interval doubles up to it). */
  idleIntervalMs: number;
  /** Longest wait once ARM says the run has finished but the log is not marked complete. */
  finishedRunIntervalMs: number;
  /** Idle time before the run status is first asked for, and the spacing of later asks. */
  runStatusAfterIdleMs: number;
  runStatusEveryMs: number;
  /** How long a finished run's log may stay incomplete and idle before streaming gives up. */
  finishedRunGraceMs: number;
  /** Back-off after a transient failure: first wait, longest wait, and total time allowed. */
  retryFirstMs: number;
  retryLongestMs: number;
  retryBudgetMs: number;
  /** Bytes asked for per ranged GET. */
  readSize: number;
  /** Silence on a connection after which a request is abandoned and retried. */
  requestTimeoutMs: number;
}

export const DEFAULT_POLLING: PollingTuning = {
  activeIntervalMs: 20,
  idleIntervalMs: 250,
  finishedRunIntervalMs: 1000,
  runStatusAfterIdleMs: 3000,
  runStatusEveryMs: 5000,
  finishedRunGraceMs: 15_000,
  retryFirstMs: 50,
  retryLongestMs: 1000,
  retryBudgetMs: 60_000,
  readSize: 4 * 1024 * 1024,
  requestTimeoutMs: 5000,
};

/**
 * How streaming ended. `complete`: the blob carries `Complete` and every byte was printed.
 * `idle-timeout`: no new bytes for `timeoutSeconds` (az's warning was printed).
 * `run-ended`: ARM reported the run finished, and the log stayed incomplete and idle for the
 * grace period (the same warning). `interrupted`: the signal aborted.
 */
export type StreamEnd = "complete" | "idle-timeout" | "run-ended" | "interrupted";

export interface StreamOutcome {
  end: StreamEnd;
  /** The value of the blob's `Complete` metadata, as written. */
  completeStatus?: string;
  /** The last run status getRunStatus returned. */
  runStatus?: string;
  bytesRead: number;
}

/** The statuses ARM reports for a run that will not change any more. */
export const FINISHED_RUN_STATUSES = ["Succeeded", "Failed", "Canceled", "Error", "Timeout"];

// az's verdicts on the lower-cased `Complete` value.
const FAILURE_BY_COMPLETE_VALUE: Record<string, string> = {
  internalerror: "Run failed",
  failed: "Run failed",
  timedout: "Run timed out",
  canceled: "Run was canceled",
};

const SUCCESS_COMPLETE_VALUES = new Set(["successful", "succeeded"]);

const FAILURE_BY_RUN_STATUS: Record<string, string> = {
  Failed: "Run failed",
  Error: "Run failed",
  Timeout: "Run timed out",
  Canceled: "Run was canceled",
};

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Prints a run's log from its append blob until the blob is marked complete, then judges the
 * run. Throws CliError with az's message for a failed, timed-out or cancelled run (when
 * `failOnRunFailure`) and for storage errors; returns how streaming ended otherwise.
 */
export async function streamBlobLog(options: BlobLogStreamOptions): Promise<StreamOutcome> {
  const location = parseLogSasUrl(options.sasUrl);
  const transport =
    options.transport ??
    (await createHttpBlobTransport(location.url, {
      requestTimeoutMs: options.polling?.requestTimeoutMs ?? DEFAULT_POLLING.requestTimeoutMs,
      trace: (line) => options.logger.debug(line),
      ...options.connection,
    }));

  const streamer = new BlobLogStreamer(options, transport);
  try {
    return await streamer.run();
  } finally {
    if (!options.transport) {
      transport.close();
    }
    // colorama resets the terminal's colours at exit when it did not strip (a TTY).
    if (!options.noFormat && options.output.isTTY) {
      options.output.write("\u001b[0m");
    }
  }
}

type ReadResult = "data" | "nothing-new" | "missing";

class BlobLogStreamer {
  private readonly tuning: PollingTuning;
  private readonly clock: Clock;
  private readonly lines = new LogLineBuffer();
  private readonly stripAnsi: boolean;
  private readonly runWatch: RunStatusWatch;

  /** Bytes printed or held so far: the offset of the next read. */
  private start = 0;
  /** Blob length as last reported. */
  private available = 0;
  private completeStatus: string | undefined;
  private lastProgress: number;
  private interval: number;
  private failingSince: number | undefined;
  private failures = 0;

  constructor(
    private readonly options: BlobLogStreamOptions,
    private readonly transport: BlobTransport,
  ) {
    this.tuning = { ...DEFAULT_POLLING, ...options.polling };
    this.clock = options.clock ?? systemClock;
    this.stripAnsi = !options.noFormat && !options.output.isTTY;
    this.lastProgress = this.clock.now();
    this.interval = this.tuning.activeIntervalMs;
    this.runWatch = new RunStatusWatch(options, this.clock, this.tuning);
  }

  async run(): Promise<StreamOutcome> {
    const { signal } = this.options;

    for (;;) {
      if (signal?.aborted) {
        return this.stop("interrupted");
      }

      let result: ReadResult;
      try {
        result = await this.readNext();
        this.failingSince = undefined;
        this.failures = 0;
      } catch (error) {
        if (signal?.aborted) {
          return this.stop("interrupted");
        }
        await this.waitAfterFailure(error);
        continue;
      }

      if (this.completeStatus !== undefined && this.start >= this.available) {
        this.flushRemainder();
        await this.judgeCompletedRun();
        return this.outcome("complete");
      }
      if (this.start < this.available) {
        continue;
      }

      const now = this.clock.now();
      const idle = now - this.lastProgress;
      if (idle > this.options.timeoutSeconds * 1000) {
        return this.giveUp("idle-timeout", idle);
      }
      const finishedAt = this.runWatch.finishedAt;
      if (
        finishedAt !== undefined &&
        now - Math.max(finishedAt, this.lastProgress) > this.tuning.finishedRunGraceMs
      ) {
        return this.giveUp("run-ended", idle);
      }
      this.runWatch.checkIfDue(now, idle);

      const longest =
        finishedAt === undefined ? this.tuning.idleIntervalMs : this.tuning.finishedRunIntervalMs;
      this.interval =
        result === "data" ? this.tuning.activeIntervalMs : Math.min(this.interval * 2, longest);
      try {
        await this.clock.sleep(this.interval, signal);
      } catch {
        return this.stop("interrupted");
      }
    }
  }

  /** One ranged GET from the current offset; a HEAD too when the GET cannot tell the metadata. */
  private async readNext(): Promise<ReadResult> {
    const { signal } = this.options;
    const end = this.start + this.tuning.readSize - 1;
    const response = await this.transport.getRange(this.start, end, signal);

    if (response.status === 404) {
      return "missing";
    }
    if (response.status === 416) {
      // Azure answers a range at or past the end with 416, which carries no metadata.
      return this.readProperties();
    }
    this.raiseUnlessOk(response);

    const data = this.bytesFrom(response);
    this.noteMetadata(response);
    this.available = Math.max(this.totalLength(response) ?? 0, this.start + data.length);
    if (data.length === 0) {
      return "nothing-new";
    }

    this.start += data.length;
    this.lastProgress = this.clock.now();
    for (const piece of this.lines.push(data)) {
      this.print(piece);
    }
    return "data";
  }

  private async readProperties(): Promise<ReadResult> {
    const response = await this.transport.head(this.options.signal);
    if (response.status === 404) {
      return "missing";
    }
    this.raiseUnlessOk(response);

    this.noteMetadata(response);
    this.available = Number(response.headers["content-length"] ?? 0);
    return "nothing-new";
  }

  /** The body's bytes from the current offset, after checking the answer is for that offset. */
  private bytesFrom(response: BlobResponse): Buffer {
    if (response.status === 200) {
      // A server that ignores the range sends the whole blob.
      return response.body.subarray(this.start);
    }

    const range = parseContentRange(response.headers["content-range"]);
    if (range === undefined && response.body.length === 0) {
      return response.body;
    }
    if (range === undefined || range.first !== this.start) {
      throw new BlobNetworkError(
        `Unexpected Content-Range '${response.headers["content-range"] ?? ""}' for a ` +
          `read from ${this.start}`,
        "EBADRANGE",
      );
    }
    if (range.last !== undefined && range.last - range.first + 1 !== response.body.length) {
      throw new BlobNetworkError("The answer was shorter than its Content-Range", "ECONNRESET");
    }
    return response.body;
  }

  private totalLength(response: BlobResponse): number | undefined {
    if (response.status === 200) {
      return response.body.length;
    }
    return parseContentRange(response.headers["content-range"])?.total;
  }

  private noteMetadata(response: BlobResponse): void {
    for (const [name, value] of Object.entries(response.headers)) {
      if (name.toLowerCase() === "x-ms-meta-complete" && value !== undefined) {
        this.completeStatus = Array.isArray(value) ? value.join(", ") : value;
      }
    }
  }

  private raiseUnlessOk(response: BlobResponse): void {
    if (response.status >= 200 && response.status < 300) {
      return;
    }
    if (TRANSIENT_STATUSES.has(response.status)) {
      throw new TransientStatus(response);
    }
    throw new CliError(describeStorageFailure(response));
  }

  private async waitAfterFailure(error: unknown): Promise<void> {
    const transient = error instanceof TransientStatus || error instanceof BlobNetworkError;
    if (!transient) {
      throw error;
    }

    const now = this.clock.now();
    this.failingSince ??= now;
    this.failures += 1;
    const detail =
      error instanceof TransientStatus
        ? `HTTP ${error.response.status}`
        : `${error.code ?? "network error"}: ${error.message}`;
    this.options.logger.debug(
      `Reading the run log failed (${detail}); retrying from byte ${this.start}`,
    );
    if (now - this.failingSince > this.tuning.retryBudgetMs) {
      throw new CliError(
        error instanceof TransientStatus
          ? describeStorageFailure(error.response)
          : `Could not read the run log: ${detail}`,
      );
    }

    const wait = Math.min(
      this.tuning.retryFirstMs * 2 ** (this.failures - 1),
      this.tuning.retryLongestMs,
    );
    await this.clock.sleep(wait, this.options.signal).catch(() => undefined);
  }

  private print(bytes: Buffer): void {
    let text = decodeUtf8DroppingInvalid(bytes);
    if (this.stripAnsi) {
      text = stripAnsiLikeColorama(text);
    }
    this.options.output.write(`${text}\n`);
  }

  private flushRemainder(): void {
    const rest = this.lines.finish();
    if (rest) {
      this.print(rest);
    }
  }

  private stop(end: StreamEnd): StreamOutcome {
    this.flushRemainder();
    return this.outcome(end);
  }

  private async giveUp(end: "idle-timeout" | "run-ended", idleMs: number): Promise<StreamOutcome> {
    this.flushRemainder();
    this.options.logger.warning(
      `Failed to find any new logs in ${Math.floor(idleMs / 1000)} seconds. ` +
        "Client will stop polling for additional logs.",
    );

    // az exits 0 here whatever became of the run; a run known to have failed is not let pass.
    if (this.options.failOnRunFailure && this.options.getRunStatus) {
      const status = await this.runWatch.latest();
      const failure = status === undefined ? undefined : FAILURE_BY_RUN_STATUS[status];
      if (failure) {
        throw new CliError(failure);
      }
    }
    return this.outcome(end);
  }

  private async judgeCompletedRun(): Promise<void> {
    if (!this.options.failOnRunFailure) {
      return;
    }

    const value = (this.completeStatus ?? "").toLowerCase();
    const failure = FAILURE_BY_COMPLETE_VALUE[value];
    if (failure) {
      throw new CliError(failure);
    }

    // az counts every other value as success; when the value is not a known success word,
    // ARM's status decides instead, so that a failed run does not pass silently.
    if (!SUCCESS_COMPLETE_VALUES.has(value) && this.options.getRunStatus) {
      const status = await this.runWatch.latest();
      const runFailure = status === undefined ? undefined : FAILURE_BY_RUN_STATUS[status];
      if (runFailure) {
        throw new CliError(runFailure);
      }
    }
  }

  private outcome(end: StreamEnd): StreamOutcome {
    return {
      end,
      completeStatus: this.completeStatus,
      runStatus: this.runWatch.status,
      bytesRead: this.start,
    };
  }
}

/** A retryable HTTP answer (5xx, 408, 429). */
class TransientStatus extends Error {
  constructor(readonly response: BlobResponse) {
    super(`HTTP ${response.status}`);
  }
}

/**
 * Asks for the run status in the background while the log is idle, so that a run that ended
 * without its log being marked complete is noticed without delaying the blob polling.
 */
class RunStatusWatch {
  status: string | undefined;
  finishedAt: number | undefined;
  private pending: Promise<void> | undefined;
  private lastAsked = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: BlobLogStreamOptions,
    private readonly clock: Clock,
    private readonly tuning: PollingTuning,
  ) {}

  checkIfDue(now: number, idleMs: number): void {
    if (!this.options.getRunStatus || this.pending || this.finishedAt !== undefined) {
      return;
    }
    if (idleMs < this.tuning.runStatusAfterIdleMs) {
      return;
    }
    if (now - this.lastAsked < this.tuning.runStatusEveryMs) {
      return;
    }
    this.lastAsked = now;
    this.pending = this.ask().finally(() => {
      this.pending = undefined;
    });
  }

  /** A fresh status (after any question already under way). */
  async latest(): Promise<string | undefined> {
    await this.pending;
    await this.ask();
    return this.status;
  }

  private async ask(): Promise<void> {
    const getRunStatus = this.options.getRunStatus;
    if (!getRunStatus) {
      return;
    }
    try {
      this.status = (await getRunStatus()) ?? "Queued";
    } catch (error) {
      this.options.logger.debug(`Could not read the run status: ${String(error)}`);
      return;
    }
    if (FINISHED_RUN_STATUSES.includes(this.status) && this.finishedAt === undefined) {
      this.finishedAt = this.clock.now();
    }
  }
}

interface ContentRange {
  first: number;
  last: number | undefined;
  total: number | undefined;
}

// Forms seen: `bytes 0-6/7`, `bytes 7-6/7` (Azurite, past the end), `bytes *\/0` (a 416).
function parseContentRange(header: string | undefined): ContentRange | undefined {
  const match = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  if (!match) {
    return undefined;
  }
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (match[1] === undefined) {
    return { first: total ?? 0, last: undefined, total };
  }
  return { first: Number(match[1]), last: Number(match[2]), total };
}

/**
 * az's text for a storage error (the legacy storage SDK's AzureHttpError): the reason phrase,
 * ` ErrorCode: <x-ms-error-code>` when present, then a newline and the response body.
 */
export function describeStorageFailure(response: BlobResponse): string {
  let message = response.statusMessage;
  const errorCode = response.headers["x-ms-error-code"];
  if (typeof errorCode === "string") {
    message += ` ErrorCode: ${errorCode}`;
  }
  const body = response.body.toString("utf8").replace(/^\uFEFF/, "");
  return `${message}\n${body}`;
}
