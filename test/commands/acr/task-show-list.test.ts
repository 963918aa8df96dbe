// `az acr task show` and `az acr task list` through the CLI, replayed from az 2.45's runs of
// them, and what every task command does before its first request.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { main } from "../../../src/cli/main.js";
import { expectSameAsAz, replayApiCapture, type ApiReplay } from "../../golden/replay.js";

const cases: [string, ApiReplay][] = [
  ["show", { argv: ["acr", "task", "show", "-n", "mytask", "-r", "myreg"] }],
  [
    "show-secure",
    { argv: ["acr", "task", "show", "-n", "mytask", "-r", "myreg", "--with-secure-properties"] },
  ],
  ["list-empty", { argv: ["acr", "task", "list", "-r", "myreg", "-g", "MyRG"] }],
  ["registry-paged", { argv: ["acr", "task", "list", "-r", "myreg"] }],
  ["registry-case", { argv: ["acr", "task", "list", "-r", "MYREG"] }],
  ["registry-classic", { argv: ["acr", "task", "list", "-r", "myreg"] }],
  ["registry-duplicate", { argv: ["acr", "task", "list", "-r", "myreg"] }],
  ["registry-suffix", { argv: ["acr", "task", "list", "-r", "myreg.azurecr.io", "-o", "none"] }],
];

test.each(cases)("%s: as az 2.45", async (name, invocation) => {
  const { capture, outcome } = await replayApiCapture(name, invocation);

  expectSameAsAz(capture, outcome);
});

describe("before any request", () => {
  let configDir: string;

  beforeEach(() => {
    configDir = mkdtempSync(join(tmpdir(), "acrtask-task-"));
  });

  afterEach(() => {
    rmSync(configDir, { recursive: true, force: true });
  });

  async function run(argv: string[]) {
    let stdout = "";
    let stderr = "";
    const rc = await main(argv, {
      stdout: { isTTY: false, write: (text) => void (stdout += text) },
      stderr: { isTTY: false, write: (text) => void (stderr += text) },
      env: { HOME: configDir, ACRTASK_CONFIG_DIR: configDir, AZURE_CONFIG_DIR: configDir },
      cwd: configDir,
      forward: async () => 99,
    });
    return { rc, stdout, stderr };
  }

  test.each([
    [["acr", "task", "list", "-r", "myreg"]],
    [["acr", "task", "show", "-n", "t", "-r", "myreg"]],
    [["acr", "task", "timer", "list", "-n", "t", "-r", "myreg"]],
    [["acr", "task", "credential", "list", "-n", "t", "-r", "myreg"]],
    [["acr", "task", "identity", "show", "-n", "t", "-r", "myreg"]],
  ])("without a sign-in: az's login error, exit 1 (%j)", async (argv) => {
    expect(await run(argv)).toEqual({
      rc: 1,
      stdout: "",
      stderr: "ERROR: Please run 'az login' to setup account.\n",
    });
  });

  test(
    "the registry suffix is cut off with az's warning before the " + "sign-in is checked",
    async () => {
      const result = await run(["acr", "task", "list", "-r", "myreg.azurecr.io"]);

      expect(result.rc).toBe(1);
      expect(result.stderr).toBe(
        "WARNING: The login server endpoint suffix '.azurecr.io' is automatically omitted.\n" +
          "ERROR: Please run 'az login' to setup account.\n",
      );
    },
  );
});
