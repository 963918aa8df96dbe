// `az acr task create` through the CLI: az 2.45's runs of it (the Node API's captures) replayed
// against main(), each request answered as az's was. Capture 25 is among the golden ones.

import {
  API_SOURCE_DIRECTORY,
  expectSameAsAz,
  replayApiCapture,
  type ApiReplay,
} from "../../golden/replay.js";

const CREATE = ["acr", "task", "create", "-n", "newtask", "-r", "myreg"];
const NULL_CONTEXT = [...CREATE, "-c", "/dev/null"];

const cases: [string, ApiReplay][] = [
  [
    "create-file-task",
    {
      argv: [
        ...[...CREATE, "-c", "https://dev.azure.com/org/proj/_git/repo#dev", "-f", "acb.yaml"],
        ...["--set", "a=1", "--set-secret", "b=2", "--set", "c", "--values", "v.yaml"],
        ...["--git-access-token", "T0", "--commit-trigger-enabled", "false"],
        ...["--pull-request-trigger-enabled", "true", "--base-image-trigger-enabled", "false"],
        ...["--status", "disabled", "--cpu", "4", "--timeout", "600", "--agent-pool", "pool1"],
        ...["--log-template", "acr/tasks:{{.Run.OS}}", "--platform", "windows"],
        ...["--source-trigger-name", "st", "--assign-identity"],
      ],
    },
  ],
  [
    "create-cmd",
    {
      argv: [
        ...[...NULL_CONTEXT, "--cmd", "echo hi", "--set", "x=1", "--schedule", "a:b:c"],
        ...["--base-image-trigger-type", "All"],
        ...["--update-trigger-endpoint", "https://hook.example.com"],
        ...["--update-trigger-payload-type", "token", "--git-access-token", "T1"],
        "--is-system-task",
      ],
    },
  ],
  [
    "create-oci-docker",
    {
      argv: [
        ...[...CREATE, "-c", "oci://myreg.azurecr.io/ctx:1", "-f", "Dockerfile", "--no-push"],
        ...["--no-cache", "true", "--target", "build", "--arg", "HOME"],
        ...["--assign-identity", "[all]"],
      ],
      // az read `--arg HOME` from its environment.
      env: { HOME: "/root" },
    },
  ],
  [
    "create-encoded-file",
    { argv: [...NULL_CONTEXT, "-f", "task.yaml", "--timeout", "28800"], cwd: API_SOURCE_DIRECTORY },
  ],
  [
    "create-system-task",
    {
      argv: [
        ...["acr", "task", "create", "-n", "quicktask", "-r", "myreg", "--is-system-task"],
        ...["--timeout", "900", "--log-template", "t"],
      ],
    },
  ],
  ["create-classic", { argv: [...NULL_CONTEXT, "--cmd", "x"] }],
  ["create-no-context", { argv: [...CREATE, "-f", "Dockerfile"] }],
  [
    "create-no-token",
    { argv: [...CREATE, "-c", "https://github.com/a/b.git", "-f", "Dockerfile"] },
  ],
  [
    "create-missing-file",
    { argv: [...CREATE, "-c", "https://github.com/a/b.git", "--commit-trigger-enabled", "false"] },
  ],
  ["create-no-acb-yaml", { argv: NULL_CONTEXT, cwd: API_SOURCE_DIRECTORY }],
  ["create-cmd-and-file", { argv: [...NULL_CONTEXT, "--cmd", "x", "-f", "y"] }],
  ["create-bad-os", { argv: [...NULL_CONTEXT, "--cmd", "x", "--platform", "mac/arm"] }],
  ["create-bad-arch", { argv: [...NULL_CONTEXT, "--cmd", "x", "--platform", "linux/sparc"] }],
  ["create-bad-variant", { argv: [...NULL_CONTEXT, "--cmd", "x", "--platform", "linux/arm64/V8"] }],
  ["create-timeout-low", { argv: [...NULL_CONTEXT, "--cmd", "x", "--timeout", "299"] }],
  ["create-timeout-high", { argv: [...NULL_CONTEXT, "--cmd", "x", "--timeout", "28801"] }],
];

test.each(cases)("%s: as az 2.45", async (name, invocation) => {
  const { capture, outcome } = await replayApiCapture(name, invocation);

  expectSameAsAz(capture, outcome);
});
