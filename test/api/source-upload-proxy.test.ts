import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { uploadArchive } from "../../src/api/source-upload.js";
import { makeTestCertificates } from "../emulator/blob/certificates.js";
import type { TestCertificates } from "../emulator/blob/certificates.js";

const BLOB_HOST = "devstoreaccount1.blob.localhost";

describe("the source upload through the cloud's storage proxy", () => {
  let certificates: TestCertificates;
  let folder: string;
  let blobServer: Server;
  let blobPort: number;
  let proxy: Server;
  let proxyPort: number;
  const tunnels: string[] = [];
  const sockets: Socket[] = [];
  const uploads: { method?: string; url?: string; host?: string; body: Buffer }[] = [];

  beforeAll(async () => {
    certificates = makeTestCertificates("localhost");
    folder = mkdtempSync(join(tmpdir(), "acrtask-upload-proxy-"));
    blobServer = createHttpsServer(
      { cert: readFileSync(certificates.certPath), key: readFileSync(certificates.keyPath) },
      (request: IncomingMessage, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          uploads.push({
            method: request.method,
            url: request.url,
            host: request.headers.host,
            body: Buffer.concat(chunks),
          });
          response.writeHead(201, { etag: '"0x1"', "x-ms-request-server-encrypted": "true" });
          response.end();
        });
      },
    );
    await new Promise<void>((resolve) => blobServer.listen(0, "127.0.0.1", resolve));
    blobPort = (blobServer.address() as AddressInfo).port;

    proxy = createHttpServer((_request, response) => response.writeHead(405).end());
    proxy.on("connect", (request: IncomingMessage, client: Socket) => {
      tunnels.push(String(request.url));
      const upstream = connect(blobPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.push(client, upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    blobServer.closeAllConnections();
    await new Promise((resolve) => blobServer.close(resolve));
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    certificates.remove();
    rmSync(folder, { recursive: true, force: true });
  });

  test("the archive is PUT through a tunnel to the blob host, trusting the given CA", async () => {
    const archive = join(folder, "source.tar.gz");
    writeFileSync(archive, "archived source");
    const uploadUrl = `https://${BLOB_HOST}:${blobPort}/source/abc/source.tar.gz?sig=secret`;

    await uploadArchive(uploadUrl, archive, {
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
      ca: certificates.ca,
    });

    expect(new Set(tunnels)).toEqual(new Set([`${BLOB_HOST}:${blobPort}`]));
    expect(uploads).toHaveLength(1);
    expect(uploads[0].method).toBe("PUT");
    expect(uploads[0].host).toBe(`${BLOB_HOST}:${blobPort}`);
    expect(uploads[0].url).toContain("/source/abc/source.tar.gz?");
    expect(uploads[0].body.toString()).toBe("archived source");
  });
});
