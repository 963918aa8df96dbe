// `az acr task logs` through the CLI, replayed from az 2.45's runs of it: the log of a run or of
// the last run (of a task, or that made an image), which never fails the command.

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const LOGS = ["acr", "task", "logs", "-r", "myreg"];

/** The time az puts in front of data-plane messages. */
const TIMESTAMP = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?/;

test.each([
  // --no-format keeps the ANSI codes az would strip from a stdout that is not a terminal.
  ["22-task-logs-no-format", [...LOGS, "--run-id", "ca1", "--no-format"]],
  // A failed run's log: the log, exit 0.
  ["logs-failed-run", [...LOGS, "--run-id", "ca1"]],
  ["logs-last-run", [...LOGS, "-n", "mytask"]],
  ["logs-last-run-any", LOGS],
  [
    "logs-last-run-group-image",
    [...LOGS, "-g", "MyRG", "-n", "mytask", "--image", "hello@sha256:abc"],
  ],
  ["logs-no-run", [...LOGS, "-n", "mytask", "--image", "hello@sha256:abc"]],
  ["logs-sas-empty", [...LOGS, "--run-id", "ca1"]],
  ["logs-sas-not-found", [...LOGS, "--run-id", "ca1"]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("the last run that made an image given by tag: its digest from the data plane", async () => {
  const { capture, outcome } = await replayRunCapture("logs-last-run-image-tag", {
    argv: [...LOGS, "-g", "MyRG", "-n", "mytask", "--image", "hello:v1"],
  });

  expectSameAsAz(capture, outcome, { varyingStderr: TIMESTAMP });
});

test(
  "without --no-format the log's ANSI codes are stripped, as " + "on any stdout not a terminal",
  async () => {
    const capture = loadRunCapture("22-task-logs-no-format");

    const outcome = await replayAnswers(capture, { argv: [...LOGS, "--run-id", "ca1"] });

    expect(capture.stdout).toContain("\u001b[32m");
    // eslint-disable-next-line no-control-regex -- colour codes start with the escape character
    expect(outcome.stdout).toBe(capture.stdout.replace(/\u001b\[[0-9;]*m/g, ""));
    expect(outcome.rc).toBe(0);
  },
);

test("on a terminal the ANSI codes stay, and the colours are reset at the end", async () => {
  const capture = loadRunCapture("22-task-logs-no-format");

  const outcome = await replayAnswers(capture, {
    argv: [...LOGS, "--run-id", "ca1"],
    terminal: true,
  });

  expect(outcome.stdout).toBe(`${capture.stdout}\u001b[0m`);
  expect(outcome.rc).toBe(0);
});

test("Ctrl-C while the log streams: what was held back, then exit 1", async () => {
  const capture = loadRunCapture("22-task-logs-no-format");
  const listeners = process.listenerCount("SIGINT");
  let pressed = false;

  const outcome = await replayAnswers(capture, {
    argv: [...LOGS, "--run-id", "ca1", "--no-format"],
    onStdout: () => {
      if (!pressed) {
        pressed = true;
        process.emit("SIGINT");
      }
    },
  });

  expect(outcome.rc).toBe(1);
  expect(outcome.stderr).toBe("");
  expect(capture.stdout.startsWith(outcome.stdout.slice(0, -1))).toBe(true);
  expect(outcome.stdout.length).toBeLessThan(capture.stdout.length);
  expect(process.listenerCount("SIGINT")).toBe(listeners);
});
