// `az acr run` through the CLI, replayed from az 2.45's runs of it: a command or a task file
// (from the source, a file here, or standard input), the log streamed, --no-logs, and the
// checks az makes.

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const RUN = ["acr", "run", "-r", "myreg"];
const NO_WAIT = "--no-wait";

test.each([
  ["run-stream", [...RUN, "--cmd", "x", "/dev/null", "--timeout", "900"]],
  ["run-no-logs", [...RUN, "--cmd", "x", "/dev/null", "--no-logs"]],
  [
    "run-cmd",
    [
      ...[...RUN, "--cmd", "echo hi", "/dev/null", "--timeout", "600"],
      ...["--platform", "Linux/ARM/v7", "--set", "a=1", "--set", "b", "--set-secret", "s=2"],
      ...["--auth-mode", "Default", "--agent-pool", "p", "--log-template", "lt", NO_WAIT],
    ],
  ],
  [
    "run-cmd-ignored-with-source",
    [...RUN, "--cmd", "echo hi", "https://github.com/a/b.git", "--timeout", "400", NO_WAIT],
  ],
  [
    "run-file-remote",
    [
      ...[...RUN, "-f", "build.yaml", "--values", "v.yaml", "--set", "a=1"],
      ...["https://github.com/a/b.git", NO_WAIT],
    ],
  ],
  ["run-task-file-encoded", [...RUN, "-f", "acb.yaml", "/dev/null", NO_WAIT]],
  ["run-local", [...RUN, ".", NO_WAIT]],
  ["run-cmd-and-file", [...RUN, "--cmd", "x", "-f", "y", "/dev/null"]],
  ["run-timeout-low", [...RUN, "--cmd", "x", "/dev/null", "--timeout", "299"]],
  ["run-file-timeout-high", [...RUN, "https://github.com/a/b.git", "--timeout", "28801"]],
  ["run-bad-platform", [...RUN, "--cmd", "x", "/dev/null", "--platform", "linux/sparc"]],
  ["run-classic", [...RUN, "--cmd", "x", "/dev/null"]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("run-no-task-file: no acb.yaml in the current directory, as az 2.45", async () => {
  const { capture, outcome } = await replayRunCapture("run-no-task-file", {
    argv: [...RUN, "/dev/null"],
    cwd: __dirname,
  });

  expectSameAsAz(capture, outcome);
});

test("run-stdin-task: a task file from standard input, as az 2.45", async () => {
  const { capture, outcome } = await replayRunCapture("run-stdin-task", {
    argv: [...RUN, "-f", "-", "/dev/null", NO_WAIT],
    stdin: "steps:\r\n  - cmd: x\n",
  });

  expectSameAsAz(capture, outcome);
});

test("--no-logs -o table: az's run table", async () => {
  const capture = loadRunCapture("run-no-logs");
  const run = JSON.parse(capture.stdout) as { status: string; startTime: string };
  expect(run).toMatchObject({ status: "Succeeded", startTime: "2023-01-02T03:04:06.500000+00:00" });

  const outcome = await replayAnswers(capture, {
    argv: [...RUN, "--cmd", "x", "/dev/null", "--no-logs", "-o", "table"],
  });

  // Capture 15 is az's table of a run with the same fields.
  expect(outcome.stdout).toBe(loadRunCapture("15-list-runs-table").stdout);
  expect(outcome.rc).toBe(0);
});
