// An HTTPS request sent the way az sends it with HTTPS_PROXY set: CONNECT to the proxy for the
// URL's host, then TLS inside the tunnel, checked against the given CA.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { connect as tlsConnect } from "node:tls";
import type { Socket } from "node:net";

export interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order. */
  headerNames: string[];
  body: Buffer;
}

/** Opens a CONNECT tunnel; resolves with the proxy's status and, on 200, the socket. */
export function openTunnel(
  proxyPort: number,
  authority: string,
): Promise<{ status: number; socket: Socket; text: string }> {
  return new Promise((resolve, reject) => {
    const connectRequest = httpRequest({
      host: "127.0.0.1",
      port: proxyPort,
      method: "CONNECT",
      path: authority,
    });
    connectRequest.once("connect", (answer, socket: Socket, head: Buffer) => {
      if (answer.statusCode === 200) {
        resolve({ status: 200, socket, text: "" });
        return;
      }
      let text = head.toString();
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.once("close", () => resolve({ status: answer.statusCode ?? 0, socket, text }));
    });
    connectRequest.once("error", reject);
    connectRequest.end();
  });
}

export async function httpsViaProxy(
  url: string,
  options: {
    proxyPort: number;
    ca: string;
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<ProxiedAnswer> {
  const target = new URL(url);
  const port = Number(target.port || 443);
  const tunnel = await openTunnel(options.proxyPort, `${target.hostname}:${port}`);
  if (tunnel.status !== 200) {
    throw new Error(`the proxy answered ${tunnel.status}: ${tunnel.text}`);
  }

  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: target.hostname,
        port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: options.headers,
        createConnection: () =>
          tlsConnect({ socket: tunnel.socket, servername: target.hostname, ca: options.ca }),
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.once("end", () => {
          tunnel.socket.destroy();
          resolve({
            status: answer.statusCode ?? 0,
            headers: answer.headers,
            headerNames: answer.rawHeaders.filter((_, index) => index % 2 === 0),
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    outgoing.once("error", reject);
    outgoing.end(options.body);
  });
}
