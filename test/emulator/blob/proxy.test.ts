// The blob proxy on its own: which tunnels it opens, and that bytes pass both ways unchanged,
// with a plain TCP echo server standing in for Azurite.

import { request } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";

import { blobHostMatcher, startBlobProxy } from "../../../src/emulator/blob/proxy.js";
import type { BlobProxyHandle } from "../../../src/emulator/blob/proxy.js";
import { openTunnel } from "./via-proxy.js";

describe("blobHostMatcher", () => {
  test.each([
    ["core.windows.net", "myaccount.blob.core.windows.net:443", true],
    ["core.windows.net", "MyAccount.Blob.Core.Windows.Net:443", true],
    ["core.windows.net", "myaccount.blob.core.windows.net:10000", false],
    ["core.windows.net", "myaccount.queue.core.windows.net:443", false],
    ["core.windows.net", "management.azure.com:443", false],
    ["core.windows.net", "my.account.blob.core.windows.net:443", false],
    ["core.windows.net", "ab.blob.core.windows.net:443", false],
    ["core.windows.net", "myaccount.blob.core.windows.net.evil.example:443", false],
    ["core.windows.net", "myaccount.blob.coreXwindows.net:443", false],
    ["localhost:10000", "devstoreaccount1.blob.localhost:10000", true],
    ["localhost:10000", "devstoreaccount1.blob.localhost:443", false],
  ])("suffix %s, CONNECT %s → %s", (suffix, authority, expected) => {
    expect(blobHostMatcher(suffix)(authority)).toBe(expected);
  });
});

describe("startBlobProxy", () => {
  let echo: Server;
  let echoPort: number;
  let proxy: BlobProxyHandle;
  const echoSockets = new Set<Socket>();

  beforeAll(async () => {
    echo = createServer((socket) => {
      echoSockets.add(socket);
      socket.once("close", () => echoSockets.delete(socket));
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoPort = (echo.address() as AddressInfo).port;
    proxy = await startBlobProxy({ endpointSuffix: "emulator.test", azuritePort: echoPort });
  });

  afterAll(async () => {
    await proxy.stop();
    for (const socket of echoSockets) {
      socket.destroy();
    }
    await new Promise((resolve) => echo.close(resolve));
  });

  test("listens on loopback and names itself as a proxy URL", () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
  });

  test("tunnels a blob host to the target and passes bytes both ways", async () => {
    const tunnel = await openTunnel(proxy.port, "acct1.blob.emulator.test:443");
    expect(tunnel.status).toBe(200);

    const echoed = new Promise<string>((resolve) =>
      tunnel.socket.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    tunnel.socket.write("ping through the tunnel");
    expect(await echoed).toBe("ping through the tunnel");
    tunnel.socket.destroy();
  });

  test("refuses any other host with 403 and says what it serves", async () => {
    const tunnel = await openTunnel(proxy.port, "login.microsoftonline.com:443");
    expect(tunnel.status).toBe(403);
    expect(tunnel.text).toBe(
      "No tunnel to login.microsoftonline.com:443: only <account>.blob.emulator.test is served.\n",
    );
  });

  test("answers 502 when nothing listens behind it", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    proxy.setAzuritePort(closedPort);
    try {
      const tunnel = await openTunnel(proxy.port, "acct1.blob.emulator.test:443");
      expect(tunnel.status).toBe(502);
    } finally {
      proxy.setAzuritePort(echoPort);
    }
  });

  test("answers plain HTTP requests with 405", async () => {
    const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const outgoing = request(
        { host: "127.0.0.1", port: proxy.port, path: "http://acct1.blob.emulator.test/c/b" },
        (incoming) => {
          let body = "";
          incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
          incoming.once("end", () => resolve({ status: incoming.statusCode, body }));
        },
      );
      outgoing.once("error", reject);
      outgoing.end();
    });
    expect(answer).toEqual({
      status: 405,
      body: "This proxy only opens tunnels (CONNECT) to <account>.blob.emulator.test.\n",
    });
  });
});
