// `az acr task run` through the CLI, replayed from az 2.45's runs of it: the log streamed to
// stdout, --no-logs, --no-wait, the context az packs or checks, and the ways it fails.

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const TASK_RUN = ["acr", "task", "run", "-n", "mytask", "-r", "myreg"];
const NO_WAIT = "--no-wait";

test.each([
  // The log, ANSI codes stripped (stdout is not a terminal), the last line held back to the end.
  ["10-task-run-stream-ok", TASK_RUN],
  ["12-task-run-no-logs", [...TASK_RUN, "--no-logs"]],
  ["14-task-run-no-wait", [...TASK_RUN, NO_WAIT]],
  // A log marked failed: the whole log, then `ERROR: Run failed`, exit 1.
  ["task-run-stream-failed", TASK_RUN],
  ["task-run-no-logs-failed", [...TASK_RUN, "--no-logs"]],
  [
    "task-run-overrides",
    [
      ...TASK_RUN,
      ...["--set", "a=1", "--set", "b", "--set-secret", "s=2"],
      ...["--arg", "A=1", "--arg", "MYVAR", "--arg", "UNSET_VARIABLE_X"],
      ...["--secret-arg", "S=x=y", "--arg", "", "-f", "Dockerfile"],
      ...["-c", "https://github.com/a/b.git", "--target", "t", "--agent-pool", "p"],
      ...["--update-trigger-token", "tok", "--log-template", "lt", NO_WAIT],
    ],
  ],
  [
    "task-run-empty-values",
    [...TASK_RUN, "--target", "", "--update-trigger-token", "", "-f", "", NO_WAIT],
  ],
  [
    "task-run-with-group",
    ["acr", "task", "run", "-n", "mytask", "-r", "myreg.azurecr.io", "-g", "MyRG", NO_WAIT],
  ],
  ["task-run-git-ssh", [...TASK_RUN, "-c", "git@github.com:a/b", NO_WAIT]],
  ["task-run-github-without-git", [...TASK_RUN, "-c", "github.com/a/b", NO_WAIT]],
  ["task-run-null-context", [...TASK_RUN, "-c", "/DEV/NULL", NO_WAIT]],
  ["task-run-oci", [...TASK_RUN, "-c", "oci://myreg.azurecr.io/ctx:1", NO_WAIT]],
  ["task-run-remote-tarball", [...TASK_RUN, "-c", "https://example.com/ctx.tar.gz", NO_WAIT]],
  ["task-run-remote-missing", [...TASK_RUN, "-c", "https://example.com/ctx.tar.gz", NO_WAIT]],
  ["task-run-remote-unknown", [...TASK_RUN, "-c", "foo/bar", NO_WAIT]],
  ["task-run-local-context", [...TASK_RUN, "-c", ".", NO_WAIT]],
  ["task-run-local-other-dockerfile", [...TASK_RUN, "-c", ".", "-f", "alt.Dockerfile", NO_WAIT]],
  ["task-run-local-task-file", [...TASK_RUN, "-c", ".", "-f", "acb.yaml", NO_WAIT]],
  ["task-run-local-missing-dockerfile", [...TASK_RUN, "-c", ".", "-f", "nope.Dockerfile", NO_WAIT]],
  ["task-run-local-not-a-directory", [...TASK_RUN, "-c", "Dockerfile", NO_WAIT]],
  ["task-run-schedule-error", [...TASK_RUN, "--agent-pool", "nopool"]],
  ["task-run-task-not-found", TASK_RUN],
  ["task-run-classic", TASK_RUN],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("--no-logs -o table: the finished run in az's run table", async () => {
  // Capture 15 is az's table of the same run as the one capture 12 waited for.
  const table = loadRunCapture("15-list-runs-table").stdout;

  const outcome = await replayAnswers(loadRunCapture("12-task-run-no-logs"), {
    argv: [...TASK_RUN, "--no-logs", "-o", "table"],
  });

  expect(outcome.rc).toBe(0);
  expect(outcome.stdout).toBe(table);
  expect(outcome.unusedAnswers).toBe(0);
});

test("--no-wait prints nothing for any output format", async () => {
  const outcome = await replayAnswers(loadRunCapture("14-task-run-no-wait"), {
    argv: [...TASK_RUN, NO_WAIT, "-o", "table"],
  });

  expect(outcome).toMatchObject({ rc: 0, stdout: "", unusedAnswers: 0 });
});

describe("Ctrl-C", () => {
  const interrupt = () => void process.emit("SIGINT");
  let listeners: number;

  beforeEach(() => {
    listeners = process.listenerCount("SIGINT");
  });

  afterEach(() => {
    // The handler is the command's while it runs, and gone after.
    expect(process.listenerCount("SIGINT")).toBe(listeners);
  });

  test(
    "while the log streams: what was held back is printed, exit " + "1 without a message",
    async () => {
      const capture = loadRunCapture("10-task-run-stream-ok");
      let pressed = false;

      const outcome = await replayAnswers(capture, {
        argv: TASK_RUN,
        onStdout: () => {
          if (!pressed) {
            pressed = true;
            interrupt();
          }
        },
      });

      // The blob's first 58 bytes: a line, then the start of the next, held back until now.
      expect(outcome.stdout).toBe("2023/01/02 03:04:05 Downloading source code...\r\nStep \n");
      expect(outcome.stderr).toBe(capture.stderr);
      expect(outcome.rc).toBe(1);
      expect(outcome.blobReads).toHaveLength(1);
    },
  );

  test("before the run is queued: no run is queued, nothing printed, exit 1", async () => {
    const capture = loadRunCapture("10-task-run-stream-ok");

    const outcome = await replayAnswers(capture, {
      argv: TASK_RUN,
      onRequest: (request) => {
        if (request.url.includes("/listDetails")) {
          interrupt();
        }
      },
    });

    expect(outcome).toMatchObject({ rc: 1, stdout: "", stderr: "" });
    expect(outcome.sent.map((request) => request.url).at(-1)).toContain("/listDetails");
    expect(outcome.sent.some((request) => request.url.includes("/scheduleRun"))).toBe(false);
  });

  test("while --no-logs waits: exit 1 after az's two warnings, no more reads", async () => {
    const capture = loadRunCapture("12-task-run-no-logs");

    const outcome = await replayAnswers(capture, {
      argv: [...TASK_RUN, "--no-logs"],
      onRequest: (request) => {
        if (/\/runs\/ca1\?/.test(request.url)) {
          interrupt();
        }
      },
    });

    expect(outcome).toMatchObject({ rc: 1, stdout: "", stderr: capture.stderr });
    expect(outcome.sent.filter((request) => /\/runs\/ca1\?/.test(request.url))).toHaveLength(1);
  });
});
