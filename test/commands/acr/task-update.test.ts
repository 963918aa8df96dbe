// `az acr task update` through the CLI, replayed from az 2.45's runs of it. Where az 2.45
// crashes, acrtask does what az's code means to do (docs/compatibility.md).

import {
  API_SOURCE_DIRECTORY,
  comparable,
  expectSameAsAz,
  firstLine,
  replayApiCapture,
  type ApiReplay,
} from "../../golden/replay.js";

const UPDATE = ["acr", "task", "update", "-n", "mytask", "-r", "myreg"];

const cases: [string, ApiReplay][] = [
  ["update-docker-file", { argv: [...UPDATE, "-f", "Dockerfile.2", "--no-push"] }],
  [
    "update-docker-to-file",
    { argv: [...UPDATE, "-f", "build.yaml", "--set", "a=1", "--values", "v.yaml"] },
  ],
  [
    "update-docker-context",
    {
      argv: [
        ...[...UPDATE, "-c", "https://github.com/x/y.git#dev", "--arg", "A=1"],
        ...["--secret-arg", "B=2", "-t", "i:1", "--no-cache", "true", "--target", "t"],
        ...["--platform", "Windows/ARM", "--cpu", "3", "--timeout", "100", "--agent-pool", "p"],
        ...["--auth-mode", "Default", "--log-template", "l", "--git-access-token", "NEW"],
        ...["--commit-trigger-enabled", "false", "--pull-request-trigger-enabled", "true"],
        ...["--base-image-trigger-enabled", "false", "--base-image-trigger-type", "All"],
        ...["--update-trigger-endpoint", "https://e", "--update-trigger-payload-type", "Token"],
      ],
    },
  ],
  [
    "update-encoded-cmd",
    {
      argv: [
        ...UPDATE,
        "--cmd",
        "echo x",
        "--timeout",
        "500",
        "--base-image-trigger-enabled",
        "true",
      ],
    },
  ],
  ["update-encoded-context", { argv: [...UPDATE, "-c", "https://github.com/q/r.git"] }],
  ["update-encoded-keep", { argv: [...UPDATE, "--set", "v=1"] }],
  ["update-encoded-timeout-only", { argv: [...UPDATE, "--timeout", "500"] }],
  [
    "update-file-task",
    {
      argv: [
        ...[...UPDATE, "--set-secret", "s=1", "--values", "v2.yaml"],
        ...["--commit-trigger-enabled", "true"],
      ],
    },
  ],
  [
    "update-no-trigger",
    {
      argv: [...UPDATE, "--commit-trigger-enabled", "true", "--base-image-trigger-enabled", "true"],
    },
  ],
  ["update-nocred-triggers", { argv: [...UPDATE, "--status", "Enabled"] }],
  [
    "update-quick",
    {
      argv: [
        ...["acr", "task", "update", "-n", "quicktask", "-r", "myreg", "--status", "Disabled"],
        ...["--timeout", "100", "--cpu", "3"],
      ],
    },
  ],
  ["lro-update-async", { argv: [...UPDATE, "--status", "Enabled", "-o", "none"] }],
  ["lro-update-async-json", { argv: [...UPDATE, "--status", "Enabled"] }],
  ["lro-update-body", { argv: [...UPDATE, "--status", "Enabled", "-o", "none"] }],
  ["lro-update-failed", { argv: [...UPDATE, "--status", "Enabled"] }],
];

test.each(cases)("%s: as az 2.45", async (name, invocation) => {
  const { capture, outcome } = await replayApiCapture(name, {
    cwd: API_SOURCE_DIRECTORY,
    ...invocation,
  });

  expectSameAsAz(capture, outcome);
});

test(
  "a null context on a Docker task without --cmd/--file: an " +
    "error that says what to give (az crashes)",
  async () => {
    const { capture, outcome } = await replayApiCapture("update-crash-null-context", {
      argv: [...UPDATE, "-c", "/dev/null"],
    });

    expect(firstLine(outcome.stderr)).toBe(
      "ERROR: The task's step is not an encoded task, so it has no content to keep without a " +
        "context: give --cmd or --file along with --context /dev/null.",
    );
    expect(outcome.rc).toBe(capture.rc);
    expect(outcome.stdout).toBe("");
    expect(outcome.sent.map(comparable)).toEqual(capture.requests.map(comparable));
  },
);
