// `az acr task show-run`, `update-run` and `cancel-run` through the CLI, replayed from az 2.45's
// runs of them.

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const R = ["-r", "myreg"];

test.each([
  ["show-run", ["acr", "task", "show-run", ...R, "--run-id", "ca1"]],
  ["show-run-not-found", ["acr", "task", "show-run", ...R, "--run-id", "nope"]],
  ["update-run-nothing", ["acr", "task", "update-run", ...R, "--run-id", "ca1"]],
  [
    "update-run-no-archive-true",
    ["acr", "task", "update-run", ...R, "--run-id", "ca1", "--no-archive", "true"],
  ],
  [
    "update-run-no-archive-false",
    ["acr", "task", "update-run", ...R, "--run-id", "ca1", "--no-archive", "false"],
  ],
  [
    "update-run-not-found",
    ["acr", "task", "update-run", ...R, "--run-id", "nope", "--no-archive", "true"],
  ],
  ["cancel-run", ["acr", "task", "cancel-run", ...R, "--run-id", "ca1"]],
  ["cancel-run-202", ["acr", "task", "cancel-run", ...R, "--run-id", "ca1"]],
  // az's poller refuses a 204 to the cancellation.
  ["cancel-run-204", ["acr", "task", "cancel-run", ...R, "--run-id", "ca1"]],
  ["cancel-run-not-found", ["acr", "task", "cancel-run", ...R, "--run-id", "nope"]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("show-run -o table: az's run table", async () => {
  const outcome = await replayAnswers(loadRunCapture("show-run"), {
    argv: ["acr", "task", "show-run", ...R, "--run-id", "ca1", "-o", "table"],
  });

  expect(outcome.stdout).toBe(
    "RUN ID    TASK    PLATFORM    STATUS    TRIGGER    STARTED               DURATION\n" +
      "--------  ------  ----------  --------  ---------  --------------------  ----------\n" +
      "ca1       mytask  linux       Running   Manual     2023-01-02T03:04:06Z  01:01:02\n",
  );
  expect(outcome.rc).toBe(0);
});

test("update-run -o table: az's run table", async () => {
  // Capture 15 is az's table of a run with the same fields as the one update-run returns.
  const table = loadRunCapture("15-list-runs-table").stdout;

  const outcome = await replayAnswers(loadRunCapture("update-run-nothing"), {
    argv: ["acr", "task", "update-run", ...R, "--run-id", "ca1", "-o", "table"],
  });

  expect(outcome.stdout).toBe(table);
  expect(outcome.rc).toBe(0);
});

test("show-run with --query: the query's result, no transformer", async () => {
  const outcome = await replayAnswers(loadRunCapture("show-run"), {
    argv: ["acr", "task", "show-run", ...R, "--run-id", "ca1", "--query", "status", "-o", "tsv"],
  });

  expect(outcome.stdout).toBe("Running\n");
});
