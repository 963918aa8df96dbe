// Plain HTTP access to one log blob: HEAD and ranged GET through a keep-alive connection, each
// answer returned whole (status, reason phrase, headers, body) so that the streamer decides
// about retries, offsets and messages itself. The storage SDK would retry on its own schedule,
// re-read a broken download with an ETag condition that an append blob fails, and hide the
// reason phrase az puts in its error text.

import { randomUUID } from "node:crypto";
import type { Agent, IncomingHttpHeaders } from "node:http";
import type { LookupFunction, Socket } from "node:net";
import type { Duplex } from "node:stream";

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

/** How the blob's host is reached: the cloud's storage proxy and extra CA, when it has them. */
export interface BlobConnectionOptions {
  /**
   * An HTTP proxy (`http://host:port`) that every connection is tunnelled through with
   * CONNECT, as az does under HTTPS_PROXY; the emulator's storage is reachable only that way.
   */
  proxyUrl?: string;
  /** A PEM certificate authority trusted besides the system's roots (the emulator's). */
  ca?: string;
}

export interface HttpBlobTransportOptions extends BlobConnectionOptions {
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
  const ca = options.ca ? [...(await import("node:tls")).rootCertificates, options.ca] : undefined;
  const agent = options.proxyUrl
    ? await createTunnellingAgent(target, options.proxyUrl, ca)
    : new http.Agent({ keepAlive: true, maxSockets: 4, ...(secure && ca ? { ca } : {}) });
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  // Through a proxy, the proxy resolves the name.
  const lookup =
    !options.proxyUrl && isLocalhostName(target.hostname) ? resolveLocalhostNames : undefined;
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

/**
 * An agent for the blob host of `url` honouring `connection` (tunnel through its proxy, trust
 * its CA); none when neither is given, so the client's default applies.
 */
export async function createBlobConnectionAgent(
  url: string,
  connection: BlobConnectionOptions,
): Promise<Agent | undefined> {
  const target = new URL(url);
  const ca = connection.ca
    ? [...(await import("node:tls")).rootCertificates, connection.ca]
    : undefined;
  if (connection.proxyUrl) {
    return createTunnellingAgent(target, connection.proxyUrl, ca);
  }
  if (ca && target.protocol === "https:") {
    const { Agent: HttpsAgent } = await import("node:https");
    return new HttpsAgent({ keepAlive: true, ca });
  }
  return undefined;
}

/**
 * A keep-alive agent whose connections are CONNECT tunnels through `proxyUrl` to the blob's
 * host, with TLS inside the tunnel for https (server name and certificate checked against the
 * blob's host, not the proxy's).
 */
async function createTunnellingAgent(
  target: URL,
  proxyUrl: string,
  ca: string[] | undefined,
): Promise<Agent> {
  const proxy = new URL(proxyUrl);
  const secure = target.protocol === "https:";
  const port = Number(target.port || (secure ? 443 : 80));
  const authority = `${target.hostname}:${port}`;
  const { Agent: HttpAgent, request: httpRequest } = await import("node:http");
  const { Agent: HttpsAgent } = await import("node:https");
  const { connect: tlsConnect } = await import("node:tls");
  const proxyAuthorization =
    proxy.username || proxy.password
      ? `Basic ${Buffer.from(
          `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`,
        ).toString("base64")}`
      : undefined;

  const openTunnel = (callback: (error: Error | null, socket: Duplex) => void): void => {
    const failed = (error: Error) => callback(error, undefined as unknown as Duplex);
    const connectRequest = httpRequest({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      method: "CONNECT",
      path: authority,
      headers: {
        host: authority,
        ...(proxyAuthorization ? { "proxy-authorization": proxyAuthorization } : {}),
      },
    });
    connectRequest.once("connect", (answer, socket: Socket) => {
      if (answer.statusCode !== 200) {
        socket.destroy();
        failed(
          new BlobNetworkError(
            `The proxy refused the tunnel to ${authority}: ${answer.statusCode} ` +
              `${answer.statusMessage ?? ""}`.trimEnd(),
            "EPROXY",
          ),
        );
        return;
      }
      if (!secure) {
        callback(null, socket);
        return;
      }
      const tlsSocket = tlsConnect({ socket, servername: target.hostname, ca });
      tlsSocket.once("secureConnect", () => callback(null, tlsSocket));
      tlsSocket.once("error", failed);
    });
    connectRequest.once("error", failed);
    connectRequest.end();
  };

  // The agent's own connection step is replaced; TLS, if any, is done inside the tunnel. The
  // base class still has to match the scheme, which the request checks.
  const Base = secure ? HttpsAgent : HttpAgent;
  class TunnellingAgent extends Base {
    override createConnection(
      _options: unknown,
      callback?: (error: Error | null, socket: Duplex) => void,
    ): undefined {
      openTunnel((error, socket) => callback?.(error, socket));
      return undefined;
    }
  }
  return new TunnellingAgent({ keepAlive: true, maxSockets: 4 });
}
