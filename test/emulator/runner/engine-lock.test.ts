// Runs on one engine take turns, and a run whose process died is cleaned up by the next one.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import { acquireEngineLock, engineKey } from "../../../src/emulator/runner/engine-lock.js";
import { executeRun } from "../../../src/emulator/runner/execute.js";
import type { ProcessRequest, ProcessResult } from "../../../src/emulator/runner/process.js";
import { MemoryLog, taskOf } from "../../support/docker-task.js";

let stateDirectory: string;

beforeEach(() => {
  stateDirectory = mkdtempSync(join(tmpdir(), "acrtask-runner-lock-"));
});

afterEach(() => {
  rmSync(stateDirectory, { recursive: true, force: true });
});

function recordingRunner(events: string[], label: string, milliseconds = 0) {
  return async (request: ProcessRequest): Promise<ProcessResult> => {
    events.push(
      `${label}: ${request.command === "/bin/sh" ? "step" : request.args.slice(0, 3).join(" ")}`,
    );
    if (request.command === "/bin/sh" && milliseconds > 0) {
      await delay(milliseconds);
    }
    return { exitCode: 0, stdout: "", stderr: "", aborted: false };
  };
}

test("two runs on one engine do not overlap", async () => {
  const events: string[] = [];
  const start = (label: string) =>
    executeRun({
      runId: label,
      task: taskOf([{ cmd: "img" }]),
      log: new MemoryLog(),
      runProcess: recordingRunner(events, label, 200),
      dockerCliImage: "cli:1",
      stateDirectory,
    });
  const [first, second] = await Promise.all([start("one"), start("two")]);

  expect(first.status).toBe("Succeeded");
  expect(second.status).toBe("Succeeded");
  const lastOfOne = events.map((event) => event.startsWith("one:")).lastIndexOf(true);
  const firstOfTwo = events.findIndex((event) => event.startsWith("two:"));
  expect(lastOfOne).toBeLessThan(firstOfTwo);
});

test("what a dead run recorded is removed before the next run starts", async () => {
  const dead = spawnSync("true").pid;
  const folder = join(stateDirectory, `engine-${engineKey()}.lock`);
  mkdirSync(folder);
  writeFileSync(
    join(folder, "owner.json"),
    JSON.stringify({
      pid: dead,
      runId: "crashed",
      resources: {
        containers: ["acb_step_0"],
        networks: ["acb_default_network"],
        volumes: ["acb_vol_x"],
      },
    }),
  );

  const events: string[] = [];
  const outcome = await executeRun({
    runId: "next",
    task: taskOf([{ cmd: "img" }]),
    log: new MemoryLog(),
    runProcess: recordingRunner(events, "next"),
    dockerCliImage: "cli:1",
    stateDirectory,
  });
  expect(outcome.status).toBe("Succeeded");
  expect(events.slice(0, 3)).toEqual([
    "next: rm -f acb_step_0",
    "next: network rm acb_default_network",
    "next: volume rm -f",
  ]);
  expect(events).toContain("next: volume create --label");
});

test("a live owner is waited for; a canceled waiter gives up", async () => {
  const held = await acquireEngineLock({
    stateDirectory,
    runId: "a",
    removeLeftovers: async () => undefined,
  });
  const controller = new AbortController();
  const waiting = acquireEngineLock({
    stateDirectory,
    runId: "b",
    signal: controller.signal,
    removeLeftovers: async () => undefined,
  });
  setTimeout(() => controller.abort(), 200);
  await expect(waiting).rejects.toThrow("canceled");

  await held.release();
  const after = await acquireEngineLock({
    stateDirectory,
    runId: "c",
    removeLeftovers: async () => undefined,
  });
  await after.release();
});

test(
  "a run canceled while waiting for its turn ends as Canceled " + "without touching the engine",
  async () => {
    const held = await acquireEngineLock({
      stateDirectory,
      runId: "a",
      removeLeftovers: async () => undefined,
    });
    const events: string[] = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const outcome = await executeRun({
      runId: "waiting",
      task: taskOf([{ cmd: "img" }]),
      log: new MemoryLog(),
      runProcess: recordingRunner(events, "waiting"),
      dockerCliImage: "cli:1",
      stateDirectory,
      signal: controller.signal,
    });
    await held.release();
    expect(outcome.status).toBe("Canceled");
    expect(events).toEqual([]);
  },
);

test("a lock whose pid now belongs to another process is stale", async () => {
  const folder = join(stateDirectory, `engine-${engineKey()}.lock`);
  mkdirSync(folder);
  // The parent of this process is alive, but it did not start at time 1.
  writeFileSync(
    join(folder, "owner.json"),
    JSON.stringify({
      pid: process.ppid,
      processStart: "1",
      runId: "old",
      resources: { containers: [], networks: [], volumes: [] },
    }),
  );
  const lock = await acquireEngineLock({
    stateDirectory,
    runId: "new",
    removeLeftovers: async () => undefined,
  });
  await lock.release();
});

test("a state folder that cannot be made fails the run with a clear line", async () => {
  const blocker = join(stateDirectory, "file");
  writeFileSync(blocker, "");
  const log = new MemoryLog();
  const outcome = await executeRun({
    runId: "nolock",
    task: taskOf([{ cmd: "img" }]),
    log,
    runProcess: recordingRunner([], "nolock"),
    dockerCliImage: "cli:1",
    stateDirectory: join(blocker, "state"),
  });
  expect(outcome.status).toBe("Failed");
  expect(outcome.error).toMatch(/^failed to wait for the Docker engine: ENOTDIR/);
  expect(log.lines().slice(-3)).toEqual([
    "",
    "Run ID: nolock failed after 0s. Error: failed during run, err: exit status 1",
    "",
  ]);
});
