import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

import { CliError } from "../../src/cli/errors.js";
import { RequestsLineSplitter, splitLinesLikePython } from "../../src/logs/artifact.js";
import { streamRunLogs } from "../../src/logs/run-logs.js";
import { FakeClock, RecordingLogger, RecordingSink } from "./fakes.js";

// Expected line lists are what requests 2.28's iter_lines() yields for the same bytes.
describe("splitting like requests' iter_lines", () => {
  function split(data: Buffer): string[] {
    const splitter = new RequestsLineSplitter();
    return [...splitter.push(data), ...splitter.finish()].map((line) => line.toString("latin1"));
  }

  test("\\n, \\r\\n and \\r all end a line", () => {
    expect(split(Buffer.from("one\ntwo\r\nthree\rfour"))).toEqual(["one", "two", "three", "four"]);
  });

  test("a CRLF cut by a 512-byte read gives an extra empty line", () => {
    expect(split(Buffer.from(`${"a".repeat(511)}\r\nb\n`))).toEqual(["a".repeat(511), "", "b"]);
  });

  test("a line longer than a read is carried over whole; a final empty line stays", () => {
    expect(split(Buffer.from(`${"x".repeat(1000)}\ny\n\n`))).toEqual(["x".repeat(1000), "y", ""]);
  });

  test("bytes.splitlines edge cases", () => {
    expect(splitLinesLikePython(Buffer.from(""))).toEqual([]);
    expect(splitLinesLikePython(Buffer.from("\n")).map(String)).toEqual([""]);
  });
});

describe("choosing the log source (D1) and artifact mode (D4)", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.startsWith("/artifact.log")) {
        response.end("\u001b[32mStep 1\u001b[0m\r\nline two\nlast");
        return;
      }
      response.statusCode = 404;
      response.end("no");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function options(output: RecordingSink) {
    const clock = new FakeClock();
    return {
      runId: "ca1",
      output,
      noFormat: false,
      timeoutSeconds: 3600,
      failOnRunFailure: true,
      logger: new RecordingLogger(),
      clock,
    };
  }

  test("the artifact link wins over the blob link; lines are printed with \\n", async () => {
    const output = new RecordingSink(new FakeClock());

    const outcome = await streamRunLogs(
      { logLink: "not even parsed", logArtifactLink: `${base}/artifact.log?sig=s` },
      options(output),
    );

    expect(output.text).toBe("Step 1\nline two\nlast\n");
    expect(outcome.end).toBe("complete");
  });

  test("an HTTP error is requests' text, with the signature hidden", async () => {
    const output = new RecordingSink(new FakeClock());

    const streaming = streamRunLogs(
      { logArtifactLink: `${base}/gone?sig=secret` },
      options(output),
    );

    await expect(streaming).rejects.toThrow(
      `404 Client Error: Not Found for url: ${base}/gone?sig=REDACTED`,
    );
  });

  test("no link at all is az's 'Could not get logs' error", async () => {
    const output = new RecordingSink(new FakeClock());

    const streaming = streamRunLogs({ logLink: null, logArtifactLink: "" }, options(output));

    await expect(streaming).rejects.toThrow(CliError);
    await expect(streaming).rejects.toThrow("Could not get logs for ID: ca1");
  });
});
