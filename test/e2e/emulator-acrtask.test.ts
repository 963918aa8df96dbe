// The built CLI against the built emulator, side by side with the real az 2.45: the emulator
// runs as `acrtask emulator start` in a child process, az is set up only from the lines
// `acrtask emulator az-env` prints, and acrtask only through `acrtask emulator use` (no
// NODE_EXTRA_CA_CERTS: the emulator's CA is remembered with the cloud). Each tool runs the same
// task sequence on the same task name in turn; their stdout must match.

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { AZ, EmulatorProcess, ROOT, type Outcome } from "../support/emulator-process.js";
import { createSeedRepository } from "../support/seed-repository.js";

let emulator: EmulatorProcess;
let dataDir: string;
let seedRepository: string;

const acrtask = (commandLine: string) => emulator.acrtask(commandLine);
const az = (commandLine: string) => emulator.az(commandLine);

/** Values that differ between two runs of the same sequence: timestamps, as JSON prints them. */
function normalise(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?/g, "<time>");
}

beforeAll(async () => {
  expect(existsSync(AZ)).toBe(true);
  expect(existsSync(join(ROOT, "dist"))).toBe(true);
  emulator = new EmulatorProcess(mkdtempSync(join(tmpdir(), "acrtask-emulator-acrtask-")));
  dataDir = emulator.dataDir;
  seedRepository = createSeedRepository(emulator.workDir);
  await emulator.start();

  const signIn = await emulator.signInAz();
  expect(signIn.stderr).toBe("");
  expect(signIn.rc).toBe(0);
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
}, 60_000);

/**
 * The sequence each tool runs, with the exit code expected of each step. The create is the seed
 * tutorial's, with the local repository as the context and a made-up token.
 */
const SEQUENCE: [string | (() => string), number][] = [
  [
    () =>
      `acr task create --registry myregistry --name task1 --context "${seedRepository}#main" ` +
      "--file taskmulti.yaml --git-access-token ghp_notarealtoken0123456789 -o json",
    0,
  ],
  ["acr task show -n task1 -r myregistry -o json", 0],
  ["acr task list -r myregistry -o table", 0],
  [
    "acr task credential add -n task1 -r myregistry --login-server other.azurecr.io " +
      "-u someuser -p somepassword -o json",
    0,
  ],
  ["acr task credential list -n task1 -r myregistry -o json", 0],
  [
    "acr task update -n task1 -r myregistry --set greeting=hello " +
      "--base-image-trigger-enabled false " +
      "--status Disabled --timeout 900 -o json",
    0,
  ],
  ["acr task list-runs -r myregistry -o table", 0],
  ["acr task delete -n task1 -r myregistry --yes", 0],
  ["acr task show -n task1 -r myregistry -o json", 3],
];

test("acrtask emulator use signs in with the CA remembered, no environment variable", async () => {
  const use = await acrtask(`emulator use --data-dir "${dataDir}"`);
  expect(use.stderr).toBe("");
  expect(use.rc).toBe(0);

  const account = await acrtask("account show -o json");
  expect(account.rc).toBe(0);
  expect(JSON.parse(account.stdout)).toMatchObject({ environmentName: "AcrtaskEmulator" });
}, 120_000);

test("the task sequence prints the same through az and acrtask", async () => {
  const commandLines = SEQUENCE.map(([line]) => (typeof line === "string" ? line : line()));
  const azOutcomes: Outcome[] = [];
  for (const commandLine of commandLines) {
    azOutcomes.push(await az(commandLine));
  }
  const acrtaskOutcomes: Outcome[] = [];
  for (const commandLine of commandLines) {
    acrtaskOutcomes.push(await acrtask(commandLine));
  }

  SEQUENCE.forEach(([, expectedRc], index) => {
    const commandLine = commandLines[index] as string;
    const fromAz = azOutcomes[index] as Outcome;
    const fromAcrtask = acrtaskOutcomes[index] as Outcome;
    // Both stderr texts ride along, on both sides, so that a failure shows why.
    const step = {
      commandLine,
      az: fromAz.rc,
      acrtask: fromAcrtask.rc,
      azStderr: fromAz.stderr,
      acrtaskStderr: fromAcrtask.stderr,
    };
    expect({ ...step, az: fromAz.rc }).toEqual({ ...step, az: expectedRc });
    expect({ ...step, acrtask: fromAcrtask.rc }).toEqual({ ...step, acrtask: expectedRc });
    expect({ commandLine, stdout: normalise(fromAcrtask.stdout) }).toEqual({
      commandLine,
      stdout: normalise(fromAz.stdout),
    });
    expect({ commandLine, error: fromAcrtask.stderr.split("\n")[0] }).toEqual({
      commandLine,
      error: fromAz.stderr.split("\n")[0],
    });
  });

  const created = JSON.parse(acrtaskOutcomes[0]?.stdout ?? "{}") as Record<string, unknown>;
  expect(created).toMatchObject({
    name: "task1",
    provisioningState: "Succeeded",
    step: {
      type: "FileTask",
      contextPath: `${seedRepository}#main`,
      taskFilePath: "taskmulti.yaml",
      contextAccessToken: null,
    },
    trigger: {
      sourceTriggers: [
        {
          name: "defaultSourceTriggerName",
          sourceRepository: { repositoryUrl: `${seedRepository}#main`, branch: "main" },
          sourceTriggerEvents: ["commit"],
          status: "Enabled",
        },
      ],
    },
  });
  // The token is a secret: no answer shows it.
  for (const outcome of [...azOutcomes, ...acrtaskOutcomes]) {
    expect(outcome.stdout).not.toContain("ghp_notarealtoken");
  }
  expect(normalise(azOutcomes[2]?.stdout ?? "")).toMatch(/^NAME\s+PLATFORM\s+STATUS/);
  expect(azOutcomes[8]?.stderr).toMatch(/^ERROR: /);
}, 300_000);
