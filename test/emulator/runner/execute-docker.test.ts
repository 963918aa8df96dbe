// The runner on a real Docker engine (spec: runner §4): a handful of runs that cover step
// containers, the workspace, the task network's DNS, failures, retries, timeouts, a build pushed
// to a real distribution registry and pulled back, and cleanup. Step images are a busybox image
// made locally, since nothing can be pulled.

import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  deleteRegistry,
  startRegistry,
  stopAllRegistries,
} from "../../../src/emulator/registries/index.js";
import { executeRun } from "../../../src/emulator/runner/execute.js";
import type { ExecuteRunOptions } from "../../../src/emulator/runner/execute.js";
import { ensureBusyboxImage, ensureDockerCliImage } from "../../../src/emulator/runner/images.js";
import { loadTask } from "../../../src/taskfile/index.js";
import type { Task } from "../../../src/taskfile/model.js";
import { requireDockerEngine } from "../../support/docker.js";
import { MemoryLog, taskOf } from "../../support/docker-task.js";

let busybox: string;
let runNumber = 0;

beforeAll(async () => {
  await requireDockerEngine();
  busybox = await ensureBusyboxImage({ repository: "acrtask-test/busybox" });
  await ensureDockerCliImage();
}, 120_000);

function docker(...args: string[]): string {
  const result = spawnSync("docker", args, { encoding: "utf8" });
  return result.stdout.trim();
}

async function run(task: Task, extra: Partial<ExecuteRunOptions> = {}) {
  const log = new MemoryLog();
  const runId = `dt${process.pid.toString(36)}${++runNumber}`;
  const outcome = await executeRun({ runId, task, log, ...extra });
  return { runId, outcome, log, lines: log.lines() };
}

/** Nothing of the run is left on the engine: containers, networks, volumes. */
function expectNothingLeft(runId: string, containerNames: string[]) {
  const containers = docker("ps", "-a", "--format", "{{.Names}}").split("\n");
  for (const name of containerNames) {
    expect(containers).not.toContain(name);
  }
  expect(containers.filter((name) => /^acb_(docker|init|source|secret)/.test(name))).toEqual([]);
  const label = `label=dev.acrtask.runner.run=${runId}`;
  expect(docker("network", "ls", "-q", "--filter", label)).toBe("");
  expect(docker("volume", "ls", "-q", "--filter", label)).toBe("");
}

test("steps in order share the workspace; a detached server answers by its step id; keep and docker steps; secret volume files (T-E4, T-E7, T-E15, T-E17, T-E20)", async () => {
  const task = taskOf(
    [
      { id: "write", cmd: `${busybox} sh -c 'echo shared > page.txt; echo written'` },
      { id: "web", cmd: `${busybox} httpd -f -p 80`, detach: true },
      { id: "fetch", cmd: `${busybox} wget -qO- http://web/page.txt` },
      { id: "kept", cmd: `${busybox} echo kept output`, keep: true },
      { id: "logs", cmd: "docker logs kept" },
      {
        id: "secret",
        cmd: `${busybox} cat /run/secrets/value.txt`,
        volumeMounts: [{ name: "runnertestsecrets", mountPath: "/run/secrets" }],
      },
    ],
    {
      volumes: [
        {
          name: "runnertestsecrets",
          secret: { "value.txt": Buffer.from("s3cr$t `x`").toString("base64") },
        },
      ],
    },
  );
  const { runId, outcome, lines } = await run(task);

  expect(outcome.status).toBe("Succeeded");
  expect(
    lines.filter((line) => !line.startsWith("<ts> Executing step") && !/^[0-9a-f]{64}$/.test(line)),
  ).toEqual([
    "<ts> Creating Docker network: acb_default_network, driver: 'bridge'",
    "<ts> Successfully set up Docker network: acb_default_network",
    "<ts> Setting up Docker configuration...",
    "<ts> Successfully set up Docker configuration",
    "<ts> Volume source runnertestsecrets successfully created",
    "<ts> Launching container with name: write",
    "written",
    "<ts> Successfully executed container: write",
    "<ts> Launching container with name: web",
    "<ts> Successfully executed container: web",
    "<ts> Launching container with name: fetch",
    "shared",
    "<ts> Successfully executed container: fetch",
    "<ts> Launching container with name: kept",
    "kept output",
    "<ts> Successfully executed container: kept",
    "<ts> Launching container with name: logs",
    "kept output",
    "<ts> Successfully executed container: logs",
    "<ts> Launching container with name: secret",
    "s3cr$t `x`",
    "<ts> Successfully executed container: secret",
    ...["write", "web", "fetch", "kept", "logs", "secret"].map((id) =>
      expect.stringMatching(
        new RegExp(
          `^<ts> Step ID: ${id} marked as successful \\(elapsed time in seconds: \\d+\\.\\d{6}\\)$`,
        ),
      ),
    ),
    "",
    expect.stringMatching(new RegExp(`^Run ID: ${runId} was successful after \\d+s$`)),
    "",
  ]);
  // The detached step printed its container id.
  expect(lines.filter((line) => /^[0-9a-f]{64}$/.test(line))).toHaveLength(1);
  expectNothingLeft(runId, ["write", "web", "fetch", "kept", "logs", "secret"]);
  expect(docker("volume", "ls", "-q", "--filter", "name=runnertestsecrets")).toBe("");
}, 90_000);

test("steps hanging off the root run side by side (T-E5)", async () => {
  // Each step waits for the other's mark: they pass only when both run at once.
  const waitFor = (mine: string, other: string) =>
    `${busybox} sh -c 'touch ${mine}; for i in $(seq 50); do [ -f ${other} ] && exit 0; ` +
    `sleep 0.1; done; exit 1'`;
  const task = taskOf([
    { id: "left", cmd: waitFor("left.mark", "right.mark"), when: ["-"] },
    { id: "right", cmd: waitFor("right.mark", "left.mark"), when: ["-"] },
    { id: "joined", cmd: `${busybox} ls left.mark right.mark`, when: ["left", "right"] },
  ]);
  const { outcome, lines } = await run(task);
  expect(outcome.status).toBe("Succeeded");
  expect(lines).toContain("left.mark");
  expect(lines).toContain("right.mark");
}, 60_000);

test("ignoreErrors, retries, then a failure that stops the run and the parallel step (T-E9, T-E10, T-E11)", async () => {
  const task = taskOf([
    { id: "ignored", cmd: `${busybox} sh -c 'exit 3'`, ignoreErrors: true },
    {
      id: "flaky",
      cmd: `${busybox} sh -c '[ -f flaky.mark ] && exit 0; touch flaky.mark; echo transient; exit 1'`,
      retries: 1,
      retryDelay: 1,
      retryOnErrors: ["transient"],
    },
    { id: "sleeper", cmd: `${busybox} sleep 30`, when: ["flaky"] },
    { id: "fails", cmd: `${busybox} sh -c 'sleep 1; echo about to fail; exit 4'`, when: ["flaky"] },
    { id: "never", cmd: `${busybox} echo never` },
  ]);
  const started = Date.now();
  const { runId, outcome, lines } = await run(task);

  expect(Date.now() - started).toBeLessThan(20_000);
  expect(outcome.status).toBe("Failed");
  expect(outcome.error).toBe("failed to run step ID: fails: exit status 4");
  const relevant = lines.filter(
    (line) =>
      !line.startsWith("<ts> Executing step") &&
      !line.includes("network") &&
      !line.includes("configuration"),
  );
  expect(relevant.slice(0, 8)).toEqual([
    "<ts> Launching container with name: ignored",
    "<ts> Container failed during run: ignored. No retries remaining.",
    "<ts> Step ID: ignored encountered an error: exit status 3, but is set to ignore " +
      "errors. Continuing...",
    "<ts> Launching container with name: flaky",
    "transient",
    "<ts> Container failed during run: flaky, waiting 1 seconds before retrying...",
    "<ts> Launching container with name: flaky",
    "<ts> Successfully executed container: flaky",
  ]);
  expect(relevant.slice(-6)).toEqual([
    "about to fail",
    "<ts> Container failed during run: fails. No retries remaining.",
    "failed to run step ID: fails: exit status 4",
    "",
    expect.stringMatching(
      new RegExp(
        `^Run ID: ${runId} failed after \\d+s\\. Error: failed during run, err: exit status 1$`,
      ),
    ),
    "",
  ]);
  expect(lines.some((line) => line.includes("never"))).toBe(false);
  expect(lines.some((line) => line.includes("marked as successful"))).toBe(false);
  expectNothingLeft(runId, ["ignored", "flaky", "sleeper", "fails"]);
}, 60_000);

test("a step over its timeout fails the run with `timed out` and its container is removed (T-E13)", async () => {
  const { runId, outcome, lines } = await run(
    taskOf([{ id: "slow", cmd: `${busybox} sleep 30`, timeout: 2 }]),
  );
  expect(outcome.status).toBe("Failed");
  expect(lines).toContain("failed to run step ID: slow: timed out");
  expectNothingLeft(runId, ["slow"]);
}, 60_000);

test("an archive source is unpacked into the workspace; canceling stops the step and cleans up", async () => {
  const folder = mkdtempSync(join(tmpdir(), "acrtask-runner-archive-"));
  try {
    writeFileSync(join(folder, "note.txt"), "from the archive\n");
    spawnSync("tar", ["-C", folder, "-czf", join(folder, "context.tar.gz"), "note.txt"]);
    const controller = new AbortController();
    const task = taskOf([
      { id: "read", cmd: `${busybox} cat note.txt` },
      { id: "waits", cmd: `${busybox} sleep 30` },
    ]);
    const pending = run(task, {
      source: { kind: "archive", path: join(folder, "context.tar.gz") },
      signal: controller.signal,
    });
    // Cancel once the long step's container runs.
    for (
      let i = 0;
      i < 100 && !docker("ps", "--format", "{{.Names}}").split("\n").includes("waits");
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    controller.abort();
    const { runId, outcome, lines } = await pending;

    expect(lines).toContain("from the archive");
    expect(outcome.status).toBe("Canceled");
    expect(outcome.steps.map((step) => step.status)).toEqual(["Succeeded", "Canceled"]);
    expectNothingLeft(runId, ["read", "waits"]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 60_000);

test("a build from a remote git context: fetched into <step id>, scanned, built there (§4.10.3)", async () => {
  // A bare repository of the fixture served over plain (dumb) HTTP.
  const folder = mkdtempSync(join(tmpdir(), "acrtask-runner-git-"));
  const work = join(folder, "work");
  cpSync(join(__dirname, "..", "..", "fixtures", "runner", "hello"), work, { recursive: true });
  const git = (cwd: string, ...args: string[]) =>
    spawnSync("git", ["-c", "user.name=runner", "-c", "user.email=runner@example.com", ...args], {
      cwd,
      encoding: "utf8",
    }).stdout.trim();
  git(work, "init", "-q");
  git(work, "add", ".");
  git(work, "commit", "-q", "-m", "fixture");
  const revision = git(work, "rev-parse", "HEAD");
  git(folder, "clone", "-q", "--bare", work, join(folder, "hello.git"));
  git(join(folder, "hello.git"), "update-server-info");
  const server = createServer((request, response) => {
    try {
      const path = join(folder, decodeURIComponent((request.url ?? "/").split("?")[0]));
      response.end(readFileSync(path));
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello.git`;
  const image = `acrtask-test/remote-built:${process.pid}`;

  try {
    const task = taskOf([
      { id: "remote", build: `-t ${image} --build-arg BASE=${busybox} ${url}` },
      { id: "run", cmd: image },
    ]);
    const { runId, outcome, lines } = await run(task);

    expect(outcome.status).toBe("Succeeded");
    expect(lines).toContain("hello from the build step");
    const report = lines.slice(lines.indexOf("<ts> The following dependencies were found:") + 2);
    expect(report.slice(0, 3)).toEqual([
      "- image:",
      "    registry: registry.hub.docker.com",
      "    repository: acrtask-test/remote-built",
    ]);
    expect(report).toContain(`    git-head-revision: ${revision}`);
    expectNothingLeft(runId, ["remote", "run"]);
  } finally {
    server.close();
    docker("rmi", "-f", image);
    rmSync(folder, { recursive: true, force: true });
  }
}, 90_000);

test("a dead process's labelled network and volume are removed by the next run", async () => {
  const dead = `${spawnSync("true").pid}:1`;
  const name = `acrtask-orphan-${process.pid}`;
  docker("network", "create", "--label", `dev.acrtask.runner.owner=${dead}`, name);
  docker("volume", "create", "--label", `dev.acrtask.runner.owner=${dead}`, name);
  expect(docker("network", "ls", "-q", "--filter", `name=${name}`)).not.toBe("");

  const { outcome } = await run(taskOf([]));
  expect(outcome.status).toBe("Succeeded");
  expect(docker("network", "ls", "-q", "--filter", `name=${name}`)).toBe("");
  expect(docker("volume", "ls", "-q", "--filter", `name=${name}`)).toBe("");
}, 60_000);

test("user networks: an existing one fails the run before any step; skipCreation uses it as is (T-E18, T-E19)", async () => {
  const existing = `acrtask-test-net-${process.pid}`;
  docker("network", "create", existing);
  try {
    const clash = await run(
      taskOf([{ id: "never", cmd: `${busybox} true` }], {
        networks: [
          { name: existing, driver: "bridge", ipv6: false, skipCreation: false, isDefault: true },
        ],
      }),
    );
    expect(clash.outcome.status).toBe("Failed");
    expect(clash.lines).toContain(`<ts> Creating Docker network: ${existing}, driver: 'bridge'`);
    expect(clash.outcome.error).toMatch(
      new RegExp(
        `^failed to create network: ${existing}, err: exit status 1, msg: Error response ` +
          `from daemon: network with name ${existing} already exists`,
      ),
    );
    expect(clash.lines.some((line) => line.includes("Executing step"))).toBe(false);
    // The network was there before the run: it is still there after it.
    expect(docker("network", "ls", "-q", "--filter", `name=^${existing}$`)).not.toBe("");

    const skip = await run(
      taskOf([{ id: "uses", cmd: `${busybox} true` }], {
        networks: [
          { name: existing, driver: "", ipv6: false, skipCreation: true, isDefault: true },
        ],
      }),
    );
    expect(skip.outcome.status).toBe("Succeeded");
    expect(skip.lines).toContain(`<ts> Skip creating network: ${existing}`);
    expect(skip.lines).toContain(
      `<ts> Executing step ID: uses. Timeout(sec): 600, Working directory: '', Network: ` +
        `'${existing}'`,
    );
    expect(skip.lines).toContain(`<ts> Skip deleting network: ${existing}`);
  } finally {
    docker("network", "rm", existing);
  }
}, 60_000);

describe("with a registry", () => {
  let dataDir: string;
  /** Images a test made on the engine, removed after it whatever its result. */
  const madeImages: string[] = [];

  afterEach(() => {
    if (madeImages.length > 0) {
      docker("rmi", "-f", ...madeImages.splice(0));
    }
  });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "acrtask-runner-registry-"));
  });

  afterAll(async () => {
    await stopAllRegistries();
    await deleteRegistry(dataDir, "runnertest").catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a build from the source context is pushed to the registry and pulled back (T-E8 shape)", async () => {
    const registry = await startRegistry({ dataDir, name: "runnertest" });
    // The source is a git checkout of the fixture, so the report names its commit.
    const checkout = join(dataDir, "source");
    cpSync(join(__dirname, "..", "..", "fixtures", "runner", "hello"), checkout, {
      recursive: true,
    });
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=runner", "-c", "user.email=runner@example.com", ...args], {
        cwd: checkout,
        encoding: "utf8",
      }).stdout.trim();
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "fixture");
    const revision = git("rev-parse", "HEAD");
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    const image = `${registry.loginServer}/hello:v1`;
    madeImages.push(image);
    const task = taskOf([
      { id: "build", build: `-t ${image} --build-arg BASE=${busybox} .` },
      { push: [image] },
      { id: "forget", cmd: `docker rmi ${image}` },
      { id: "pull", cmd: `docker pull -q ${image}` },
      { id: "use", cmd: image },
    ]);
    const { runId, outcome, lines } = await run(task, {
      registry: {
        loginServer: registry.loginServer,
        username: registry.username,
        password: registry.passwords[0],
      },
      source: { kind: "directory", path: checkout },
    });

    expect(outcome.status).toBe("Succeeded");
    expect(lines.slice(0, 2)).toEqual([
      "<ts> Downloading source code...",
      "<ts> Finished downloading source code",
    ]);
    expect(lines).toContain(`<ts> Logging in to registry: ${registry.loginServer}`);
    expect(lines).toContain(`<ts> Successfully logged into ${registry.loginServer}`);
    expect(lines).toContain(`<ts> Pushing image: ${image}, attempt 1`);
    expect(lines).toContain(`<ts> Successfully pushed image: ${image}`);
    expect(lines).toContain(image);
    expect(lines).toContain("hello from the build step");

    // Digests, then the report: the built image with the digest it was pushed under, its base
    // image (made locally, so without a digest) and the source's commit.
    const digest = outcome.images[0]?.digest ?? "";
    const summary = lines.indexOf("<ts> Populating digests for step ID: build...");
    expect(lines.slice(summary - 1, summary + 2)).toEqual([
      expect.stringMatching(
        /^<ts> Step ID: build marked as successful \(elapsed time in seconds: \d+\.\d{6}\)$/,
      ),
      "<ts> Populating digests for step ID: build...",
      "<ts> Successfully populated digests for step ID: build",
    ]);
    const report = lines.indexOf("<ts> The following dependencies were found:");
    const reportLines = lines.slice(report + 1, lines.indexOf("", report));
    expect(reportLines[0]).toBe("<ts> ");
    expect(reportLines[1]).toBe("- image:");
    expect(reportLines).toContain("    tag: v1");
    expect(reportLines).toContain(`    digest: ${digest}`);
    expect(reportLines).toContain("  runtime-dependency:");
    expect(reportLines).toContain(`    tag: ${busybox.split(":")[1]}`);
    expect(reportLines.slice(-2)).toEqual(["  git:", `    git-head-revision: ${revision}`]);
    expect(outcome.images).toEqual([
      {
        image,
        registry: registry.loginServer,
        repository: "hello",
        tag: "v1",
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    ]);

    // The registry holds the manifest under that digest.
    const auth = Buffer.from(`${registry.username}:${registry.passwords[0]}`).toString("base64");
    const manifest = await fetch(`http://${registry.loginServer}/v2/hello/manifests/v1`, {
      method: "HEAD",
      headers: {
        authorization: `Basic ${auth}`,
        accept: "application/vnd.docker.distribution.manifest.v2+json",
      },
    });
    expect(manifest.headers.get("docker-content-digest")).toBe(outcome.images[0].digest);

    expectNothingLeft(runId, ["build", "acb_step_1", "forget", "pull", "use"]);
  }, 120_000);

  test("the seed tutorial's task file, loaded and run: build, detached run, docker stop, push, summary, report (T-E8)", async () => {
    const registry = await startRegistry({ dataDir, name: "runnertest" });
    docker("tag", busybox, "acrtask-test/busybox:tutorial");
    madeImages.push("acrtask-test/busybox:tutorial");
    const fixture = join(__dirname, "..", "..", "fixtures", "runner", "tutorial");
    const runId = `cb${process.pid.toString(36)}`;
    const workspaceVolume = `acb_vol_${randomUUID()}`;
    const loaded = await loadTask({
      fileName: "taskmulti.yaml",
      text: readFileSync(join(fixture, "taskmulti.yaml"), "utf8"),
      run: {
        id: runId,
        registry: registry.loginServer,
        date: new Date(),
        sharedVolume: workspaceVolume,
        os: "linux",
        osVersion: "",
        architecture: "amd64",
        commit: "",
        branch: "",
        repository: "",
        gitTag: "",
        triggeredBy: "manual",
        taskName: "",
      },
    });
    const image = `${registry.loginServer}/hello-world:${runId}`;
    madeImages.push(image);

    const log = new MemoryLog();
    const outcome = await executeRun({
      runId,
      task: loaded.task,
      graph: loaded.graph,
      workspaceVolume,
      log,
      registry: {
        loginServer: registry.loginServer,
        username: registry.username,
        password: registry.passwords[0],
      },
      source: { kind: "directory", path: fixture },
    });
    const lines = log.lines();

    expect(outcome.status).toBe("Succeeded");
    // acb's own lines, and the output lines the tutorial shows (the detached container's id,
    // `docker stop` printing the name), in order.
    const shown = lines.filter(
      (line) => line.startsWith("<ts> ") || /^[0-9a-f]{64}$/.test(line) || line === "test",
    );
    const stepLine = (id: string) =>
      `<ts> Executing step ID: ${id}. Timeout(sec): 600, Working directory: '', Network: ` +
      `'acb_default_network'`;
    const elapsed = (id: string) =>
      expect.stringMatching(
        new RegExp(
          `^<ts> Step ID: ${id} marked as successful \\(elapsed time in seconds: \\d+\\.\\d{6}\\)$`,
        ),
      );
    expect(shown).toEqual([
      "<ts> Downloading source code...",
      "<ts> Finished downloading source code",
      "<ts> Creating Docker network: acb_default_network, driver: 'bridge'",
      "<ts> Successfully set up Docker network: acb_default_network",
      "<ts> Setting up Docker configuration...",
      "<ts> Successfully set up Docker configuration",
      `<ts> Logging in to registry: ${registry.loginServer}`,
      `<ts> Successfully logged into ${registry.loginServer}`,
      stepLine("acb_step_0"),
      "<ts> Scanning for dependencies...",
      "<ts> Successfully scanned dependencies",
      "<ts> Launching container with name: acb_step_0",
      "<ts> Successfully executed container: acb_step_0",
      stepLine("test"),
      "<ts> Launching container with name: test",
      expect.stringMatching(/^[0-9a-f]{64}$/),
      "<ts> Successfully executed container: test",
      stepLine("acb_step_2"),
      "<ts> Launching container with name: acb_step_2",
      "test",
      "<ts> Successfully executed container: acb_step_2",
      stepLine("acb_step_3"),
      `<ts> Pushing image: ${image}, attempt 1`,
      `<ts> Successfully pushed image: ${image}`,
      elapsed("acb_step_0"),
      "<ts> Populating digests for step ID: acb_step_0...",
      "<ts> Successfully populated digests for step ID: acb_step_0",
      elapsed("test"),
      elapsed("acb_step_2"),
      elapsed("acb_step_3"),
      "<ts> The following dependencies were found:",
      "<ts> ",
    ]);
    const report = lines.slice(lines.indexOf("<ts> ") + 1);
    expect(report[0]).toBe("- image:");
    expect(report).toContain(`    tag: ${runId}`);
    expect(report).toContain(`    digest: ${outcome.images[0].digest}`);
    expect(report).toContain("    repository: acrtask-test/busybox");
    expect(report).toContain("    tag: tutorial");
    expect(report.slice(-4)).toEqual([
      "  git: {}",
      "",
      expect.stringMatching(new RegExp(`^Run ID: ${runId} was successful after \\d+s$`)),
      "",
    ]);

    expectNothingLeft(runId, ["acb_step_0", "test", "acb_step_2", "acb_step_3"]);
  }, 120_000);
});
