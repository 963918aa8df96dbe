// A run's log as ACR keeps it: an append blob that grows while the run goes on, and whose
// metadata gains a `Complete` key, valued with the final status, once the run ends. az streams
// the blob with ranged reads and stops polling when that key appears; it prints only up to the
// last CRLF it has read, so the runner should end lines with "\r\n".
//
//   const location = runLogLocation("myregistry", "cf1");
//   const writer = await openRunLogWriter(await azurite.serviceClient(), location);
//   writer.write("Step 1/2 : FROM alpine\r\n");
//   await writer.complete("Succeeded");

import type { BlobServiceClient } from "@azure/storage-blob";

export interface RunLogLocation {
  container: string;
  blobName: string;
}

export interface RunLogWriter extends RunLogLocation {
  /**
   * Queues bytes for the blob. Writes are appended in order; those queued while an append is
   * in flight go out together in the next one. A failure surfaces from flush or complete.
   */
  write(data: string | Uint8Array): void;
  /** Resolves once everything written so far is in the blob; rejects with the first failure. */
  flush(): Promise<void>;
  /**
   * Flushes, then sets the `Complete` metadata. az treats `Failed` and `InternalError` as a
   * failed run, `TimedOut` and `Canceled` as such, any other value as success (compared
   * without regard to case). Nothing can be written after it. The key is set even when an
   * append failed (and that failure is then thrown), so that readers stop waiting.
   */
  complete(status: string): Promise<void>;
}

/**
 * Where run `runId` of registry `registryName` logs: `logs/<runId>/rawtext.log`, ACR's layout,
 * in the registry's own container. ACR gives every registry its own storage; the emulator has
 * one account, and run ids restart at ca1 in every registry, so the container tells them apart.
 * It is the container source uploads go to (registry names are valid container names once
 * lower-cased).
 */
export function runLogLocation(registryName: string, runId: string): RunLogLocation {
  return { container: registryName.toLowerCase(), blobName: `logs/${runId}/rawtext.log` };
}

/** Azure's limit for one append block. */
const MAX_APPEND_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Creates the container when missing and the log blob (empty, replacing an older one); with
 * `append`, keeps what an existing blob holds and writes after it (a run interrupted by a
 * restart gets its closing lines without losing the earlier ones).
 */
export async function openRunLogWriter(
  service: BlobServiceClient,
  location: RunLogLocation,
  options: { append?: boolean } = {},
): Promise<RunLogWriter> {
  const container = service.getContainerClient(location.container);
  await container.createIfNotExists();
  const blob = container.getAppendBlobClient(location.blobName);
  const headers = { blobHTTPHeaders: { blobContentType: "text/plain; charset=utf-8" } };
  if (options.append) {
    await blob.createIfNotExists(headers);
  } else {
    await blob.create(headers);
  }

  let queued: Buffer[] = [];
  let appending: Promise<void> | undefined;
  let failure: unknown;
  let completed = false;

  async function drain(): Promise<void> {
    while (queued.length > 0 && failure === undefined) {
      const batch = Buffer.concat(queued);
      queued = [];
      try {
        for (let offset = 0; offset < batch.length; offset += MAX_APPEND_BLOCK_BYTES) {
          const block = batch.subarray(offset, offset + MAX_APPEND_BLOCK_BYTES);
          await blob.appendBlock(block, block.length);
        }
      } catch (error) {
        failure = error;
      }
    }
    appending = undefined;
  }

  async function flush(): Promise<void> {
    while (appending) {
      await appending;
    }
    if (failure !== undefined) {
      throw failure;
    }
  }

  return {
    ...location,
    write: (data) => {
      if (completed) {
        throw new Error(`The log ${location.blobName} is complete; nothing can be added.`);
      }
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
      // After a failure the blob has a gap; later bytes are dropped, and flush reports it.
      if (bytes.length === 0 || failure !== undefined) {
        return;
      }
      queued.push(bytes);
      appending ??= drain();
    },
    flush,
    complete: async (status) => {
      completed = true;
      const flushed = flush().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      const flushFailure = await flushed;

      // Marked complete even when an append failed, so that a reader stops polling.
      await blob.setMetadata({ Complete: status });
      if (flushFailure) {
        throw flushFailure.error;
      }
    },
  };
}
