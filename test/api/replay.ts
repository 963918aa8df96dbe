// Replays a capture of the real az 2.45 (see test/fixtures/api/PROVENANCE.md): the answers az
// received become nock interceptors, and the requests we send are recorded so that a test can
// compare them, in order and byte for byte, with the requests az sent.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import nock from "nock";

import type { ArmConnection } from "../../src/azure/arm.js";

export const SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444";
export const SUBSCRIPTION_NAME = "MySub";

const captures = join(__dirname, "..", "fixtures", "api", "captures");

export interface CapturedRequest {
  method: string;
  url: string;
  /** Accept and Content-Type, as az sent them. */
  headers: Record<string, string>;
  body: string | null;
}

export interface CapturedAnswer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Capture {
  requests: CapturedRequest[];
  answers: CapturedAnswer[];
  stdout: string;
  stderr: string;
  exitCode: number;
}

function jsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

export function loadCapture(name: string): Capture {
  const file = (extension: string) => join(captures, `${name}.${extension}`);
  return {
    requests: jsonLines<CapturedRequest>(file("requests.jsonl")),
    answers: jsonLines<CapturedAnswer>(file("responses.jsonl")),
    stdout: readFileSync(file("stdout"), "utf8"),
    stderr: readFileSync(file("stderr"), "utf8"),
    exitCode: Number(readFileSync(file("rc"), "utf8").trim()),
  };
}

/** The first line of az's stderr without its `ERROR: ` prefix, e.g. for an error message. */
export function firstErrorLine(capture: Capture): string {
  return capture.stderr.split("\n")[0].replace(/^ERROR: /, "");
}

/** stdout parsed as JSON; undefined when az printed nothing. */
export function stdoutJson(capture: Capture): unknown {
  return capture.stdout === "" ? undefined : JSON.parse(capture.stdout);
}

export const fakeCredential = {
  getToken: async () => ({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface Replay {
  connection: ArmConnection;
  capture: Capture;
  /** What we sent, in the shape of the capture's request log. */
  sent: CapturedRequest[];
  /** Fails unless every answer was used and we sent exactly az's requests. */
  verify(): void;
  /** Delays our long-running-operation loop asked for. */
  sleeps: number[];
}

function headerValue(value: string | string[] | number | undefined): string | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value.join(", ") : String(value);
}

export interface ReplayRange {
  /** Index of the first exchange to replay (default 0). */
  from?: number;
  /** Index after the last exchange to replay (default: all). */
  to?: number;
}

/**
 * Sets up the answers az received in capture `name`, optionally only a range of its
 * exchanges (request i was answered by answer i: the scenarios answer every request).
 */
export function replay(name: string, range: ReplayRange = {}): Replay {
  const whole = loadCapture(name);
  const capture = {
    ...whole,
    requests: whole.requests.slice(range.from ?? 0, range.to),
    answers: whole.answers.slice(range.from ?? 0, range.to),
  };
  const sent: CapturedRequest[] = [];
  const sleeps: number[] = [];
  const scopes: nock.Scope[] = [];

  for (const answer of capture.answers) {
    const url = new URL(answer.url);
    const pathAndQuery = answer.url.slice(url.origin.length);
    const scope = nock(url.origin)
      .intercept((path) => path === pathAndQuery, answer.method)
      .reply(
        answer.status,
        answer.body === null
          ? ""
          : typeof answer.body === "string"
            ? answer.body
            : JSON.stringify(answer.body),
        {
          ...(answer.body !== null && typeof answer.body === "object"
            ? { "Content-Type": "application/json; charset=utf-8" }
            : {}),
          ...answer.headers,
        },
      );
    scope.on("request", (request, _interceptor, body: string) => {
      const headers: Record<string, string> = {};
      const accept = headerValue(request.headers["accept"]);
      const contentType = headerValue(request.headers["content-type"]);
      if (accept !== undefined) {
        headers["Accept"] = accept;
      }
      if (contentType !== undefined) {
        headers["Content-Type"] = contentType;
      }
      sent.push({
        method: request.method,
        url: `${url.origin}${request.path}`,
        headers,
        body: body === "" ? null : body,
      });
    });
    scopes.push(scope);
  }

  return {
    capture,
    sent,
    sleeps,
    connection: {
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com",
      clientOptions: { retryOptions: { maxRetries: 0 } },
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
    },
    verify() {
      expect(sent).toEqual(capture.requests);
      for (const scope of scopes) {
        expect(scope.pendingMocks()).toEqual([]);
      }
    },
  };
}
