// Plain HTTP access to one log blob: HEAD and ranged GET through a keep-alive connection, each
// answer returned whole (status, reason phrase, headers, body) so that the streamer decides
// about retries, offsets and messages itself. The storage SDK would retry on its own schedule,
// re-read a broken download with an ETag condition that an append blob fails, and hide the
// reason phrase az puts in its error text.

import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { LookupFunction } from "node:net";

import { redactSasUrl } from "./sas-url.js";

export interface BlobResponse {
  status: number;
  /** The HTTP reason phrase; Azure Storage puts its error description there. */
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface BlobTransport {
  /** HEAD of the blob: length in `content-length`, metadata in `x-ms-meta-*`. */
  head(signal?: AbortSignal): Promise<BlobResponse>;
  /** GET of the bytes `start`..`end` (inclusive) with `x-ms-range`, as az sends it. */
  getRange(start: number, end: number, signal?: AbortSignal): Promise<BlobResponse>;
  /** Releases kept-alive connections. */
  close(): void;
}

/** The request never produced a complete answer (reset, refused, timed out, cut short). */
export class BlobNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface HttpBlobTransportOptions {
  /** Longest silence on a connection before the request is abandoned. */
  requestTimeoutMs?: number;
  /** Called once per request with an already redacted line. */
  trace?: (line: string) => void;
}

// az's storage SDK speaks this version; answers (e.g. to ranges past the end) depend on it.
const STORAGE_VERSION = "2018-11-09";

// Names under .localhost are loopback by definition (RFC 6761), but the system resolver here
// does not know them; emulated storage is addressed as <account>.blob.localhost:<port>.
const resolveLocalhostNames: LookupFunction = (hostname, options, callback) => {
  const all = typeof options === "object" && options !== null && options.all === true;
  if (all) {
    (
      callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void
    )(null, [{ address: "127.0.0.1", family: 4 }]);
    return;
  }
  callback(null, "127.0.0.1", 4);
};

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === "localhost" || name.endsWith(".localhost");
}

/** A transport for the blob at `url` (a SAS URL; http or https, as given). */
export async function createHttpBlobTransport(
  url: string,
  options: HttpBlobTransportOptions = {},
): Promise<BlobTransport> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const http = secure ? await import("node:https") : await import("node:http");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const lookup = isLocalhostName(target.hostname) ? resolveLocalhostNames : undefined;
  const shownUrl = redactSasUrl(url);

  function send(
    method: "HEAD" | "GET",
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<BlobResponse> {
    const started = performance.now();
    const requestId = randomUUID();

    return new Promise<BlobResponse>((resolve, reject) => {
      const fail = (error: Error & { code?: string }) => {
        options.trace?.(`${method} ${shownUrl} failed: ${error.code ?? error.message}`);
        reject(
          error instanceof BlobNetworkError
            ? error
            : new BlobNetworkError(error.message, error.code),
        );
      };

      const request = http.request(
        target,
        {
          method,
          agent,
          lookup,
          signal,
          headers: {
            ...headers,
            "x-ms-version": STORAGE_VERSION,
            "x-ms-client-request-id": requestId,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", fail);
          response.on("end", () => {
            if (!response.complete) {
              fail(
                new BlobNetworkError(
                  "The connection closed before the answer was complete",
                  "ECONNRESET",
                ),
              );
              return;
            }
            const elapsed = (performance.now() - started).toFixed(1);
            const range = headers["x-ms-range"] ? ` ${headers["x-ms-range"]}` : "";
            options.trace?.(
              `${method} ${shownUrl}${range} -> ${response.statusCode} in ${elapsed} ms` +
                ` (client request id ${requestId})`,
            );
            resolve({
              status: response.statusCode ?? 0,
              statusMessage: response.statusMessage ?? "",
              headers: response.headers,
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      request.setTimeout(requestTimeoutMs, () => {
        request.destroy(
          new BlobNetworkError(`No answer within ${requestTimeoutMs} ms`, "ETIMEDOUT"),
        );
      });
      request.on("error", fail);
      request.end();
    });
  }

  return {
    head: (signal) => send("HEAD", {}, signal),
    getRange: (start, end, signal) =>
      send("GET", { "x-ms-range": `bytes=${start}-${end}` }, signal),
    close: () => agent.destroy(),
  };
}
