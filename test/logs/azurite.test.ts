// The streamer against real append blobs in Azurite, through the real HTTP transport.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { streamBlobLog } from "../../src/logs/stream.js";
import type { BlobLogStreamOptions } from "../../src/logs/stream.js";
import { startAzurite, startFaultProxy } from "./azurite.js";
import type { Azurite } from "./azurite.js";
import { asCommand, RecordingLogger, seededRandom } from "./fakes.js";

jest.setTimeout(120_000);

const fixtures = join(__dirname, "..", "fixtures", "logs");
const CONTAINER = "logs";

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.service.getContainerClient(CONTAINER).create();
});

afterAll(async () => {
  await azurite?.stop();
});

/** A text sink that keeps the exact bytes a UTF-8 stdout would receive. */
class ByteSink {
  readonly isTTY = false;
  private readonly chunks: Buffer[] = [];

  write(text: string): void {
    this.chunks.push(Buffer.from(text, "utf8"));
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function writeBlob(name: string, content: Buffer, complete?: string): Promise<void> {
  const blob = azurite.appendBlob(CONTAINER, name);
  await blob.create();
  if (content.length > 0) {
    await blob.appendBlock(content, content.length);
  }
  if (complete !== undefined) {
    await blob.setMetadata({ Complete: complete });
  }
}

function options(name: string, output: ByteSink, logger: RecordingLogger): BlobLogStreamOptions {
  return {
    sasUrl: azurite.sasUrl(CONTAINER, name),
    output,
    noFormat: false,
    timeoutSeconds: 3600,
    failOnRunFailure: false,
    logger,
  };
}

describe("golden captures, from the same blob in Azurite", () => {
  test.each([
    ["10-task-run-stream-ok", "ca1-rawtext.blob", { failOnRunFailure: true }],
    ["22-task-logs-no-format", "ca1-rawtext.blob", { noFormat: true }],
    ["logs-mixed", "mixed.blob", {}],
    ["logs-mixed-no-format", "mixed.blob", { noFormat: true }],
  ])("%s", async (name, blobFile, overrides) => {
    await writeBlob(`${name}/rawtext.log`, readFileSync(join(fixtures, blobFile)), "successful");
    const output = new ByteSink();
    const logger = new RecordingLogger();

    const result = await asCommand(logger, () =>
      streamBlobLog({ ...options(`${name}/rawtext.log`, output, logger), ...overrides }),
    );

    expect(output.bytes.equals(readFileSync(join(fixtures, `${name}.stdout`)))).toBe(true);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  test(
    "28-logs-timeout-no-blob: a blob that does not exist ends " + "with the warning, exit 0",
    async () => {
      const output = new ByteSink();
      const logger = new RecordingLogger();

      const result = await asCommand(logger, () =>
        streamBlobLog({ ...options("never/rawtext.log", output, logger), timeoutSeconds: 1 }),
      );

      const expected = readFileSync(join(fixtures, "28-logs-timeout-no-blob.stderr"), "utf8");
      expect(result.stderr.replace(/\d+ seconds/, "N seconds")).toBe(
        expected.replace(/\d+ seconds/, "N seconds"),
      );
      expect(result.exitCode).toBe(0);
      expect(output.bytes.length).toBe(0);
    },
  );

  test("a live run that fails prints every line, then az's error", async () => {
    const name = "live-failed/rawtext.log";
    const blob = azurite.appendBlob(CONTAINER, name);
    const output = new ByteSink();
    const logger = new RecordingLogger();
    const streaming = asCommand(logger, () =>
      streamBlobLog({ ...options(name, output, logger), failOnRunFailure: true }),
    );

    await new Promise((resolve) => setTimeout(resolve, 300));
    await blob.create();
    for (let index = 0; index < 5; index += 1) {
      await blob.appendBlock(`step ${index}\r\n`, `step ${index}\r\n`.length);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await blob.setMetadata({ Complete: "Failed" });
    const result = await streaming;

    expect(output.bytes.toString()).toBe("step 0\r\nstep 1\r\nstep 2\r\nstep 3\r\nstep 4\r\n");
    expect(result.stderr).toBe("ERROR: Run failed\n");
    expect(result.exitCode).toBe(1);
  });
});

describe("faults between the streamer and Azurite", () => {
  test(
    "10,000 lines appended in bursts arrive byte for byte " +
      "through injected 500s, 503s and resets",
    async () => {
      const name = "faulty/rawtext.log";
      const proxy = await startFaultProxy({
        targetPort: azurite.port,
        seed: 20230102,
      });
      const random = seededRandom(42);
      const blob = azurite.appendBlob(CONTAINER, name);
      await blob.create();

      const output = new ByteSink();
      const logger = new RecordingLogger();
      const streaming = asCommand(logger, () =>
        streamBlobLog({
          ...options(name, output, logger),
          sasUrl: azurite.sasUrl(CONTAINER, name, proxy.port),
          noFormat: true,
          failOnRunFailure: true,
          // az's read size: many more requests, so many more of them fail.
          polling: { readSize: 4096 },
        }),
      );

      let written = 0;
      while (written < 10_000) {
        const burst = Math.min(10_000 - written, 1 + Math.floor(random() * 120));
        const lines: string[] = [];
        for (let index = 0; index < burst; index += 1) {
          const number = written + index;
          const filler = number % 997 === 0 ? "w".repeat(5000) : "é€😀".repeat(number % 7);
          lines.push(
            `${String(number).padStart(5, "0")} \u001b[3${number % 8}m${filler}\u001b[0m\r\n`,
          );
        }
        const chunk = Buffer.from(lines.join(""));
        await blob.appendBlock(chunk, chunk.length);
        written += burst;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
      }
      await blob.setMetadata({ Complete: "Succeeded" });

      const result = await streaming;
      await proxy.stop();

      const stored = await blob.downloadToBuffer();
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe("");
      expect(output.bytes.length).toBe(stored.length);
      expect(output.bytes.equals(stored)).toBe(true);
      expect(proxy.counts.requests).toBeGreaterThan(100);
      expect(proxy.counts.status500).toBeGreaterThan(0);
      expect(proxy.counts.status503).toBeGreaterThan(0);
      expect(proxy.counts.reset).toBeGreaterThan(0);
      expect(proxy.counts.cutBody).toBeGreaterThan(0);
    },
  );
});
