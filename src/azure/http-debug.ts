// --debug: one pipeline policy, added to every SDK client and credential, that writes each HTTP
// exchange to stderr — method, URL, headers, body, status, duration, request id — with every
// secret redacted first.

import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from "@azure/core-rest-pipeline";

import { redactBody, redactHeaderValue, redactUrl } from "./redact.js";

export const HTTP_DEBUG_POLICY_NAME = "acrtaskHttpDebugPolicy";

/** Bodies longer than this are cut in the trace; their ends rarely matter. */
const BODY_LIMIT = 4096;

export interface HttpDebugOptions {
  /** Receives each line without the `DEBUG: ` prefix (the logger adds it). */
  debug: (message: string) => void;
  /** Milliseconds clock; replaceable in tests. */
  now?: () => number;
}

function headerLines(headers: Iterable<[string, string]>): string[] {
  return [...headers].map(([name, value]) => `    '${name}': '${redactHeaderValue(name, value)}'`);
}

function describeBody(body: unknown, contentType: string | undefined): string | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  let text: string;
  if (typeof body === "string") {
    text = redactBody(body, contentType);
  } else if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    return `<${body.byteLength} bytes>`;
  } else {
    return "<stream>";
  }
  return text.length > BODY_LIMIT
    ? `${text.slice(0, BODY_LIMIT)}… (${text.length} characters)`
    : text;
}

function formBody(request: PipelineRequest): string | undefined {
  if (!request.formData) {
    return undefined;
  }
  const pairs = Object.entries(request.formData).map(([key, value]): [string, string] => [
    key,
    String(value),
  ]);
  return redactBody(new URLSearchParams(pairs).toString(), "application/x-www-form-urlencoded");
}

export function logRequest(request: PipelineRequest, debug: (message: string) => void): void {
  debug(`Request URL: '${redactUrl(request.url)}'`);
  debug(`Request method: '${request.method}'`);
  debug("Request headers:");
  for (const line of headerLines(request.headers)) {
    debug(line);
  }
  const body = formBody(request) ?? describeBody(request.body, request.headers.get("content-type"));
  if (body !== undefined) {
    debug("Request body:");
    debug(body);
  }
}

export function logResponse(
  response: PipelineResponse,
  milliseconds: number,
  debug: (message: string) => void,
): void {
  const requestId =
    response.headers.get("x-ms-request-id") ??
    response.headers.get("x-ms-client-request-id") ??
    response.request.headers.get("x-ms-client-request-id") ??
    response.request.requestId;
  debug(
    `Response status: ${response.status} (${response.request.method} ` +
      `${redactUrl(response.request.url)}, ${milliseconds} ms, request id ${requestId})`,
  );
  debug("Response headers:");
  for (const line of headerLines(response.headers)) {
    debug(line);
  }
  const body = describeBody(response.bodyAsText ?? undefined, response.headers.get("content-type"));
  if (body !== undefined && body !== "") {
    debug("Response content:");
    debug(body);
  }
}

/** The policy; place it `perRetry` so that it sees each attempt with its final headers. */
export function createHttpDebugPolicy(options: HttpDebugOptions): PipelinePolicy {
  const now = options.now ?? (() => Date.now());
  return {
    name: HTTP_DEBUG_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      logRequest(request, options.debug);
      const started = now();
      try {
        const response = await next(request);
        logResponse(response, Math.round(now() - started), options.debug);
        return response;
      } catch (error) {
        options.debug(
          `Request failed after ${Math.round(now() - started)} ms: ` +
            redactBody(String((error as Error)?.message ?? error)),
        );
        throw error;
      }
    },
  };
}
