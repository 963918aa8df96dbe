// The seed tutorial end to end: the multi-step task of the ACR tutorial, created from the
// tutorial's repository (a local git repository here), run by the emulator on the local Docker
// engine with its image pushed to the emulated registry, driven by the real az 2.45 and by the
// built acrtask side by side. The same log blob read by both must print the same bytes; two
// runs print the same acb lines once times, ids and digests are blanked.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { requireDockerEngine } from "../support/docker.js";
import { AZ, EmulatorProcess, ROOT } from "../support/emulator-process.js";
import { commitToSeedRepository, createSeedRepository } from "../support/seed-repository.js";

let emulator: EmulatorProcess;
let workDir: string;
let dataDir: string;
let seedRepository: string;

const acrtask = (commandLine: string) => emulator.acrtask(commandLine);
const az = (commandLine: string) => emulator.az(commandLine);

/** The acb and service lines of a log (container output differs with the build cache). */
function acbLines(log: string): string[] {
  return log
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""))
    .filter((line) => /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} |^Run ID: /.test(line))
    .map((line) =>
      line
        .replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, "<ts> ")
        .replace(/\bca[0-9a-z]+\b/g, "<run>")
        .replace(/localhost:\d+/g, "<registry>")
        .replace(/elapsed time in seconds: [0-9.]+/, "elapsed time in seconds: <s>")
        .replace(/after \d+s$/, "after <duration>"),
    );
}

beforeAll(async () => {
  expect(existsSync(AZ)).toBe(true);
  expect(existsSync(join(ROOT, "dist"))).toBe(true);
  await requireDockerEngine();
  const baseImage = spawnSync(
    process.execPath,
    [join(ROOT, "scripts", "stand-in-images.mjs"), "node:15-alpine"],
    { encoding: "utf8", timeout: 240_000 },
  );
  expect(baseImage.stderr).not.toMatch(/failed|could not/);
  expect(baseImage.status).toBe(0);

  emulator = new EmulatorProcess(mkdtempSync(join(tmpdir(), "acrtask-seed-")), 300_000);
  workDir = emulator.workDir;
  dataDir = emulator.dataDir;
  seedRepository = createSeedRepository(workDir);
  await emulator.start(["--commit-poll-interval", "1"]);
  expect((await emulator.signInAz()).rc).toBe(0);
  expect((await acrtask(`emulator use --data-dir "${dataDir}"`)).rc).toBe(0);
}, 400_000);

afterAll(async () => {
  await emulator?.stop();
}, 120_000);

test("the tutorial's task runs on the emulator through az and acrtask alike", async () => {
  const create = await az(
    `acr task create --registry myregistry --name example1 --context "${seedRepository}#main" ` +
      "--file taskmulti.yaml --git-access-token ghp_notarealtoken0123456789 -o none",
  );
  expect(create).toEqual({ stdout: "", stderr: "", rc: 0 });

  // az streams the run's log from the blob until the run completes.
  const azRun = await az("acr task run --registry myregistry --name example1");
  expect({ rc: azRun.rc, stderr: azRun.stderr }).toEqual({ rc: 0, stderr: expect.any(String) });
  const azRunId = /Queued a run with ID: (\w+)/.exec(azRun.stderr)?.[1];
  expect(azRunId).toMatch(/^ca[0-9a-z]+$/);

  const acrtaskRun = await acrtask("acr task run --registry myregistry --name example1");
  expect({ rc: acrtaskRun.rc, stderr: acrtaskRun.stderr.split("\n")[0] }).toEqual({
    rc: 0,
    stderr: azRun.stderr
      .split("\n")[0]
      ?.replace(azRunId!, /ID: (\w+)/.exec(acrtaskRun.stderr)![1]!),
  });

  // The tutorial's steps, in order, with the image built, run detached, stopped and pushed.
  const lines = acbLines(azRun.stdout);
  expect(lines).toEqual(acbLines(acrtaskRun.stdout));
  expect(lines).toEqual(
    expect.arrayContaining([
      "<ts> Downloading source code...",
      "<ts> Finished downloading source code",
      "<ts> Creating Docker network: acb_default_network, driver: 'bridge'",
      "<ts> Executing step ID: acb_step_0. Timeout(sec): 600, Working directory: '', " +
        "Network: 'acb_default_network'",
      "<ts> Executing step ID: test. Timeout(sec): 600, Working directory: '', Network: " +
        "'acb_default_network'",
      "<ts> Successfully executed container: acb_step_2",
      "<ts> Pushing image: <registry>/hello-world:<run>, attempt 1",
      "<ts> Successfully pushed image: <registry>/hello-world:<run>",
      "<ts> The following dependencies were found:",
      "Run ID: <run> was successful after <duration>",
    ]),
  );
  expect(azRun.stdout).toMatch(
    /runtime-dependency:\r\n {4}registry: registry.hub.docker.com\r\n {4}repository: library\/node\r\n {4}tag: 15-alpine\r\n/,
  );
  expect(azRun.stdout).toMatch(/git:\r\n {4}git-head-revision: [0-9a-f]{40}\r\n/);

  // One log blob, read by both: the same bytes.
  const azLogs = await az(`acr task logs --registry myregistry --run-id ${azRunId}`);
  const acrtaskLogs = await acrtask(`acr task logs --registry myregistry --run-id ${azRunId}`);
  expect(azLogs.rc).toBe(0);
  expect(acrtaskLogs).toEqual({ ...azLogs, stderr: acrtaskLogs.stderr });

  // The runs record what they pushed, and list alike.
  const runs = JSON.parse((await az("acr task list-runs -r myregistry -o json")).stdout) as {
    runId: string;
    status: string;
    outputImages: { repository: string; tag: string; digest: string }[];
  }[];
  expect(runs.map((run) => run.status)).toEqual(["Succeeded", "Succeeded"]);
  expect(runs[1]?.outputImages).toEqual([
    expect.objectContaining({
      repository: "hello-world",
      tag: azRunId,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    }),
  ]);
  const azTable = await az("acr task list-runs -r myregistry -o table");
  const acrtaskTable = await acrtask("acr task list-runs -r myregistry -o table");
  expect(acrtaskTable.stdout).toBe(azTable.stdout);
}, 600_000);

test("a commit to the task's branch runs the task at that commit", async () => {
  const head = commitToSeedRepository(seedRepository, "server.js", "// A change to build\n");

  // The emulator looks at the branch every second; the run then builds and pushes.
  let runs: { runId: string; status: string; sourceTrigger?: { commitId: string } }[] = [];
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    runs = JSON.parse((await acrtask("acr task list-runs -r myregistry -o json")).stdout);
    if (runs.length === 3 && ["Succeeded", "Failed"].includes(runs[0]!.status)) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  expect(runs[0]).toMatchObject({
    status: "Succeeded",
    runType: "AutoRun",
    task: "example1",
    sourceTrigger: { eventType: "Commit", commitId: head, branchName: "main" },
  });
  const log = await acrtask(`acr task logs -r myregistry --run-id ${runs[0]!.runId}`);
  expect(log.stdout).toMatch(new RegExp(`git-head-revision: ${head}\\r?\\n`));

  const azTable = await az("acr task list-runs -r myregistry -o table");
  const acrtaskTable = await acrtask("acr task list-runs -r myregistry -o table");
  expect(acrtaskTable.stdout).toBe(azTable.stdout);
  expect(azTable.stdout.split("\n")[2]).toMatch(/^ca\w+\s+example1\s+linux\s+Succeeded\s+Commit\s/);
}, 300_000);

test("an update of a task's base image in the registry runs the task again", async () => {
  const config = JSON.parse(readFileSync(join(dataDir, "emulator.json"), "utf8")) as {
    registries: { name: string; loginServer: string }[];
  };
  const loginServer = config.registries.find((entry) => entry.name === "myregistry")!.loginServer;

  // The base image, built and pushed by a quick build of a local folder (az acr build).
  const baseFolder = join(workDir, "base");
  mkdirSync(baseFolder, { recursive: true });
  writeFileSync(join(baseFolder, "Dockerfile"), "FROM node:15-alpine\nRUN echo one > /base.txt\n");
  const firstBase = await acrtask(`acr build -r myregistry -t base:v1 "${baseFolder}"`);
  expect({ rc: firstBase.rc, stderr: firstBase.stderr.split("\n")[0] }).toEqual({
    rc: 0,
    stderr: "WARNING: Packing source code into tar to upload...",
  });
  expect(firstBase.stdout).toMatch(/Successfully pushed image: localhost:\d+\/base:v1/);

  // A task building FROM it; its successful run records the base image on the task.
  const appRepository = join(workDir, "app");
  mkdirSync(appRepository, { recursive: true });
  writeFileSync(join(appRepository, "Dockerfile"), `FROM ${loginServer}/base:v1\nCMD ["node"]\n`);
  execFileSync("git", ["init", "--quiet", "--initial-branch", "main"], { cwd: appRepository });
  execFileSync("git", ["add", "."], { cwd: appRepository });
  execFileSync(
    "git",
    ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"],
    { cwd: appRepository },
  );
  const create = await az(
    `acr task create -r myregistry -n apptask -c "${appRepository}#main" -f Dockerfile ` +
      "-t app:{{.Run.ID}} --commit-trigger-enabled false -o none",
  );
  expect(create).toEqual({ stdout: "", stderr: "", rc: 0 });
  const appRun = await az("acr task run -r myregistry -n apptask");
  expect({ rc: appRun.rc, stdout: appRun.stdout }).toEqual({ rc: 0, stdout: appRun.stdout });
  const task = JSON.parse((await az("acr task show -r myregistry -n apptask -o json")).stdout);
  expect(task.step.baseImageDependencies).toEqual([
    expect.objectContaining({ type: "RunTime", repository: `${loginServer}/base`, tag: "v1" }),
  ]);

  // A new push of the base image runs the task.
  writeFileSync(join(baseFolder, "Dockerfile"), "FROM node:15-alpine\nRUN echo two > /base.txt\n");
  expect((await acrtask(`acr build -r myregistry -t base:v1 "${baseFolder}"`)).rc).toBe(0);

  let newest: { status: string; task?: string; imageUpdateTrigger?: unknown } | undefined;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const runs = JSON.parse(
      (await acrtask("acr task list-runs -r myregistry -n apptask -o json")).stdout,
    );
    newest = runs[0];
    if (runs.length === 2 && ["Succeeded", "Failed"].includes(newest!.status)) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  expect(newest).toMatchObject({
    status: "Succeeded",
    task: "apptask",
    imageUpdateTrigger: { images: [expect.objectContaining({ repository: "base", tag: "v1" })] },
  });
  const azTable = await az("acr task list-runs -r myregistry -n apptask -o table");
  expect((await acrtask("acr task list-runs -r myregistry -n apptask -o table")).stdout).toBe(
    azTable.stdout,
  );
  expect(azTable.stdout.split("\n")[2]).toMatch(/\sImage Update\s/);
}, 400_000);
