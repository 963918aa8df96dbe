// Artifact mode (contract D4): registries that keep run logs as OCI artifacts answer
// listLogSasUrl with `logArtifactLink`, and az prints that document line by line in one GET.

import type { TextSink } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { redactSasUrl } from "./sas-url.js";
import type { StreamOutcome } from "./stream.js";
import { decodeUtf8DroppingInvalid, stripAnsiLikeColorama } from "./text.js";

export interface ArtifactLogStreamOptions {
  /** The `logArtifactLink` of listLogSasUrl. */
  url: string;
  output: TextSink;
  noFormat: boolean;
  signal?: AbortSignal;
  /** Seconds of silence allowed while connecting or reading (az: 3). */
  timeoutSeconds?: number;
}

// requests reads a streamed body in pieces of this size when splitting it into lines.
const REQUESTS_CHUNK_SIZE = 512;

/**
 * Prints the artifact log as az does: lines split like Python's `bytes.splitlines()` over
 * 512-byte reads (so a CRLF cut by a read boundary yields an extra empty line, as in
 * requests 2.28), each printed with "\n". No completion or status check. Unlike az, the TLS
 * certificate is verified.
 */
export async function streamArtifactLog(options: ArtifactLogStreamOptions): Promise<StreamOutcome> {
  const target = new URL(options.url);
  const http =
    target.protocol === "https:" ? await import("node:https") : await import("node:http");
  const stripAnsi = !options.noFormat && !options.output.isTTY;
  const timeoutMs = (options.timeoutSeconds ?? 3) * 1000;
  const splitter = new RequestsLineSplitter();
  let bytesRead = 0;

  const print = (line: Buffer) => {
    let text = decodeUtf8DroppingInvalid(line);
    if (stripAnsi) {
      text = stripAnsiLikeColorama(text);
    }
    options.output.write(`${text}\n`);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const request = http.get(target, { signal: options.signal }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 400) {
          response.resume();
          const kind = status < 500 ? "Client" : "Server";
          reject(
            new CliError(
              `${status} ${kind} Error: ${response.statusMessage ?? ""} for url: ` +
                `${redactSasUrl(options.url)}`,
            ),
          );
          return;
        }
        response.on("data", (chunk: Buffer) => {
          bytesRead += chunk.length;
          for (const line of splitter.push(chunk)) {
            print(line);
          }
        });
        response.on("end", () => {
          for (const line of splitter.finish()) {
            print(line);
          }
          resolve();
        });
        response.on("error", reject);
      });
      request.setTimeout(timeoutMs, () => {
        request.destroy(new Error(`Read timed out. (read timeout=${timeoutMs / 1000})`));
      });
      request.on("error", reject);
    });
  } catch (error) {
    if (options.signal?.aborted) {
      return { end: "interrupted", bytesRead };
    }
    if (error instanceof CliError) {
      throw error;
    }
    throw new CliError(redactSasUrl(error instanceof Error ? error.message : String(error)));
  }

  return { end: "complete", bytesRead };
}

/**
 * requests' `iter_lines()`: the body in fixed-size reads, each (with the carried-over partial
 * line in front) split like `bytes.splitlines()`; the last piece is carried over when the read
 * ended inside it.
 */
export class RequestsLineSplitter {
  private pending: Buffer | undefined;
  private partialRead: Buffer = Buffer.alloc(0);

  constructor(private readonly chunkSize = REQUESTS_CHUNK_SIZE) {}

  push(data: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let buffered = Buffer.concat([this.partialRead, data]);
    while (buffered.length >= this.chunkSize) {
      lines.push(...this.splitRead(buffered.subarray(0, this.chunkSize)));
      buffered = buffered.subarray(this.chunkSize);
    }
    this.partialRead = Buffer.from(buffered);
    return lines;
  }

  finish(): Buffer[] {
    const lines = this.partialRead.length > 0 ? this.splitRead(this.partialRead) : [];
    this.partialRead = Buffer.alloc(0);
    if (this.pending !== undefined) {
      lines.push(this.pending);
      this.pending = undefined;
    }
    return lines;
  }

  private splitRead(read: Buffer): Buffer[] {
    const chunk = this.pending === undefined ? read : Buffer.concat([this.pending, read]);
    const lines = splitLinesLikePython(chunk);
    const last = lines[lines.length - 1];
    if (
      last !== undefined &&
      last.length > 0 &&
      last[last.length - 1] === chunk[chunk.length - 1]
    ) {
      this.pending = lines.pop();
    } else {
      this.pending = undefined;
    }
    return lines;
  }
}

/** Python's `bytes.splitlines()`: breaks at "\r\n", "\n" and "\r", which are dropped. */
export function splitLinesLikePython(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let lineStart = 0;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte === 0x0a || byte === 0x0d) {
      lines.push(bytes.subarray(lineStart, index));
      index += byte === 0x0d && bytes[index + 1] === 0x0a ? 2 : 1;
      lineStart = index;
      continue;
    }
    index += 1;
  }
  if (lineStart < bytes.length) {
    lines.push(bytes.subarray(lineStart));
  }
  return lines;
}
