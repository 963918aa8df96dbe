// Replays one golden capture of az 2.45 against our CLI: the capture's scenario answers every
// HTTP request through nock (nothing reaches the network), main() runs in-process with a
// signed-in profile of its own, and what it printed, returned and sent is collected for the
// comparison with what az printed, returned and sent.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import nock from "nock";

import { resetTokenStores } from "../../src/azure/credentials.js";
import { saveAccounts, saveServicePrincipal } from "../../src/azure/profile.js";
import { main } from "../../src/cli/main.js";
import type { Clock } from "../../src/logs/clock.js";
import {
  SUB,
  answer,
  createScenario,
  type ScenarioAnswer,
  type ScenarioEnvironment,
  type ScenarioName,
  type ScenarioRequest,
} from "../fixtures/golden/scenarios.js";

const CAPTURES = join(__dirname, "..", "fixtures", "golden", "az-2.45");

/** The hosts the scenarios answer for; a request to any other host fails the run. */
const SCENARIO_ORIGINS = [
  "https://management.azure.com",
  "https://acct.blob.core.windows.net",
  "https://upl.blob.core.windows.net",
  "https://example.com",
];
const METHODS = ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD"];

/** The identity the profile signs in as; Entra ID is answered by nock as well. */
const TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const ENTRA = "https://login.microsoftonline.com";

/** Exit code main() returns when it hands a command to the real az. */
export const FORWARDED = 99;

export interface Capture {
  name: string;
  /** `.cmd` line 1 without the leading `az `. */
  commandLine: string;
  /** `.cmd` line 2: the scenario and its switches. */
  scenarioLine: string;
  stdout: string;
  stderr: string;
  rc: number;
  requests: RecordedRequest[];
}

/** One request as the capture tool logs it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Header names as sent; the tool keeps only a few. */
  headers: Record<string, string>;
  body: string | null;
}

/** Reads capture `name` from `directory` (by default the golden captures). */
export function loadCapture(name: string, directory = CAPTURES): Capture {
  const read = (extension: string) => readFileSync(join(directory, `${name}.${extension}`), "utf8");
  const [commandLine, scenarioLine] = read("cmd").split("\n");
  return {
    name,
    commandLine: commandLine.replace(/^az /, ""),
    scenarioLine,
    stdout: read("stdout"),
    stderr: read("stderr"),
    rc: Number(read("rc").trim()),
    requests: read("requests.jsonl")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as RecordedRequest),
  };
}

/** A clock whose sleeps return at once and move its time on by the amount asked for. */
export class VirtualClock implements Clock {
  private time = 0;

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

/** The config directory of a signed-in service principal with az's test subscription. */
function signedInConfigDir(): string {
  const configDir = mkdtempSync(join(tmpdir(), "acrtask-golden-"));
  saveAccounts(configDir, [
    {
      id: SUB,
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

/** A source directory for the upload commands (`acr run .`, `acr build .`). */
function sourceDirectory(root: string): string {
  const source = join(root, "src");
  mkdirSync(join(source, ".git"), { recursive: true });
  writeFileSync(join(source, "Dockerfile"), "FROM alpine\nRUN echo hello\n");
  writeFileSync(join(source, ".git", "HEAD"), "ref: refs/heads/main\n");
  return source;
}

function encodeAnswerBody(body: unknown): { body: string | Buffer; json: boolean } {
  if (body === null || body === undefined) {
    return { body: "", json: false };
  }
  if (Buffer.isBuffer(body) || typeof body === "string") {
    return { body, json: false };
  }
  return { body: JSON.stringify(body), json: true };
}

/** Decides the answer to each request of one invocation. */
export type Responder = (request: ScenarioRequest) => ScenarioAnswer;

/** The answers of a scenario's routes, as the capture tool gives them. */
export function scenarioResponder(name: ScenarioName, env: ScenarioEnvironment = {}): Responder {
  const routes = createScenario(name, env);
  return (request) => answer(routes, request);
}

/** One answer recorded with a capture (the answer az received to its request of that index). */
export interface RecordedAnswer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Answers the n-th request with the n-th recorded answer while the requests are az's; a request
 * az did not send gets a 500 (and the request comparison then shows it).
 */
export function recordedResponder(answers: readonly RecordedAnswer[]): Responder {
  let index = 0;
  return (request) => {
    const recorded = answers[index];
    index += 1;
    if (!recorded || recorded.method !== request.method || recorded.url !== request.url) {
      return { status: 500, body: { error: { code: "Unexpected", message: "not az's request" } } };
    }
    return { status: recorded.status, body: recorded.body, headers: recorded.headers };
  };
}

/** Answers every request to the known hosts through `respond`, and records them. */
function serve(respond: Responder): RecordedRequest[] {
  const sent: RecordedRequest[] = [];

  for (const origin of SCENARIO_ORIGINS) {
    for (const method of METHODS) {
      const answers = new Map<object, ScenarioAnswer>();
      const scope = nock(origin)
        .persist()
        .intercept(() => true, method)
        .reply(function reply() {
          const reply = answers.get(this.req) ?? { status: 500, body: null };
          const encoded = encodeAnswerBody(reply.body);
          const headers: Record<string, string> = { ...reply.headers };
          if (encoded.json && !Object.keys(headers).some((key) => /^content-type$/i.test(key))) {
            headers["Content-Type"] = "application/json; charset=utf-8";
          }
          return [reply.status, encoded.body, headers];
        });
      scope.on("request", (request, _interceptor, bodyText: string) => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(request.headers as Record<string, unknown>)) {
          headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
        }
        const scenarioRequest: ScenarioRequest = {
          method: request.method,
          url: `${origin}${request.path}`,
          headers,
          body: bodyText,
        };
        sent.push({ ...scenarioRequest, body: bodyText === "" ? null : bodyText });
        answers.set(request, respond(scenarioRequest));
      });
    }
  }

  nock(ENTRA).persist().post(`/${TENANT}/oauth2/v2.0/token`).query(true).reply(200, {
    token_type: "Bearer",
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: "fake-token",
  });
  return sent;
}

export interface Invocation {
  argv: readonly string[];
  respond: Responder;
  /** The working directory; by default a fresh one holding a Dockerfile. */
  cwd?: string;
  /** Variables added to the environment (read by `--arg NAME` without a value). */
  env?: Record<string, string>;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
  sent: RecordedRequest[];
  /** The argv handed to the real az, when main() forwarded the command. */
  forwarded?: readonly string[];
}

/** Runs our main() for one invocation against its scenario. */
export async function replay(invocation: Invocation): Promise<Outcome> {
  const configDir = signedInConfigDir();
  const source = sourceDirectory(configDir);
  resetTokenStores();
  nock.disableNetConnect();
  const sent = serve(invocation.respond);

  let stdout = "";
  let stderr = "";
  let forwarded: readonly string[] | undefined;
  try {
    const rc = await main(invocation.argv, {
      stdout: { isTTY: false, write: (text) => void (stdout += text) },
      stderr: { isTTY: false, write: (text) => void (stderr += text) },
      env: {
        HOME: configDir,
        ACRTASK_CONFIG_DIR: configDir,
        AZURE_CONFIG_DIR: configDir,
        ...invocation.env,
      },
      cwd: invocation.cwd ?? source,
      readStdin: () => "",
      services: { clock: new VirtualClock() },
      forward: async (argv) => {
        forwarded = argv;
        return FORWARDED;
      },
    });
    return { stdout, stderr, rc, sent, forwarded };
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(configDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** What of a request the comparison looks at. */
export interface ComparableRequest {
  method: string;
  url: string;
  /** The headers whose value matters, lower-cased; absent ones are left out. */
  headers: Record<string, string>;
  /** JSON bodies parsed; bodies sent to storage (the source upload) only as "binary". */
  body: unknown;
}

/**
 * Headers that carry meaning: the ARM content negotiation az's pollers rely on, and the blob
 * range and type. Others (user agent, request ids, storage service versions) are ours to
 * choose.
 */
function meaningfulHeaders(url: string, headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  const arm = url.startsWith("https://management.azure.com/");
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (key === "x-ms-range" || key === "x-ms-blob-type" || (arm && key === "accept")) {
      kept[key] = value;
    }
    if (arm && key === "content-type") {
      kept[key] = value.split(";")[0];
    }
  }
  return kept;
}

function comparableBody(url: string, body: string | null): unknown {
  if (body === null) {
    return null;
  }
  // Bodies sent to storage are the packed source: its bytes vary with time and temp names.
  if (new URL(url).hostname.endsWith(".blob.core.windows.net")) {
    return "binary";
  }
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function comparable(request: RecordedRequest): ComparableRequest {
  return {
    method: request.method,
    url: request.url,
    headers: meaningfulHeaders(request.url, request.headers),
    body: comparableBody(request.url, request.body),
  };
}

export function firstLine(text: string): string {
  return text.split("\n")[0];
}

/**
 * Where a capture's requests may differ from ours by design (each is in docs/compatibility.md);
 * everything else must be az's.
 */
export interface Tolerances {
  /**
   * The command streams a run log. How the streamer polls the blob is its own choice (ranged
   * GETs that carry the metadata where az sends a HEAD before each GET, and far more often), and
   * while the log is idle it reads the run's status, which az never does. So the log reads count
   * as one kind of request, consecutive ones once, and run reads after the first log read are
   * left out. Which blob is read, and where among the ARM calls, still counts.
   */
  streamsLog?: boolean;
  /**
   * The command waits for the run (`--no-logs`). acrtask re-reads it on a schedule of its own
   * and with `Accept: application/json`, so consecutive reads of the run count once.
   */
  pollsRun?: boolean;
  /** Text that varies from one run of az to the next (a random number, a uuid): masked in the
   * first stderr line and in request bodies. */
  varying?: RegExp;
}

const RUN_URL = /\/registries\/[^/]+\/runs\/[^/?]+\?/;

function isLogRead(request: ComparableRequest): boolean {
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    new URL(request.url).hostname.endsWith(".blob.core.windows.net")
  );
}

function isRunRead(request: ComparableRequest): boolean {
  return request.method === "GET" && RUN_URL.test(request.url);
}

function masked(text: string, varying: RegExp | undefined): string {
  return varying ? text.replace(new RegExp(varying.source, "g"), "<varies>") : text;
}

/** The requests as the tolerances compare them. */
export function normaliseRequests(
  requests: readonly ComparableRequest[],
  tolerances: Tolerances,
): ComparableRequest[] {
  const marker = (method: string, url: string) => ({ method, url, headers: {}, body: null });
  const normalised: ComparableRequest[] = [];
  let logRead = false;

  for (const request of requests) {
    let next = request;
    if (tolerances.streamsLog && isLogRead(request)) {
      logRead = true;
      next = marker("READ LOG", request.url);
    } else if (tolerances.streamsLog && logRead && isRunRead(request)) {
      continue;
    } else if (tolerances.pollsRun && isRunRead(request)) {
      next = marker("READ RUN", request.url);
    } else if (tolerances.varying && request.body !== null) {
      next = {
        ...request,
        body: JSON.parse(masked(JSON.stringify(request.body), tolerances.varying)) as unknown,
      };
    }

    const previous = normalised.at(-1);
    if (next.method.startsWith("READ ") && JSON.stringify(previous) === JSON.stringify(next)) {
      continue;
    }
    normalised.push(next);
  }
  return normalised;
}

/** stdout byte for byte, the first stderr line, the exit code and the requests, as az's. */
export function expectSameAsAz(
  capture: Capture,
  outcome: Outcome,
  tolerances: Tolerances = {},
): void {
  const stderrLine = (text: string) => masked(firstLine(text), tolerances.varying);
  const requests = (list: RecordedRequest[]) => normaliseRequests(list.map(comparable), tolerances);

  expect(outcome.forwarded).toBeUndefined();
  expect(stderrLine(outcome.stderr)).toBe(stderrLine(capture.stderr));
  expect(outcome.stdout).toBe(capture.stdout);
  expect(outcome.rc).toBe(capture.rc);
  expect(requests(outcome.sent)).toEqual(requests(capture.requests));
}

// ---------------------------------------------------------------------------------------------
// The Node API's captures: az 2.45 runs of every task command, each with the answers it got

const API_CAPTURES = join(__dirname, "..", "fixtures", "api", "captures");

/** The directory the API's captures ran in (it holds their task file). */
export const API_SOURCE_DIRECTORY = join(__dirname, "..", "fixtures", "api", "src");

export interface ApiReplay {
  argv: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * Replays one of the Node API's captures (test/fixtures/api/captures) through main(), each
 * request answered with the answer az got to the same request. `argv` must be the capture's
 * command line split as the shell split it.
 */
export async function replayApiCapture(
  name: string,
  invocation: ApiReplay,
): Promise<{ capture: Capture; outcome: Outcome }> {
  const capture = loadCapture(name, API_CAPTURES);
  expect(invocation.argv.join(" ")).toBe(capture.commandLine);

  const answers = readFileSync(join(API_CAPTURES, `${name}.responses.jsonl`), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RecordedAnswer);
  const outcome = await replay({ ...invocation, respond: recordedResponder(answers) });
  return { capture, outcome };
}
