import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { BlobNetworkError, createHttpBlobTransport } from "../../src/logs/blob-transport.js";
import { streamBlobLog } from "../../src/logs/stream.js";
import { RecordingLogger } from "./fakes.js";

const LOG = Buffer.from("first\r\nsecond\r\n");

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

describe("HTTP access to the log blob", () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  let seen: IncomingMessage[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request);
      handler(request, response, seen.length - 1);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    seen = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function serveLog(request: IncomingMessage, response: ServerResponse): void {
    const range = /bytes=(\d+)-(\d+)/.exec(String(request.headers["x-ms-range"] ?? ""));
    const start = Number(range?.[1] ?? 0);
    const body = LOG.subarray(start, Number(range?.[2] ?? LOG.length) + 1);
    response.writeHead(206, {
      "content-range": `bytes ${start}-${start + body.length - 1}/${LOG.length}`,
      "x-ms-meta-Complete": "successful",
    });
    response.end(body);
  }

  test("a *.blob.localhost host reaches the loopback; az's headers are sent", async () => {
    handler = serveLog;
    const transport = await createHttpBlobTransport(
      `http://devstoreaccount1.blob.localhost:${port}/logs/ca1/rawtext.log?sig=abc`,
    );

    const response = await transport.getRange(7, 4102);
    transport.close();

    expect(response.status).toBe(206);
    expect(response.body.toString()).toBe("second\r\n");
    expect(seen[0].headers["x-ms-range"]).toBe("bytes=7-4102");
    expect(seen[0].headers["x-ms-version"]).toBe("2018-11-09");
    expect(seen[0].headers.host).toBe(`devstoreaccount1.blob.localhost:${port}`);
  });

  test("a request that gets no answer is abandoned as a network error", async () => {
    handler = () => undefined;
    const transport = await createHttpBlobTransport(
      `http://acct.blob.localhost:${port}/logs/x?sig=abc`,
      { requestTimeoutMs: 100 },
    );

    const reading = transport.head();

    await expect(reading).rejects.toThrow(BlobNetworkError);
    await expect(reading).rejects.toMatchObject({ code: "ETIMEDOUT" });
    transport.close();
  });

  test("the streamer retries a hung read from the same offset", async () => {
    handler = (request, response, index) => {
      if (index === 0) {
        return;
      }
      serveLog(request, response);
    };
    const written: string[] = [];
    const logger = new RecordingLogger();

    const outcome = await streamBlobLog({
      sasUrl: `http://acct.blob.localhost:${port}/logs/ca1/rawtext.log?sig=abc`,
      output: { write: (text) => written.push(text), isTTY: false },
      noFormat: false,
      timeoutSeconds: 60,
      failOnRunFailure: true,
      logger,
      polling: { requestTimeoutMs: 100 },
    });

    expect(written.join("")).toBe("first\r\nsecond\r\n");
    expect(outcome.end).toBe("complete");
    expect(seen.map((request) => request.headers["x-ms-range"])).toEqual([
      `bytes=0-${4 * 1024 * 1024 - 1}`,
      `bytes=0-${4 * 1024 * 1024 - 1}`,
    ]);
    expect(logger.debugs.some((line) => line.includes("sig=REDACTED"))).toBe(true);
    expect(logger.debugs.some((line) => line.includes("sig=abc"))).toBe(false);
  });
});
