// The writer's ordering and failure handling against a recording fake of the SDK's append blob
// client; the real blob path is covered with Azurite in azurite.test.ts.

import type { BlobServiceClient } from "@azure/storage-blob";

import { openRunLogWriter, runLogLocation } from "../../../src/emulator/blob/log-writer.js";

interface FakeBlob {
  calls: string[];
  service: BlobServiceClient;
  release(): void;
}

/** Appends wait until released; `failAt` makes that append (1-based) fail. */
function fakeService(failAt?: number): FakeBlob {
  const calls: string[] = [];
  let appends = 0;
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));

  const blob = {
    create: async () => {
      calls.push("create");
    },
    appendBlock: async (body: Buffer, length: number) => {
      appends += 1;
      const number = appends;
      await gate;
      if (number === failAt) {
        throw new Error("append failed");
      }
      calls.push(`append ${length} ${body.toString()}`);
    },
    setMetadata: async (metadata: Record<string, string>) => {
      calls.push(`metadata ${JSON.stringify(metadata)}`);
    },
  };
  const container = {
    createIfNotExists: async () => {
      calls.push("container");
    },
    getAppendBlobClient: (name: string) => {
      calls.push(`blob ${name}`);
      return blob;
    },
  };
  const service = { getContainerClient: () => container } as unknown as BlobServiceClient;
  return {
    calls,
    service,
    release: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

test("writes queued during an append go out together, in order", async () => {
  const fake = fakeService();
  const writer = await openRunLogWriter(fake.service, runLogLocation("myregistry", "cf7"));
  writer.write("one\r\n");
  writer.write("two\r\n");
  writer.write(new Uint8Array(Buffer.from("three\r\n")));
  writer.write("");
  fake.release();
  await writer.complete("Succeeded");

  expect(fake.calls).toEqual([
    "container",
    "blob logs/cf7/rawtext.log",
    "create",
    "append 5 one\r\n",
    "append 12 two\r\nthree\r\n",
    'metadata {"Complete":"Succeeded"}',
  ]);
  expect(writer).toMatchObject({ container: "myregistry", blobName: "logs/cf7/rawtext.log" });
});

test("a failed append surfaces from flush, and complete still marks the log", async () => {
  const fake = fakeService(1);
  const writer = await openRunLogWriter(fake.service, runLogLocation("myregistry", "cf8"));
  writer.write("lost\r\n");
  fake.release();
  await expect(writer.flush()).rejects.toThrow("append failed");

  writer.write("dropped after the gap\r\n");
  await expect(writer.complete("Failed")).rejects.toThrow("append failed");
  expect(fake.calls.slice(3)).toEqual(['metadata {"Complete":"Failed"}']);
});

test("nothing can be written once complete", async () => {
  const fake = fakeService();
  fake.release();
  const writer = await openRunLogWriter(fake.service, runLogLocation("myregistry", "cf9"));
  await writer.complete("Canceled");

  expect(() => writer.write("late\r\n")).toThrow(
    "The log logs/cf9/rawtext.log is complete; nothing can be added.",
  );
});
