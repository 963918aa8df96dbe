// How the runner starts the docker command line: one function, injectable, so that the argv and
// the log lines can be tested without an engine.

import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";

export interface ProcessRequest {
  /** The program (`/bin/sh`, the docker binary). */
  command: string;
  args: string[];
  /** Written to the process's stdin, which is then closed; stdin is empty without it. */
  stdin?: string;
  /** A file streamed to stdin instead (an archive for `docker cp -`). */
  stdinPath?: string;
  /** Output as it arrives (the run log); captured in the result either way. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Aborting kills the process and everything it started in its process group. */
  signal?: AbortSignal;
}

export interface ProcessResult {
  /** The exit status; null when the process was killed by a signal. */
  exitCode: number | null;
  /** The captured output (bounded: the last part when it is very long). */
  stdout: string;
  stderr: string;
  /** True when the request's signal ended the process. */
  aborted: boolean;
}

export type ProcessRunner = (request: ProcessRequest) => Promise<ProcessResult>;

/** The captured output keeps at most this many characters per stream (a build can print a lot). */
const CAPTURE_LIMIT = 4 * 1024 * 1024;

function appendBounded(current: string, chunk: string): string {
  const joined = current + chunk;
  return joined.length > CAPTURE_LIMIT ? joined.slice(joined.length - CAPTURE_LIMIT) : joined;
}

/** Runs a real process in its own process group, so that a kill reaches the docker client too. */
export const spawnProcess: ProcessRunner = (request) =>
  new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let aborted = false;

    if (request.signal?.aborted) {
      resolve({ exitCode: null, stdout, stderr, aborted: true });
      return;
    }

    const child = spawn(request.command, request.args, {
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });

    const kill = () => {
      aborted = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
    };
    request.signal?.addEventListener("abort", kill, { once: true });

    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout = appendBounded(stdout, chunk);
      request.onStdout?.(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = appendBounded(stderr, chunk);
      request.onStderr?.(chunk);
    });
    child.stdin.on("error", () => {
      // The process may exit before reading its input; its exit status tells what happened.
    });
    if (request.stdinPath !== undefined) {
      const input = createReadStream(request.stdinPath);
      input.on("error", (error) => {
        stderr = appendBounded(stderr, `${error.message}\n`);
        child.stdin.destroy();
      });
      input.pipe(child.stdin);
    } else {
      child.stdin.end(request.stdin ?? "");
    }

    let settled = false;
    const finish = (exitCode: number | null) => {
      if (settled) {
        return;
      }
      settled = true;
      request.signal?.removeEventListener("abort", kill);
      resolve({ exitCode, stdout, stderr, aborted });
    };
    child.on("error", (error) => {
      stderr = appendBounded(stderr, `${error.message}\n`);
      finish(127);
    });
    child.on("close", (code) => finish(code));
  });
