// Replays a capture of the real az 2.45 for the run-side commands (test/fixtures/api/runs, see
// its PROVENANCE.md) through our main(): the answers az received to its ARM, data-plane, upload
// and remote-context requests are given, in order, to ours, through nock with the network shut.
// The log blob is played as the blob az saw: it grows through the sizes and metadata az's HEADs
// found, one step per request we send, and answers ranged reads as Azure Storage does (a range
// past the end is a 416). How often the blob is polled is the streamer's own business; what is
// printed from it, and that it is read without a byte lost or repeated, is checked.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import nock from "nock";

import { resetTokenStores } from "../../../src/azure/credentials.js";
import { saveAccounts, saveServicePrincipal } from "../../../src/azure/profile.js";
import { main } from "../../../src/cli/main.js";
import { VirtualClock } from "../../golden/replay.js";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "api", "runs");
const CAPTURES = join(FIXTURES, "captures");

/** The directory the captures ran in (`-c .` and `acr run .` pack it). */
export const SOURCE_DIRECTORY = join(FIXTURES, "src");

export const SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444";
const TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const ENTRA = "https://login.microsoftonline.com";

const LOG_BLOB_HOST = "acct.blob.core.windows.net";
const UPLOAD_HOST = "upl.blob.core.windows.net";
const METHODS = ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD"];

/** One request as the capture tool logs it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

interface RecordedAnswer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RunCapture {
  name: string;
  /** `.cmd` line 1 without the leading `az `. */
  commandLine: string;
  /** Environment variables the capture ran with (`NAME=value` on line 2 of `.cmd`). */
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  rc: number;
  requests: RecordedRequest[];
  answers: RecordedAnswer[];
}

function jsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** Switches of the recording scenario itself, not environment variables az saw. */
const SCENARIO_SWITCHES = new Set(["REC", "AZH_RESPONSES", "AZH_FASTSLEEP"]);

export function loadRunCapture(name: string): RunCapture {
  const file = (extension: string) => join(CAPTURES, `${name}.${extension}`);
  const [commandLine, scenarioLine] = readFileSync(file("cmd"), "utf8").split("\n");
  const env: Record<string, string> = {};
  for (const word of scenarioLine.split(/\s+/)) {
    const separator = word.indexOf("=");
    if (separator > 0 && !SCENARIO_SWITCHES.has(word.slice(0, separator))) {
      env[word.slice(0, separator)] = word.slice(separator + 1);
    }
  }
  return {
    name,
    commandLine: commandLine.replace(/^az /, ""),
    env,
    stdout: readFileSync(file("stdout"), "utf8"),
    stderr: readFileSync(file("stderr"), "utf8"),
    rc: Number(readFileSync(file("rc"), "utf8").trim()),
    requests: jsonLines<RecordedRequest>(file("requests.jsonl")),
    answers: jsonLines<RecordedAnswer>(file("responses.jsonl")),
  };
}

function hostOf(url: string): string {
  return new URL(url).host;
}

function isLogBlob(url: string): boolean {
  return hostOf(url) === LOG_BLOB_HOST;
}

function bodyBytes(body: unknown): Buffer {
  if (body && typeof body === "object" && "base64" in body) {
    return Buffer.from(String((body as { base64: string }).base64), "base64");
  }
  return typeof body === "string" ? Buffer.from(body) : Buffer.alloc(0);
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

function answerOf(recorded: RecordedAnswer): Answer {
  const body = recorded.body;
  if (body === null || body === undefined) {
    return { status: recorded.status, headers: recorded.headers, body: "" };
  }
  if (typeof body === "object" && !("base64" in body)) {
    return {
      status: recorded.status,
      headers: { "Content-Type": "application/json; charset=utf-8", ...recorded.headers },
      body: JSON.stringify(body),
    };
  }
  return { status: recorded.status, headers: recorded.headers, body: bodyBytes(body) };
}

/** One state of the log blob as one of az's HEADs found it. */
interface BlobState {
  length: number;
  metadata: Record<string, string>;
}

/** The log blob az read, replayed as it grew. */
export class ReplayedLogBlob {
  private readonly content: Buffer;
  private readonly states: BlobState[];
  private step = 0;

  constructor(answers: readonly RecordedAnswer[], growing = true) {
    const blobAnswers = answers.filter((answer) => isLogBlob(answer.url));
    this.content = Buffer.concat(
      blobAnswers
        .filter((answer) => answer.method === "GET" && answer.status === 206)
        .map((answer) => bodyBytes(answer.body)),
    );
    const heads = blobAnswers.filter((answer) => answer.method === "HEAD" && answer.status < 300);
    this.states = heads.map((head) => {
      const metadata: Record<string, string> = {};
      let length = 0;
      for (const [name, value] of Object.entries(head.headers)) {
        if (name.toLowerCase().startsWith("x-ms-meta-")) {
          metadata[name] = value;
        }
        if (name.toLowerCase() === "content-length") {
          length = Math.min(Number(value), this.content.length);
        }
      }
      return { length, metadata };
    });
    if (!growing) {
      this.states = this.states.slice(-1);
    }
  }

  /** The answer to one request; every request lets the blob grow by one of az's steps. */
  answer(method: string, range: string | undefined): Answer {
    const state = this.states[Math.min(this.step, this.states.length - 1)];
    this.step += 1;
    if (state === undefined) {
      return {
        status: 404,
        headers: { "x-ms-error-code": "BlobNotFound" },
        body: "",
      };
    }
    const common = { "x-ms-blob-type": "AppendBlob", ...state.metadata };
    if (method === "HEAD") {
      return {
        status: 200,
        headers: { ...common, "Content-Length": String(state.length) },
        body: "",
      };
    }

    const [start, end] = (range ?? `bytes=0-${state.length - 1}`)
      .replace(/^bytes=/, "")
      .split("-")
      .map(Number);
    if (start >= state.length) {
      return {
        status: 416,
        headers: { "x-ms-error-code": "InvalidRange", "Content-Range": `bytes */${state.length}` },
        body: "",
      };
    }
    const last = Math.min(end, state.length - 1);
    return {
      status: 206,
      headers: { ...common, "Content-Range": `bytes ${start}-${last}/${state.length}` },
      body: this.content.subarray(start, last + 1),
    };
  }
}

/** A request we sent, with the headers the comparison looks at. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
  /** Our requests other than those to the log blob, in order. */
  sent: SentRequest[];
  /** Our requests to the log blob, with the answer's status and the bytes it carried. */
  blobReads: { method: string; url: string; range?: string; status: number; bytes: number }[];
  /** az's answers (other than the log blob's) that no request of ours received. */
  unusedAnswers: number;
}

export interface RunReplay {
  argv: readonly string[];
  cwd?: string;
  /** Serves the log blob at its final size at once, instead of letting it grow. */
  wholeBlob?: boolean;
  /** What standard input holds (`-f -` reads it from the process). */
  stdin?: string;
  /** stdout is a terminal (by default it is not, as in every capture). */
  terminal?: boolean;
  /** Called with each piece of stdout (e.g. to press Ctrl-C in the middle of a log). */
  onStdout?: (text: string) => void;
  /** Called with each request we send, before it is answered. */
  onRequest?: (request: SentRequest) => void;
}

function headerText(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The config directory of a signed-in service principal with az's test subscription. */
function signedInConfigDir(): string {
  const configDir = mkdtempSync(join(tmpdir(), "acrtask-run-"));
  saveAccounts(configDir, [
    {
      id: SUBSCRIPTION_ID,
      name: "MySub",
      state: "Enabled",
      user: { name: CLIENT, type: "servicePrincipal" },
      isDefault: true,
      tenantId: TENANT,
      environmentName: "AzureCloud",
      homeTenantId: TENANT,
      managedByTenants: [],
    },
  ]);
  saveServicePrincipal(configDir, { client_id: CLIENT, tenant: TENANT, client_secret: "secret" });
  return configDir;
}

/**
 * Runs our main() with `argv` against the answers of capture `name`. `argv` must be the
 * capture's command line as the shell split it.
 */
export async function replayRunCapture(
  name: string,
  invocation: RunReplay,
): Promise<{ capture: RunCapture; outcome: Outcome }> {
  const capture = loadRunCapture(name);
  expect(invocation.argv.join(" ")).toBe(capture.commandLine);
  const outcome = await replayAnswers(capture, invocation);
  return { capture, outcome };
}

/** Runs our main() with `argv` against the answers of `capture`, whatever its command line. */
export async function replayAnswers(capture: RunCapture, invocation: RunReplay): Promise<Outcome> {
  const configDir = signedInConfigDir();
  resetTokenStores();
  nock.disableNetConnect();

  const answers = capture.answers.filter((answer) => !isLogBlob(answer.url));
  const blob = new ReplayedLogBlob(capture.answers, !invocation.wholeBlob);
  let next = 0;
  const sent: SentRequest[] = [];
  const blobReads: Outcome["blobReads"] = [];

  const respond = (request: SentRequest): Answer => {
    if (isLogBlob(request.url)) {
      const answer = blob.answer(request.method, request.headers["x-ms-range"]);
      blobReads.push({
        method: request.method,
        url: request.url,
        range: request.headers["x-ms-range"],
        status: answer.status,
        bytes: request.method === "GET" ? answer.body.length : 0,
      });
      return answer;
    }
    sent.push(request);

    // The upload's SAS query is the storage client's to arrange; its path names the blob.
    const expected = answers[next];
    const matches =
      expected !== undefined &&
      expected.method === request.method &&
      (hostOf(request.url) === UPLOAD_HOST
        ? new URL(expected.url).pathname === new URL(request.url).pathname
        : expected.url === request.url);
    if (!matches) {
      // A status no client retries, so that a wrong request fails the test at once.
      return {
        status: 400,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ error: { code: "Unexpected", message: "not az's request" } }),
      };
    }
    next += 1;
    return answerOf(expected);
  };

  const origins = new Set([
    ...capture.answers.map((answer) => new URL(answer.url).origin),
    "https://management.azure.com",
  ]);
  for (const origin of origins) {
    for (const method of METHODS) {
      const answered = new Map<object, Answer>();
      const scope = nock(origin)
        .persist()
        .intercept(() => true, method)
        .reply(function reply() {
          const answer = answered.get(this.req) ?? { status: 500, headers: {}, body: "" };
          return [answer.status, answer.body, answer.headers];
        });
      scope.on("request", (request, _interceptor, bodyText: string) => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(request.headers as Record<string, unknown>)) {
          const text = headerText(value);
          if (text !== undefined) {
            headers[key.toLowerCase()] = text;
          }
        }
        const sentRequest: SentRequest = {
          method: request.method,
          url: `${origin}${request.path}`,
          headers,
          body: bodyText === "" ? null : bodyText,
        };
        invocation.onRequest?.(sentRequest);
        answered.set(request, respond(sentRequest));
      });
    }
  }
  // The data-plane exchange sends this token on, as az sent its own.
  nock(ENTRA).persist().post(`/${TENANT}/oauth2/v2.0/token`).query(true).reply(200, {
    token_type: "Bearer",
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: "faketoken",
  });

  const processStdin = Object.getOwnPropertyDescriptor(process, "stdin");
  if (invocation.stdin !== undefined) {
    const input = Readable.from([Buffer.from(invocation.stdin)]);
    Object.defineProperty(process, "stdin", { value: input, configurable: true });
  }

  let stdout = "";
  let stderr = "";
  try {
    const rc = await main(invocation.argv, {
      stdout: {
        isTTY: invocation.terminal === true,
        write: (text) => {
          stdout += text;
          invocation.onStdout?.(text);
        },
      },
      stderr: { isTTY: false, write: (text) => void (stderr += text) },
      env: {
        HOME: configDir,
        ACRTASK_CONFIG_DIR: configDir,
        AZURE_CONFIG_DIR: configDir,
        ...capture.env,
      },
      cwd: invocation.cwd ?? SOURCE_DIRECTORY,
      readStdin: () => invocation.stdin ?? "",
      services: { clock: new VirtualClock() },
      forward: async (argv) => {
        throw new Error(`handed to az: ${argv.join(" ")}`);
      },
    });
    return { stdout, stderr, rc, sent, blobReads, unusedAnswers: answers.length - next };
  } finally {
    if (processStdin) {
      Object.defineProperty(process, "stdin", processStdin);
    }
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(configDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** What of a request is compared with az's. */
interface ComparableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** `acr build` sends the Dockerfile of a local context under a random uuid prefix. */
function withoutRandomNames(body: unknown): unknown {
  if (body && typeof body === "object" && "dockerFilePath" in body) {
    const path = String(body.dockerFilePath);
    return { ...body, dockerFilePath: path.replace(/^[0-9a-f]{32}_/, "<uuid>_") };
  }
  return body;
}

/**
 * The headers that carry meaning: content negotiation and body type on ARM and on the data
 * plane, the blob type of the upload. az re-reads a run it waits for accepting any media type;
 * our ARM client asks for `application/json` on every call, which the service answers alike.
 */
function comparable(request: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}): ComparableRequest {
  const upload = hostOf(request.url) === UPLOAD_HOST;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const key = name.toLowerCase();
    if (upload) {
      if (key === "x-ms-blob-type") {
        headers[key] = value;
      }
      continue;
    }
    if (key === "accept") {
      const runRead = request.method === "GET" && /\/runs\/[^/?]+\?/.test(request.url);
      headers[key] = runRead && value === "*/*" ? "application/json" : value;
    }
    if (key === "content-type") {
      headers[key] = value.split(";")[0];
    }
  }

  let body: unknown = request.body;
  if (upload) {
    // The packed source varies with time and temporary names; the API tests read it.
    body = null;
  } else if (request.body !== null) {
    try {
      body = withoutRandomNames(JSON.parse(request.body));
    } catch {
      body = request.body;
    }
  }
  const url = upload ? request.url.split("?")[0] : request.url;
  return { method: request.method, url, headers, body };
}

export function firstLine(text: string): string {
  return text.split("\n")[0];
}

/**
 * Reads of the log blob take every byte once: each ranged GET starts where the bytes already
 * read end.
 */
export function expectContiguousBlobReads(outcome: Outcome): void {
  let offset = 0;
  for (const read of outcome.blobReads) {
    expect(["GET", "HEAD"]).toContain(read.method);
    if (read.method === "GET") {
      expect(read.range).toMatch(new RegExp(`^bytes=${offset}-\\d+$`));
      offset += read.status === 206 ? read.bytes : 0;
    }
  }
}

/** The lines of every `ERROR:` and `WARNING:` message (the first line of each message). */
export function messageLines(text: string): string[] {
  return text.split("\n").filter((line) => /^(ERROR|WARNING): /.test(line));
}

/**
 * Texts of az's messages that vary from one run to the next: the temporary archive and its
 * size in the upload warnings (see the contract, B7).
 */
const VARYING_UPLOAD_TEXT = /'[^']*_[0-9a-f]{32}\.tar\.gz'|\(\d+\.\d{3} [KMG]?i?B(ytes)?\)/g;

export interface Tolerances {
  /** Text of az's messages that varies between runs (a time, a random number). */
  varyingStderr?: RegExp;
}

/**
 * stdout byte for byte, the first line of stderr and of every message on it, the exit code and
 * every request other than the log blob's as az's; every answer az got was asked for; the log
 * blob read once through.
 */
export function expectSameAsAz(
  capture: RunCapture,
  outcome: Outcome,
  tolerances: Tolerances = {},
): void {
  const normalise = (line: string) => {
    const stable = line.replace(VARYING_UPLOAD_TEXT, "<varies>");
    return tolerances.varyingStderr ? stable.replace(tolerances.varyingStderr, "<varies>") : stable;
  };

  expect(normalise(firstLine(outcome.stderr))).toBe(normalise(firstLine(capture.stderr)));
  expect(messageLines(outcome.stderr).map(normalise)).toEqual(
    messageLines(capture.stderr).map(normalise),
  );
  expect(outcome.stdout).toBe(capture.stdout);
  expect(outcome.rc).toBe(capture.rc);
  expect(outcome.sent.map(comparable)).toEqual(
    capture.requests.filter((request) => !isLogBlob(request.url)).map(comparable),
  );
  expect(outcome.unusedAnswers).toBe(0);
  expectContiguousBlobReads(outcome);
}

/** az's requests other than the log blob's, compared as `expectSameAsAz` compares them. */
export function azRequests(capture: RunCapture): ComparableRequest[] {
  return capture.requests.filter((request) => !isLogBlob(request.url)).map(comparable);
}

export function ourRequests(outcome: Outcome): ComparableRequest[] {
  return outcome.sent.map(comparable);
}
