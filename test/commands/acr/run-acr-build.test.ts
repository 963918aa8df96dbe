// `az acr build` through the CLI, replayed from az 2.45's runs of it: local and remote sources,
// the Dockerfile az picks, pushing or not, the log streamed, and --no-logs.

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const BUILD = ["acr", "build", "-r", "myreg"];
const REMOTE = "https://github.com/a/b.git";
const NO_WAIT = "--no-wait";

test.each([
  ["build-remote", [...BUILD, REMOTE, NO_WAIT]],
  [
    "build-remote-options",
    [
      ...[...BUILD, "-t", "a:1", "-t", "b:{{.Build.ID}}", "-f", "sub/Dockerfile"],
      ...["--build-arg", "A=1", "--secret-build-arg", "S=2", "--target", "t"],
      ...["--platform", "linux/arm64/v8", "--timeout", "1200", "--auth-mode", "None"],
      ...["--agent-pool", "p", "--log-template", "lt", REMOTE, NO_WAIT],
    ],
  ],
  ["build-no-push", [...BUILD, "-t", "a:1", "--no-push", REMOTE, NO_WAIT]],
  ["build-local", [...BUILD, "-t", "img:v1", ".", NO_WAIT]],
  [
    "build-local-other-dockerfile",
    [...BUILD, "-t", "img:v1", "-f", "alt.Dockerfile", ".", NO_WAIT],
  ],
  ["build-local-missing-dockerfile", [...BUILD, "-f", "nope", ".", NO_WAIT]],
  ["build-no-logs", [...BUILD, REMOTE, "--no-logs"]],
  // The log to its end, marked failed: `ERROR: Run failed`, exit 1.
  ["build-stream-failed", [...BUILD, REMOTE]],
  ["build-timeout-high", [...BUILD, REMOTE, "--timeout", "28801"]],
  ["build-dev-null", [...BUILD, "/dev/null"]],
  ["build-classic", [...BUILD, REMOTE]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("--no-logs -o table: the run's table, where az 2.45 fails after the build", async () => {
  const outcome = await replayAnswers(loadRunCapture("build-no-logs"), {
    argv: [...BUILD, REMOTE, "--no-logs", "-o", "table"],
  });

  // az: `ERROR: Table output unavailable. …` (exit 1), its build table failing on every run.
  // Capture 15 is az's run table of a run with the same fields.
  expect(outcome.stdout).toBe(loadRunCapture("15-list-runs-table").stdout);
  expect(outcome.rc).toBe(0);
  expect(outcome.unusedAnswers).toBe(0);
});
