// An HTTP proxy on loopback that only tunnels (CONNECT) to the emulator's blob hosts. Clients
// that cannot resolve `<account>.blob.<suffix>` (the real az, given HTTPS_PROXY) ask it for a
// tunnel and it connects them to Azurite; TLS stays end to end, so Azurite's certificate must
// name `*.blob.<suffix>`. Any other host is refused at once, which also stops a client from
// reaching out to real Azure by mistake.

import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";

export interface BlobProxyOptions {
  /** Links' endpoint suffix, e.g. `core.windows.net`; may carry a port (`localhost:10000`). */
  endpointSuffix: string;
  /** Where Azurite listens on 127.0.0.1. */
  azuritePort: number;
  /** Default 0: any free port. */
  port?: number;
}

export interface BlobProxyHandle {
  port: number;
  /** `http://127.0.0.1:<port>`, the value for HTTPS_PROXY. */
  url: string;
  /** Points new tunnels at another Azurite port (after Azurite restarted). */
  setAzuritePort(port: number): void;
  stop(): Promise<void>;
}

const ACCOUNT_LABEL = "[a-z0-9]{3,24}";

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether a CONNECT target (`host:port`) is a blob host of the suffix. Links name no port
 * unless the suffix carries one, so without one only 443 matches.
 */
export function blobHostMatcher(endpointSuffix: string): (authority: string) => boolean {
  const suffix = endpointSuffix.toLowerCase();
  const withPort = /:\d+$/.test(suffix) ? suffix : `${suffix}:443`;
  const pattern = new RegExp(`^${ACCOUNT_LABEL}\\.blob\\.${escapeForPattern(withPort)}$`);
  return (authority) => pattern.test(authority.toLowerCase());
}

export async function startBlobProxy(options: BlobProxyOptions): Promise<BlobProxyHandle> {
  const isBlobHost = blobHostMatcher(options.endpointSuffix);
  let azuritePort = options.azuritePort;
  const sockets = new Set<Socket | Duplex>();
  const track = (socket: Socket | Duplex) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  const server: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(405, { "content-type": "text/plain", connection: "close" });
    response.end(
      `This proxy only opens tunnels (CONNECT) to <account>.blob.${options.endpointSuffix}.\n`,
    );
  });

  server.on("connect", (request: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on("error", () => client.destroy());
    const authority = request.url ?? "";
    if (!isBlobHost(authority)) {
      client.end(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
          `No tunnel to ${authority}: only <account>.blob.${options.endpointSuffix} is served.\n`,
      );
      return;
    }

    const upstream = connect({ host: "127.0.0.1", port: azuritePort });
    track(upstream);
    let established = false;
    upstream.once("connect", () => {
      established = true;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) {
        upstream.write(head);
      }
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => {
      if (!established) {
        client.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n");
      } else {
        client.destroy();
      }
    });
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  server.on("connection", track);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setAzuritePort: (next) => {
      azuritePort = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
