// Test doubles for the log streamer: a virtual clock, an in-memory append blob that answers
// like Azure Storage (or like Azurite past the end), sinks that record what was printed, and a
// runner that turns a streamer call into az's stdout, stderr and exit code.

import { BlobNetworkError } from "../../src/logs/blob-transport.js";
import type { BlobResponse, BlobTransport } from "../../src/logs/blob-transport.js";
import type { Clock } from "../../src/logs/clock.js";
import { CliError } from "../../src/cli/errors.js";

export class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    // Let other pending work (background status reads) run before time moves on.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) {
      throw signal.reason;
    }
    this.sleeps.push(milliseconds);
    this.time += milliseconds;
  }
}

export type Fault =
  | { kind: "status"; status: number; statusMessage?: string; headers?: Record<string, string> }
  | { kind: "reset" }
  | { kind: "short-body" };

export interface FakeRequest {
  method: "HEAD" | "GET";
  start?: number;
  end?: number;
  at: number;
}

/** An append blob in memory. Timed events change it as the virtual clock passes them. */
export class FakeBlob implements BlobTransport {
  content = Buffer.alloc(0);
  metadata: Record<string, string> = {};
  exists = true;
  readonly requests: FakeRequest[] = [];
  /** Decides per request whether it fails; called with the request's index. */
  faultFor: (index: number, request: FakeRequest) => Fault | undefined = () => undefined;
  private readonly events: { at: number; apply: (blob: FakeBlob) => void }[] = [];

  constructor(
    private readonly clock: Clock,
    /** Azure answers a range past the end with 416; Azurite with an empty 206. */
    private readonly pastTheEnd: "azure-416" | "azurite-empty-206" = "azure-416",
  ) {}

  at(time: number, apply: (blob: FakeBlob) => void): this {
    this.events.push({ at: time, apply });
    this.events.sort((a, b) => a.at - b.at);
    return this;
  }

  append(text: string | Buffer): void {
    this.content = Buffer.concat([this.content, Buffer.from(text)]);
  }

  async head(): Promise<BlobResponse> {
    const request = this.begin({ method: "HEAD", at: this.clock.now() });
    const fault = this.faultFor(this.requests.length - 1, request);
    if (fault) {
      return this.fail(fault);
    }
    if (!this.exists) {
      return notFound();
    }
    return {
      status: 200,
      statusMessage: "OK",
      headers: { "content-length": String(this.content.length), ...this.metadataHeaders() },
      body: Buffer.alloc(0),
    };
  }

  async getRange(start: number, end: number): Promise<BlobResponse> {
    const request = this.begin({ method: "GET", start, end, at: this.clock.now() });
    const fault = this.faultFor(this.requests.length - 1, request);
    if (fault) {
      return this.fail(fault);
    }
    if (!this.exists) {
      return notFound();
    }

    const total = this.content.length;
    if (start >= total && this.pastTheEnd === "azure-416") {
      return {
        status: 416,
        statusMessage: "The range specified is invalid for the current size of the resource.",
        headers: { "content-range": `bytes */${total}`, "x-ms-error-code": "InvalidRange" },
        body: Buffer.from('<?xml version="1.0"?><Error><Code>InvalidRange</Code></Error>'),
      };
    }
    const body = this.content.subarray(start, Math.min(end + 1, total));
    return {
      status: 206,
      statusMessage: "Partial Content",
      headers: {
        "content-range": `bytes ${start}-${start + body.length - 1}/${total}`,
        "content-length": String(body.length),
        ...this.metadataHeaders(),
      },
      body: Buffer.from(body),
    };
  }

  close(): void {}

  private begin(request: FakeRequest): FakeRequest {
    while (this.events.length > 0 && this.events[0].at <= this.clock.now()) {
      this.events.shift()?.apply(this);
    }
    this.requests.push(request);
    return request;
  }

  private metadataHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.metadata)) {
      headers[`x-ms-meta-${name.toLowerCase()}`] = value;
    }
    return headers;
  }

  private fail(fault: Fault): BlobResponse {
    if (fault.kind === "reset") {
      throw new BlobNetworkError("socket hang up", "ECONNRESET");
    }
    if (fault.kind === "short-body") {
      throw new BlobNetworkError(
        "The connection closed before the answer was complete",
        "ECONNRESET",
      );
    }
    return {
      status: fault.status,
      statusMessage: fault.statusMessage ?? "Error",
      headers: fault.headers ?? {},
      body: Buffer.alloc(0),
    };
  }
}

function notFound(): BlobResponse {
  return {
    status: 404,
    statusMessage: "The specified blob does not exist.",
    headers: { "x-ms-error-code": "BlobNotFound" },
    body: Buffer.alloc(0),
  };
}

/** Records writes, with the virtual time of each. */
export class RecordingSink {
  readonly writes: { text: string; at: number }[] = [];

  constructor(
    private readonly clock: Clock,
    readonly isTTY = false,
  ) {}

  write(text: string): void {
    this.writes.push({ text, at: this.clock.now() });
  }

  get text(): string {
    return this.writes.map((write) => write.text).join("");
  }
}

export class RecordingLogger {
  readonly warnings: string[] = [];
  readonly debugs: string[] = [];

  warning(message: string): void {
    this.warnings.push(message);
  }

  info(): void {}

  debug(message: string): void {
    this.debugs.push(message);
  }

  /** The stderr lines az's logger would write for the warnings (non-TTY). */
  get stderr(): string {
    return this.warnings.map((warning) => `WARNING: ${warning}\n`).join("");
  }
}

export interface CommandResult<T> {
  stderr: string;
  exitCode: number;
  result?: T;
}

/** Runs `body` as the CLI would: a CliError becomes `ERROR: <message>` and its exit code. */
export async function asCommand<T>(
  logger: RecordingLogger,
  body: () => Promise<T>,
): Promise<CommandResult<T>> {
  try {
    const result = await body();
    return { stderr: logger.stderr, exitCode: 0, result };
  } catch (error) {
    if (error instanceof CliError) {
      return { stderr: `${logger.stderr}ERROR: ${error.message}\n`, exitCode: error.exitCode };
    }
    throw error;
  }
}

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
