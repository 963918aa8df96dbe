// `az acr task list-runs` through the CLI, replayed from az 2.45's runs of it: the filter az
// builds, the digest of an image given by tag, and az's run table.

import {
  azRequests,
  expectSameAsAz,
  loadRunCapture,
  ourRequests,
  replayRunCapture,
} from "./run-replay.js";

const LIST_RUNS = ["acr", "task", "list-runs", "-r", "myreg"];

/** The time az puts in front of data-plane messages. */
const TIMESTAMP = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?/;

test.each([
  ["15-list-runs-table", [...LIST_RUNS, "-o", "table"]],
  ["list-runs", LIST_RUNS],
  ["list-runs-empty", LIST_RUNS],
  [
    "list-runs-filters",
    [
      ...LIST_RUNS,
      ...["-n", "mytask", "--run-status", "succeeded", "--image", "hello@sha256:abc"],
      ...["--top", " 3"],
    ],
  ],
  ["list-runs-quote", [...LIST_RUNS, "-n", "it's", "--top", "-2"]],
  [
    "list-runs-status-top-zero",
    [...LIST_RUNS, "-g", "MyRG", "--run-status", "RUNNING", "--top", "0"],
  ],
  ["list-runs-bad-image", [...LIST_RUNS, "--image", "a:b:c"]],
  ["list-runs-classic", LIST_RUNS],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test.each([
  ["list-runs-image-tag", "hello:v1"],
  ["list-runs-image-audience", "hello:v1"],
  ["list-runs-image-admin", "hello:v1"],
  ["list-runs-image-missing-tag", "hello"],
  ["list-runs-image-no-credentials", "hello:v1"],
])("%s: the tag's digest from the registry's data plane, as az finds it", async (name, image) => {
  const { capture, outcome } = await replayRunCapture(name, {
    argv: [...LIST_RUNS, "--image", image],
  });

  expectSameAsAz(capture, outcome, { varyingStderr: TIMESTAMP });
});

test(
  "--top that is not a whole number: a usage error before any " + "request (az crashes)",
  async () => {
    const capture = loadRunCapture("list-runs-top-not-int");
    expect(capture.stderr).toMatch(/^ERROR: The command failed with an unexpected error/);
    expect(azRequests(capture)).toHaveLength(2);

    const { outcome } = await replayRunCapture("list-runs-top-not-int", {
      argv: [...LIST_RUNS, "--top", "abc"],
    });

    expect(outcome.stderr).toBe("ERROR: argument --top: invalid int value: 'abc'\n");
    expect(outcome.rc).toBe(2);
    expect(outcome.stdout).toBe("");
    expect(ourRequests(outcome)).toEqual([]);
  },
);
