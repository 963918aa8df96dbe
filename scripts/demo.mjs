// `npm run demo`: the ACR multi-step task tutorial, end to end, on this machine. It installs
// what is missing (as root), builds acrtask, makes sure the Docker engine runs, starts the
// emulator in a fresh folder, points acrtask at it, and runs the tutorial's commands against
// the tutorial's repository (kept locally as a git repository): create the task, run it with
// its log streamed, list the runs, show the image the run pushed, then commit to the repository
// and watch the commit trigger run the task again.
//   npm run demo [-- --keep]     --keep leaves the emulator's folder for a look afterwards
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const keep = process.argv.includes("--keep");
const workFolder = mkdtempSync(join(tmpdir(), "acrtask-demo-"));
const dataDir = join(workFolder, "emulator");
const environment = {
  ...process.env,
  ACRTASK_CONFIG_DIR: join(workFolder, "acrtask-config"),
  AZURE_CORE_NO_COLOR: "true",
};

function say(text) {
  process.stderr.write(`\n== ${text}\n`);
}

function stop(message, code = 1) {
  process.stderr.write(`demo stopped: ${message}\n`);
  process.exitCode = code;
  throw new Error(message);
}

/** Runs a command with its output shown; stops the demo when it fails. */
function step(title, command, args, options = {}) {
  say(title);
  process.stderr.write(`$ ${[command, ...args].join(" ")}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env: environment, ...options });
  if (result.status !== 0) {
    stop(`'${title}' exited ${result.status}`);
  }
}

/** The tutorial's own commands, shown as `acrtask …` and run through the built CLI. */
function acrtask(title, args) {
  say(title);
  process.stderr.write(`$ acrtask ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, ["bin/acrtask", ...args], {
    stdio: "inherit",
    env: environment,
  });
  if (result.status !== 0) {
    stop(`'acrtask ${args.join(" ")}' exited ${result.status}`);
  }
}

function git(repository, ...args) {
  const result = spawnSync("git", args, {
    cwd: repository,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...environment,
      GIT_AUTHOR_NAME: "Demo",
      GIT_AUTHOR_EMAIL: "demo@example.com",
      GIT_COMMITTER_NAME: "Demo",
      GIT_COMMITTER_EMAIL: "demo@example.com",
    },
  });
  if (result.status !== 0) {
    stop(`git ${args.join(" ")} failed`);
  }
}

async function startEmulator() {
  say("start the emulator (ARM, Entra ID and Blob storage on 127.0.0.1, runs on Docker)");
  process.stderr.write(`$ acrtask emulator start --data-dir ${dataDir} --commit-poll-interval 2\n`);
  const child = spawn(
    process.execPath,
    ["bin/acrtask", "emulator", "start", "--data-dir", dataDir],
    {
      stdio: ["ignore", "inherit", "pipe"],
      env: environment,
    },
  );
  let output = "";
  child.stderr.on("data", (chunk) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });

  const deadline = Date.now() + 120_000;
  while (!/emulator ready/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop("the emulator did not start");
    }
    await delay(200);
  }
  return child;
}

async function stopEmulator(child) {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  }
}

let emulator;
try {
  step("system packages", process.execPath, ["scripts/system-deps.mjs", "--for", "demo"]);
  step("build", "npm", ["run", "build", "--silent"]);
  step("the Docker engine", process.execPath, ["scripts/docker-engine.mjs"]);
  // The tutorial's Dockerfile builds FROM node:15-alpine.
  step("the tutorial's base image", process.execPath, [
    "scripts/stand-in-images.mjs",
    "node:15-alpine",
  ]);

  say("the tutorial's repository, as a local git repository");
  const repository = join(workFolder, "acr-build-helloworld-node");
  cpSync(join("examples", "acr-build-helloworld-node"), repository, { recursive: true });
  rmSync(join(repository, "PROVENANCE.md"));
  git(repository, "init", "--quiet", "--initial-branch", "main");
  git(repository, "add", ".");
  git(repository, "commit", "--quiet", "-m", "The hello-world web app and its multi-step task");
  process.stderr.write(`${readFileSync(join(repository, "taskmulti.yaml"), "utf8")}\n`);

  emulator = await startEmulator();
  acrtask("point acrtask at the emulator", ["emulator", "use", "--data-dir", dataDir]);

  acrtask("create the multi-step task (the tutorial's command, with the local repository)", [
    "acr",
    "task",
    "create",
    "--registry",
    "myregistry",
    "--name",
    "example1",
    "--context",
    `${repository}#main`,
    "--file",
    "taskmulti.yaml",
    "--git-access-token",
    "not-needed-for-a-local-repository",
    "--output",
    "table",
  ]);
  acrtask("run the task and stream its log", [
    "acr",
    "task",
    "run",
    "--registry",
    "myregistry",
    "--name",
    "example1",
  ]);
  acrtask("list the task's runs", [
    "acr",
    "task",
    "list-runs",
    "--registry",
    "myregistry",
    "--output",
    "table",
  ]);

  acrtask("the run's pushed image, as the run records it", [
    "acr",
    "task",
    "list-runs",
    "--registry",
    "myregistry",
    "--top",
    "1",
    "--query",
    "[0].outputImages",
    "--output",
    "table",
  ]);

  say("commit to the repository: the task's commit trigger runs it again");
  appendFileSync(join(repository, "server.js"), "// A change that triggers a build\n");
  git(repository, "commit", "--quiet", "-am", "Change the server");
  const deadline = Date.now() + 300_000;
  for (;;) {
    const listed = spawnSync(
      process.execPath,
      ["bin/acrtask", "acr", "task", "list-runs", "-r", "myregistry", "-o", "json"],
      { env: environment, encoding: "utf8" },
    );
    const runs = JSON.parse(listed.stdout || "[]");
    if (runs.length >= 2 && !["Queued", "Started", "Running"].includes(runs[0].status)) {
      break;
    }
    if (Date.now() > deadline) {
      stop("the commit trigger did not run the task within 5 minutes");
    }
    await delay(2000);
  }
  acrtask("the runs, the newest triggered by the commit", [
    "acr",
    "task",
    "list-runs",
    "--registry",
    "myregistry",
    "--output",
    "table",
  ]);

  say(
    keep
      ? `done; the emulator's folder stays in ${workFolder}`
      : "done: the tutorial ran end to end on this machine",
  );
} catch (error) {
  if (process.exitCode === undefined || process.exitCode === 0) {
    process.stderr.write(`demo stopped: ${error.message}\n`);
    process.exitCode = 1;
  }
} finally {
  await stopEmulator(emulator);
  if (!keep) {
    rmSync(workFolder, { recursive: true, force: true });
  } else if (!existsSync(workFolder)) {
    process.exitCode ||= 1;
  }
}
