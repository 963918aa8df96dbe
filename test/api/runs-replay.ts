// Replays a capture of the real az 2.45 for the run and task-run operations (see
// test/fixtures/api/runs/PROVENANCE.md): the ARM answers az received, and any other HTTP answer
// except the log blob, become nock interceptors, and what we send is recorded for comparison
// with az's requests in order and byte for byte. The log blob is served from memory with the
// bytes and the `Complete` metadata az read: how it is polled is the log streamer's own
// business, what comes out of it is compared with az's stdout.

import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

import nock from "nock";

import type { AcrConnection } from "../../src/api/session.js";
import { describeSdkError } from "../../src/azure/arm-errors.js";
import { CliError } from "../../src/cli/errors.js";
import type { BlobResponse, BlobTransport } from "../../src/logs/blob-transport.js";
import type { Clock } from "../../src/logs/clock.js";
import {
  SUBSCRIPTION_ID,
  SUBSCRIPTION_NAME,
  type CapturedAnswer,
  type CapturedRequest,
  type Capture as ReplayCapture,
} from "./replay.js";

export { SUBSCRIPTION_ID, SUBSCRIPTION_NAME, type CapturedRequest };

const fixtures = join(__dirname, "..", "fixtures", "api", "runs");
export const SOURCE_DIRECTORY = join(fixtures, "src");

export interface Capture extends ReplayCapture {
  /** `<type> <name>` lines of the archive az uploaded, when it uploaded one. */
  archive?: string[];
}

function jsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

export function loadCapture(name: string): Capture {
  const file = (extension: string) => join(fixtures, "captures", `${name}.${extension}`);
  return {
    requests: jsonLines<CapturedRequest>(file("requests.jsonl")),
    answers: jsonLines<CapturedAnswer>(file("responses.jsonl")),
    stdout: readFileSync(file("stdout"), "utf8"),
    stderr: readFileSync(file("stderr"), "utf8"),
    exitCode: Number(readFileSync(file("rc"), "utf8").trim()),
    archive: existsSync(file("archive.txt"))
      ? readFileSync(file("archive.txt"), "utf8").split("\n").filter(Boolean)
      : undefined,
  };
}

const LOG_BLOB_HOST = "acct.blob.core.windows.net";
const UPLOAD_HOST = "upl.blob.core.windows.net";

function isLogBlob(url: string): boolean {
  return new URL(url).host === LOG_BLOB_HOST;
}

function bodyBytes(body: unknown): Buffer {
  if (body && typeof body === "object" && "base64" in body) {
    return Buffer.from(String((body as { base64: string }).base64), "base64");
  }
  if (typeof body === "string") {
    return Buffer.from(body);
  }
  return Buffer.alloc(0);
}

/** The log blob az read, in memory: its bytes, its metadata at the end, whether it existed. */
export class CapturedLogBlob implements BlobTransport {
  readonly content: Buffer;
  readonly metadata: Record<string, string> = {};
  readonly exists: boolean;
  requests = 0;

  constructor(answers: CapturedAnswer[]) {
    const blobAnswers = answers.filter((answer) => isLogBlob(answer.url));
    this.exists = blobAnswers.some((answer) => answer.status < 300);
    this.content = Buffer.concat(
      blobAnswers
        .filter((answer) => answer.method === "GET" && answer.status === 206)
        .map((answer) => bodyBytes(answer.body)),
    );
    const heads = blobAnswers.filter((answer) => answer.method === "HEAD" && answer.status < 300);
    for (const [name, value] of Object.entries(heads.at(-1)?.headers ?? {})) {
      if (name.toLowerCase().startsWith("x-ms-meta-")) {
        this.metadata[name.toLowerCase()] = value;
      }
    }
  }

  async head(): Promise<BlobResponse> {
    this.requests += 1;
    if (!this.exists) {
      return this.notFound();
    }
    return {
      status: 200,
      statusMessage: "OK",
      headers: { "content-length": String(this.content.length), ...this.metadata },
      body: Buffer.alloc(0),
    };
  }

  async getRange(start: number, end: number): Promise<BlobResponse> {
    this.requests += 1;
    if (!this.exists) {
      return this.notFound();
    }
    if (start >= this.content.length) {
      return {
        status: 416,
        statusMessage: "Range Not Satisfiable",
        headers: {},
        body: Buffer.alloc(0),
      };
    }
    const body = this.content.subarray(start, Math.min(end + 1, this.content.length));
    return {
      status: 206,
      statusMessage: "Partial Content",
      headers: {
        "content-range": `bytes ${start}-${start + body.length - 1}/${this.content.length}`,
        "content-length": String(body.length),
        ...this.metadata,
      },
      body,
    };
  }

  close(): void {}

  private notFound(): BlobResponse {
    return {
      status: 404,
      statusMessage: "The specified blob does not exist.",
      headers: { "x-ms-error-code": "BlobNotFound" },
      body: Buffer.alloc(0),
    };
  }
}

/** Time that passes only when someone sleeps. */
export class VirtualClock implements Clock {
  time = 0;

  now(): number {
    return this.time;
  }

  async sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) {
      throw signal.reason;
    }
    this.time += milliseconds;
  }
}

/** Records what a command would print: the log text, and az's warnings. */
export class Recorder {
  stdout = "";
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  readonly output = { write: (text: string) => void (this.stdout += text), isTTY: false };
  readonly logger = {
    warning: (message: string) => void this.warnings.push(message),
    info: (message: string) => void this.infos.push(message),
    debug: () => undefined,
  };

  /** stderr as az writes it for the warnings, e.g. `WARNING: Queued a run with ID: ca1\n`. */
  get stderr(): string {
    return this.warnings.map((warning) => `WARNING: ${warning}\n`).join("");
  }
}

export interface RunsReplay {
  capture: Capture;
  /** A connection answered by the capture, with the test's source directory as cwd. */
  target: AcrConnection;
  /** What we sent, in the shape of the capture's request log (log-blob reads left out). */
  sent: CapturedRequest[];
  /** The bodies of the uploads we sent. */
  uploads: Buffer[];
  blob: CapturedLogBlob;
  clock: VirtualClock;
  recorder: Recorder;
  /** The log options a run operation needs to print into the recorder from the captured blob. */
  log: { output: Recorder["output"]; transport: CapturedLogBlob; clock: VirtualClock };
  /** az's requests, without its log-blob reads, which are the streamer's own. */
  expected: CapturedRequest[];
  /** Fails unless every answer was used and we sent exactly `expected`. */
  verify(expected?: CapturedRequest[]): void;
}

function headerValue(value: string | string[] | number | undefined): string | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value.join(", ") : String(value);
}

/** The headers the capture tool keeps, spelled as az spelled them. */
const KEPT_HEADERS: Record<string, string> = {
  accept: "Accept",
  "content-type": "Content-Type",
  "x-ms-blob-type": "x-ms-blob-type",
};

export function replayRuns(name: string, extra: Partial<AcrConnection> = {}): RunsReplay {
  const capture = loadCapture(name);
  const sent: CapturedRequest[] = [];
  const uploads: Buffer[] = [];
  const scopes: nock.Scope[] = [];

  for (const answer of capture.answers.filter((candidate) => !isLogBlob(candidate.url))) {
    const url = new URL(answer.url);
    const pathAndQuery = answer.url.slice(url.origin.length);
    const isUpload = url.host === UPLOAD_HOST;
    const body =
      answer.body === null
        ? ""
        : answer.body && typeof answer.body === "object" && "base64" in answer.body
          ? bodyBytes(answer.body)
          : typeof answer.body === "string"
            ? answer.body
            : JSON.stringify(answer.body);
    const scope = nock(url.origin)
      .intercept(
        (path) => (isUpload ? path.split("?")[0] === url.pathname : path === pathAndQuery),
        answer.method,
      )
      .reply(answer.status, body, {
        ...(answer.body !== null && typeof answer.body === "object" && !("base64" in answer.body)
          ? { "Content-Type": "application/json; charset=utf-8" }
          : {}),
        ...answer.headers,
      });
    scope.on("request", (request, _interceptor, requestBody: string) => {
      const headers: Record<string, string> = {};
      for (const [lower, spelled] of Object.entries(KEPT_HEADERS)) {
        const value = headerValue(request.headers[lower]);
        if (value !== undefined && !(isUpload && lower !== "x-ms-blob-type")) {
          headers[spelled] = value;
        }
      }
      if (isUpload) {
        // nock hands over a body that is not text as hex.
        const hex = Buffer.from(requestBody, "hex");
        uploads.push(hex[0] === 0x1f && hex[1] === 0x8b ? hex : Buffer.from(requestBody, "utf8"));
      }
      sent.push({
        method: request.method,
        url: isUpload ? answer.url : `${url.origin}${request.path}`,
        headers,
        body: isUpload ? null : requestBody === "" ? null : requestBody,
      });
    });
    scopes.push(scope);
  }

  // az's upload is compared by method, URL and blob type; its bytes are checked separately.
  const expected = capture.requests
    .filter((request) => !isLogBlob(request.url))
    .map((request) =>
      new URL(request.url).host === UPLOAD_HOST
        ? {
            ...request,
            headers: { "x-ms-blob-type": request.headers["x-ms-blob-type"] },
            body: null,
          }
        : request,
    );

  const blob = new CapturedLogBlob(capture.answers);
  const clock = new VirtualClock();
  const recorder = new Recorder();

  return {
    capture,
    sent,
    uploads,
    blob,
    clock,
    recorder,
    expected,
    log: { output: recorder.output, transport: blob, clock },
    target: {
      credential: {
        getToken: async () => ({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
      },
      subscriptionId: SUBSCRIPTION_ID,
      subscriptionName: SUBSCRIPTION_NAME,
      endpoint: "https://management.azure.com",
      clientOptions: { retryOptions: { maxRetries: 0 } },
      sleep: async () => undefined,
      env: {},
      cwd: SOURCE_DIRECTORY,
      readStdin: async () => "",
      ...extra,
    },
    verify(expectedRequests = expected) {
      expect(sent).toEqual(expectedRequests);
      for (const scope of scopes) {
        expect(scope.pendingMocks()).toEqual([]);
      }
    },
  };
}

/**
 * az re-reads a run it waits for accepting any media type (its own poller sends a wildcard
 * Accept); our ARM client asks for `application/json` on every call. The server answers alike.
 */
export function withJsonAcceptOnRunPolls(requests: CapturedRequest[]): CapturedRequest[] {
  return requests.map((request) =>
    request.headers.Accept === "*/*" && /\/runs\/[^/?]+\?/.test(request.url)
      ? { ...request, headers: { ...request.headers, Accept: "application/json" } }
      : request,
  );
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

/** What az wrote for its error: the text after `ERROR: ` to the end of stderr. */
export function azError(capture: Capture): { message: string; exitCode: number } {
  const start = capture.stderr.indexOf("ERROR: ");
  const message =
    start < 0 ? "" : capture.stderr.slice(start + "ERROR: ".length).replace(/\n$/, "");
  return { message, exitCode: capture.exitCode };
}

/** stderr of az before its `ERROR:` line, i.e. its warnings. */
export function azWarnings(capture: Capture): string {
  const start = capture.stderr.indexOf("ERROR: ");
  return start < 0 ? capture.stderr : capture.stderr.slice(0, start);
}

/** Settles `promise` into a result or az's rendering of its error. */
export async function settle<T>(
  promise: Promise<T>,
): Promise<{ result?: T; error?: { message: string; exitCode: number } }> {
  return promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error: report(error) }),
  );
}

/** The entries of a gzipped tar, as `<type> <name>` lines (d for a directory, f for a file). */
export function archiveEntries(archive: Buffer): string[] {
  const tar = gunzipSync(archive);
  const entries: string[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;

    if (type === "x") {
      longName = /\d+ path=(.*)\n/.exec(content.toString("utf8"))?.[1];
      continue;
    }
    const name = (longName ?? field(0, 100)).replace(/\/$/, "");
    longName = undefined;
    entries.push(`${type === "5" ? "d" : "f"} ${name}`);
  }
  return entries;
}
