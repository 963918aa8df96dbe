import { readFileSync } from "node:fs";
import { join } from "node:path";

import { streamBlobLog } from "../../src/logs/stream.js";
import type { BlobLogStreamOptions } from "../../src/logs/stream.js";
import { asCommand, FakeBlob, FakeClock, RecordingLogger, RecordingSink } from "./fakes.js";

const fixtures = join(__dirname, "..", "fixtures", "logs");
const SAS_URL =
  "https://acct.blob.core.windows.net/logs/ca1/rawtext.log?sv=2018-11-09&sr=b&sig=abc";

function fixture(name: string): Buffer {
  return readFileSync(join(fixtures, name));
}

/** The capture's stderr without the lines `acr task run` prints before streaming starts. */
function logPartOfStderr(name: string): string {
  return fixture(`${name}.stderr`)
    .toString("utf8")
    .split(/(?<=\n)/)
    .filter((line) => !/^WARNING: (Queued a run with ID|Waiting for an agent)/.test(line))
    .join("");
}

interface Setup {
  blob: FakeBlob;
  clock: FakeClock;
  output: RecordingSink;
  logger: RecordingLogger;
}

function setup(pastTheEnd: "azure-416" | "azurite-empty-206" = "azure-416", tty = false): Setup {
  const clock = new FakeClock();
  return {
    clock,
    blob: new FakeBlob(clock, pastTheEnd),
    output: new RecordingSink(clock, tty),
    logger: new RecordingLogger(),
  };
}

function stream(
  { blob, clock, output, logger }: Setup,
  options: Partial<BlobLogStreamOptions> = {},
) {
  return asCommand(logger, () =>
    streamBlobLog({
      sasUrl: SAS_URL,
      output,
      noFormat: false,
      timeoutSeconds: 3600,
      failOnRunFailure: false,
      logger,
      clock,
      transport: blob,
      ...options,
    }),
  );
}

describe("golden captures of az 2.45, replayed from the same blob", () => {
  const cases: [string, string, Partial<BlobLogStreamOptions>, string | undefined][] = [
    ["10-task-run-stream-ok", "ca1-rawtext.blob", { failOnRunFailure: true }, "successful"],
    ["22-task-logs-no-format", "ca1-rawtext.blob", { noFormat: true }, "successful"],
    ["logs-mixed", "mixed.blob", {}, "successful"],
    ["logs-mixed-no-format", "mixed.blob", { noFormat: true }, "successful"],
    ["logs-empty", "empty.blob", {}, "successful"],
    ["logs-failed", "ca1-rawtext.blob", {}, "failed"],
    ["run-failed", "ca1-rawtext.blob", { failOnRunFailure: true }, "failed"],
    ["run-internalerror", "ca1-rawtext.blob", { failOnRunFailure: true }, "InternalError"],
    ["run-timedout", "ca1-rawtext.blob", { failOnRunFailure: true }, "TimedOut"],
    ["run-canceled", "ca1-rawtext.blob", { failOnRunFailure: true }, "Canceled"],
    ["run-complete-error", "ca1-rawtext.blob", { failOnRunFailure: true }, "Error"],
  ];

  for (const pastTheEnd of ["azure-416", "azurite-empty-206"] as const) {
    test.each(cases)(`%s (%s, ${pastTheEnd})`, async (name, blobFile, options, complete) => {
      const context = setup(pastTheEnd);
      context.blob.append(fixture(blobFile));
      context.blob.metadata = { Complete: complete ?? "successful" };

      const result = await stream(context, options);

      expect(context.output.text).toBe(fixture(`${name}.stdout`).toString("utf8"));
      expect(result.stderr).toBe(logPartOfStderr(name));
      expect(result.exitCode).toBe(Number(fixture(`${name}.rc`).toString().trim()));
    });
  }

  test(
    "28-logs-timeout-no-blob: a blob that never appears ends " + "with az's warning, exit 0",
    async () => {
      const context = setup();
      context.blob.exists = false;

      const result = await stream(context);

      const expected = fixture("28-logs-timeout-no-blob.stderr").toString("utf8");
      const numberless = (text: string) => text.replace(/in \d+ seconds/, "in N seconds");
      expect(context.output.text).toBe(fixture("28-logs-timeout-no-blob.stdout").toString("utf8"));
      expect(numberless(result.stderr)).toBe(numberless(expected));
      expect(result.exitCode).toBe(Number(fixture("28-logs-timeout-no-blob.rc").toString().trim()));
      const seconds = Number(/in (\d+) seconds/.exec(result.stderr)?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(3600);
      expect(seconds).toBeLessThan(3602);
      expect(result.result?.end).toBe("idle-timeout");
    },
  );

  test("logs-get-403: a storage error other than 404 ends with az's final error text", async () => {
    const context = setup();
    context.blob.append("anything\r\n");
    context.blob.faultFor = (_index, request) =>
      request.method === "GET"
        ? {
            kind: "status",
            status: 403,
            statusMessage: "Forbidden",
            headers: { "x-ms-error-code": "AuthenticationFailed" },
          }
        : undefined;
    const body =
      '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>' +
      "<Message>Server failed to authenticate the request.</Message></Error>";
    const getRange = context.blob.getRange.bind(context.blob);
    context.blob.getRange = async (start, end) => {
      const response = await getRange(start, end);
      return response.status === 403 ? { ...response, body: Buffer.from(body) } : response;
    };

    const result = await stream(context);

    // az's first line is the storage SDK's own log line with a random request id.
    const azStderr = fixture("logs-get-403.stderr").toString("utf8");
    expect(result.stderr).toBe(azStderr.slice(azStderr.indexOf("\n") + 1));
    expect(result.exitCode).toBe(1);
    expect(context.output.text).toBe("");
  });
});

describe("the end of the log and the run's outcome", () => {
  test.each([
    ["failed", "Run failed"],
    ["InternalError", "Run failed"],
    ["TIMEDOUT", "Run timed out"],
    ["canceled", "Run was canceled"],
  ])("Complete=%s fails a run-starting command with '%s'", async (value, message) => {
    const context = setup();
    context.blob.append("step\r\n");
    context.blob.metadata = { complete: value };

    const result = await stream(context, { failOnRunFailure: true });

    expect(result.stderr).toBe(`ERROR: ${message}\n`);
    expect(result.exitCode).toBe(1);
    expect(context.output.text).toBe("step\r\n");
  });

  test(
    "an unknown Complete value is success for az, but ARM's " + "Failed status decides here",
    async () => {
      const context = setup();
      context.blob.append("step\r\n");
      context.blob.metadata = { Complete: "Error" };

      const withoutStatus = await stream(context, { failOnRunFailure: true });
      const withStatus = await stream(setupLike(context), {
        failOnRunFailure: true,
        getRunStatus: async () => "Error",
      });

      expect(withoutStatus.exitCode).toBe(0);
      expect(withStatus.stderr).toBe("ERROR: Run failed\n");
      expect(withStatus.exitCode).toBe(1);
    },
  );

  test(
    "a finished run whose log never completes stops after the " + "grace period, not after an hour",
    async () => {
      const context = setup();
      context.blob.append("started\r\npartial");
      let statusReads = 0;

      const result = await stream(context, {
        failOnRunFailure: true,
        getRunStatus: async () => {
          statusReads += 1;
          return context.clock.now() < 10_000 ? "Running" : "Failed";
        },
      });

      expect(context.output.text).toBe("started\r\npartial\n");
      expect(result.stderr).toMatch(
        /^WARNING: Failed to find any new logs in \d+ seconds\. Client will stop polling for additional logs\.\nERROR: Run failed\n$/,
      );
      expect(result.exitCode).toBe(1);
      expect(context.clock.now()).toBeLessThan(40_000);
      expect(statusReads).toBeGreaterThanOrEqual(2);
    },
  );

  test("the same situation in `task logs` keeps az's exit 0 after the warning", async () => {
    const context = setup();
    context.blob.exists = false;

    const result = await stream(context, { getRunStatus: async () => "Succeeded" });

    expect(result.stderr).toMatch(/^WARNING: Failed to find any new logs in \d+ seconds\./);
    expect(result.exitCode).toBe(0);
    expect(result.result?.end).toBe("run-ended");
  });

  test("the idle timeout counts only time without new bytes", async () => {
    const context = setup();
    context.blob.at(50_000, (blob) => blob.append("late line\r\n"));

    const result = await stream(context, { timeoutSeconds: 60 });

    expect(context.output.text).toBe("late line\r\n");
    const seconds = Number(/in (\d+) seconds/.exec(result.stderr)?.[1]);
    expect(seconds).toBe(60);
    expect(context.clock.now()).toBeGreaterThan(110_000);
    expect(context.clock.now()).toBeLessThan(111_000);
  });

  test("aborting prints what is held back and reports the interruption", async () => {
    const context = setup();
    context.blob.append("done\r\nhalf a line");
    const controller = new AbortController();
    context.blob.at(1000, () => controller.abort());

    const result = await stream(context, { signal: controller.signal });

    expect(context.output.text).toBe("done\r\nhalf a line\n");
    expect(result.result?.end).toBe("interrupted");
    expect(result.exitCode).toBe(0);
  });
});

describe("output formatting", () => {
  test("on a terminal nothing is stripped and colours are reset at the end", async () => {
    const context = setup("azure-416", true);
    context.blob.append("\u001b[32mgreen\u001b[0m\r\n");
    context.blob.metadata = { Complete: "successful" };

    await stream(context);

    expect(context.output.text).toBe("\u001b[32mgreen\u001b[0m\r\n\u001b[0m");
  });

  test("--no-format on a terminal adds no reset", async () => {
    const context = setup("azure-416", true);
    context.blob.append("\u001b[32mgreen\u001b[0m\r\n");
    context.blob.metadata = { Complete: "successful" };

    await stream(context, { noFormat: true });

    expect(context.output.text).toBe("\u001b[32mgreen\u001b[0m\r\n");
  });
});

describe("polling and latency", () => {
  test(
    "every line appears within 0.3 s of being appended, and idle " + "polls stay ≤ 0.25 s",
    async () => {
      const context = setup();
      const appendedAt = new Map<string, number>();
      let time = 500;
      for (let index = 0; index < 200; index += 1) {
        time += (index * 7919) % 1500;
        const line = `line ${index}`;
        appendedAt.set(line, time);
        context.blob.at(time, (blob) => blob.append(`${line}\r\n`));
      }
      context.blob.at(time + 10, (blob) => {
        blob.metadata = { Complete: "successful" };
      });

      await stream(context);

      const delays = context.output.writes.flatMap((write) =>
        write.text
          .split("\r\n")
          .filter((line) => line.startsWith("line "))
          .map((line) => write.at - (appendedAt.get(line.trim()) ?? Number.NaN)),
      );
      expect(delays).toHaveLength(200);
      expect(Math.max(...delays)).toBeLessThanOrEqual(300);
      expect(Math.max(...context.clock.sleeps)).toBeLessThanOrEqual(250);
    },
  );

  test("a log that keeps arriving is read without waiting between full reads", async () => {
    const context = setup();
    context.blob.append("x".repeat(10 * 1024 * 1024) + "\r\n");
    context.blob.metadata = { Complete: "successful" };

    await stream(context);

    const gets = context.blob.requests.filter((request) => request.method === "GET");
    expect(gets.map((request) => request.start)).toEqual([0, 4194304, 8388608]);
    expect(context.clock.sleeps).toEqual([]);
    expect(context.output.text).toBe(`${"x".repeat(10 * 1024 * 1024)}\r\n`);
  });
});

describe("transient failures", () => {
  test.each([
    ["HTTP 500", { kind: "status", status: 500 } as const],
    ["HTTP 503", { kind: "status", status: 503, statusMessage: "Server Busy" } as const],
    ["connection reset", { kind: "reset" } as const],
    ["cut-short answer", { kind: "short-body" } as const],
  ])("%s on every third request loses and repeats nothing", async (_name, fault) => {
    const context = setup();
    let expected = "";
    for (let index = 0; index < 100; index += 1) {
      const line = `line ${index} ${"é".repeat(index % 5)}\r\n`;
      expected += line;
      context.blob.at(index * 37, (blob) => blob.append(line));
    }
    context.blob.at(100 * 37 + 1, (blob) => {
      blob.metadata = { Complete: "successful" };
    });
    context.blob.faultFor = (index) => (index % 3 === 2 ? fault : undefined);

    const result = await stream(context, { failOnRunFailure: true });

    expect(context.output.text).toBe(expected);
    expect(result.exitCode).toBe(0);
    expect(context.blob.requests.length).toBeGreaterThan(10);
  });

  test("failures that outlast the retry budget end with the storage error", async () => {
    const context = setup();
    context.blob.append("line\r\n");
    context.blob.faultFor = () => ({
      kind: "status",
      status: 503,
      statusMessage: "The server is busy.",
      headers: { "x-ms-error-code": "ServerBusy" },
    });

    const result = await stream(context);

    expect(result.stderr).toBe("ERROR: The server is busy. ErrorCode: ServerBusy\n\n");
    expect(result.exitCode).toBe(1);
    expect(context.clock.now()).toBeGreaterThan(60_000);
    expect(context.clock.now()).toBeLessThan(62_000);
  });

  test("a 403 is not retried", async () => {
    const context = setup();
    context.blob.faultFor = () => ({
      kind: "status",
      status: 403,
      statusMessage: "Forbidden",
      headers: { "x-ms-error-code": "AuthenticationFailed" },
    });

    const result = await stream(context);

    expect(result.stderr).toBe("ERROR: Forbidden ErrorCode: AuthenticationFailed\n\n");
    expect(context.blob.requests).toHaveLength(1);
  });
});

function setupLike(previous: Setup): Setup {
  const next = setup();
  next.blob.content = previous.blob.content;
  next.blob.metadata = previous.blob.metadata;
  return next;
}
