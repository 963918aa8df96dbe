import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";

import { createHttpBlobTransport } from "../../src/logs/blob-transport.js";
import { makeTestCertificates } from "../emulator/blob/certificates.js";
import type { TestCertificates } from "../emulator/blob/certificates.js";

const LOG = Buffer.from("first\r\nsecond\r\n");
const BLOB_HOST = "devstoreaccount1.blob.localhost";

describe("log blob access through a CONNECT proxy", () => {
  let certificates: TestCertificates;
  let blobServer: Server;
  let blobPort: number;
  let proxy: Server;
  let proxyPort: number;
  let tunnels: string[];
  let tunnelSockets: Socket[];
  let refuseTunnels: boolean;
  let served: IncomingMessage[];

  beforeAll(async () => {
    certificates = makeTestCertificates("localhost");
    blobServer = createHttpsServer(
      { cert: readFileSync(certificates.certPath), key: readFileSync(certificates.keyPath) },
      (request, response) => {
        served.push(request);
        const range = /bytes=(\d+)-(\d+)/.exec(String(request.headers["x-ms-range"] ?? ""));
        const start = Number(range?.[1] ?? 0);
        const body = LOG.subarray(start, Number(range?.[2] ?? LOG.length) + 1);
        response.writeHead(206, {
          "content-range": `bytes ${start}-${start + body.length - 1}/${LOG.length}`,
          "x-ms-meta-Complete": "successful",
        });
        response.end(request.method === "HEAD" ? undefined : body);
      },
    );
    await new Promise<void>((resolve) => blobServer.listen(0, "127.0.0.1", resolve));
    blobPort = (blobServer.address() as AddressInfo).port;

    // The blob host is known only to the proxy, as with the emulator's.
    proxy = createHttpServer((_request, response) => response.writeHead(405).end());
    proxy.on("connect", (request: IncomingMessage, client: Socket) => {
      tunnels.push(String(request.url));
      if (refuseTunnels) {
        client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      const [host, port] = String(request.url).split(":");
      if (host !== BLOB_HOST) {
        client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        return;
      }
      const upstream = connect(blobPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      expect(port).toBe(String(blobPort));
      tunnelSockets.push(client, upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  beforeEach(() => {
    tunnels = [];
    tunnelSockets = [];
    served = [];
    refuseTunnels = false;
  });

  afterEach(() => {
    for (const socket of tunnelSockets) {
      socket.destroy();
    }
  });

  afterAll(async () => {
    blobServer.closeAllConnections();
    await new Promise((resolve) => blobServer.close(resolve));
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    certificates.remove();
  });

  const blobUrl = () => `https://${BLOB_HOST}:${blobPort}/logs/ca1/rawtext.log?sig=abc`;

  test(
    "HEAD and ranged GETs go through tunnels to the blob host, " + "TLS checked against the CA",
    async () => {
      const transport = await createHttpBlobTransport(blobUrl(), {
        proxyUrl: `http://127.0.0.1:${proxyPort}`,
        ca: certificates.ca,
      });

      const head = await transport.head();
      const range = await transport.getRange(7, 4102);
      transport.close();

      expect(head.status).toBe(206);
      expect(range.status).toBe(206);
      expect(range.body.toString()).toBe("second\r\n");
      expect(tunnels.length).toBeGreaterThan(0);
      expect(new Set(tunnels)).toEqual(new Set([`${BLOB_HOST}:${blobPort}`]));
      expect(served.map((request) => request.headers.host)).toEqual([
        `${BLOB_HOST}:${blobPort}`,
        `${BLOB_HOST}:${blobPort}`,
      ]);
      expect(served[1].headers["x-ms-range"]).toBe("bytes=7-4102");
    },
  );

  test("without the CA the certificate is refused", async () => {
    const transport = await createHttpBlobTransport(blobUrl(), {
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
    });

    const answer = transport.head();

    await expect(answer).rejects.toHaveProperty("code", "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    transport.close();
    expect(served).toHaveLength(0);
  });

  test("a refused tunnel is a network error naming the proxy's answer", async () => {
    refuseTunnels = true;
    const transport = await createHttpBlobTransport(blobUrl(), {
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
      ca: certificates.ca,
    });

    const answer = transport.head();

    await expect(answer).rejects.toThrow(
      `The proxy refused the tunnel to ${BLOB_HOST}:${blobPort}: 403`,
    );
    await expect(answer).rejects.toHaveProperty("code", "EPROXY");
    transport.close();
  });
});
