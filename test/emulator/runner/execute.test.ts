// The executor's log lines, errors and scheduling with a scripted process runner instead of
// Docker (spec: runner §4, §5.2, test cases T-E5..T-E21).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import { executeRun } from "../../../src/emulator/runner/execute.js";
import type { BuildDependencies, ExecuteRunOptions } from "../../../src/emulator/runner/execute.js";
import type { ProcessRequest, ProcessResult } from "../../../src/emulator/runner/process.js";
import type { Task } from "../../../src/taskfile/model.js";
import { DEFAULT_NETWORK, MemoryLog, taskOf } from "../../support/docker-task.js";

/** What a scripted process does: exit code, output, and how long it takes. */
interface Script {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  milliseconds?: number;
}

/** A process runner that answers from a script and records every request. */
class FakeDocker {
  readonly requests: ProcessRequest[] = [];
  readonly events: string[] = [];

  constructor(private readonly answer: (request: ProcessRequest) => Script = () => ({})) {}

  run = async (request: ProcessRequest): Promise<ProcessResult> => {
    this.requests.push(request);
    const script = this.answer(request);
    const name = stepName(request);
    this.events.push(`start ${name}`);
    if (script.milliseconds) {
      try {
        await delay(script.milliseconds, undefined, { signal: request.signal });
      } catch {
        this.events.push(`killed ${name}`);
        return { exitCode: null, stdout: "", stderr: "", aborted: true };
      }
    }
    if (script.stdout) {
      request.onStdout?.(script.stdout);
    }
    if (script.stderr) {
      request.onStderr?.(script.stderr);
    }
    this.events.push(`end ${name}`);
    return {
      exitCode: script.exitCode ?? 0,
      stdout: script.stdout ?? "",
      stderr: script.stderr ?? "",
      aborted: false,
    };
  };

  /** The shell strings of step containers, in start order. */
  shellCommands(): string[] {
    return this.requests.filter((r) => r.command === "/bin/sh").map((r) => r.args[1]);
  }

  /** docker calls by sub-command, without the `ls` of the orphan sweep. */
  dockerCalls(first: string): string[][] {
    return this.requests
      .filter((r) => r.command === "docker" && r.args[0] === first && r.args[1] !== "ls")
      .map((r) => r.args);
  }
}

/** The step id of a step container's shell string, else the docker sub-command. */
function stepName(request: ProcessRequest): string {
  if (request.command === "/bin/sh") {
    return /--name (\S+)/.exec(request.args[1])?.[1] ?? "?";
  }
  return request.args.slice(0, 2).join(" ");
}

const FIXED_TIME = new Date(Date.UTC(2023, 0, 30, 11, 30, 51));

let stateDirectory: string;

beforeEach(() => {
  stateDirectory = mkdtempSync(join(tmpdir(), "acrtask-runner-state-"));
});

afterEach(() => {
  rmSync(stateDirectory, { recursive: true, force: true });
});

async function run(task: Task, fake: FakeDocker, extra: Partial<ExecuteRunOptions> = {}) {
  const log = new MemoryLog();
  const outcome = await executeRun({
    runId: "cf1",
    task,
    log,
    runProcess: fake.run,
    dockerCliImage: "cli:1",
    stateDirectory,
    clock: () => FIXED_TIME,
    ...extra,
  });
  return { outcome, log, lines: log.lines() };
}

/** Answers step containers by the step id in their `--name`. */
function byStep(scripts: Record<string, Script>): (request: ProcessRequest) => Script {
  return (request) => (request.command === "/bin/sh" ? (scripts[stepName(request)] ?? {}) : {});
}

test("volumes and networks of runs whose process is gone are removed first; live ones are kept", async () => {
  const dead = spawnSync("true").pid;
  const fake = new FakeDocker((request) => {
    if (request.args[1] !== "ls") {
      return {};
    }
    const kind = request.args[0];
    return {
      stdout: `${kind}-dead\t${dead}:1\n${kind}-alive\t${process.pid}:\n${kind}-recycled\t${process.ppid}:1\n`,
    };
  });
  await run(taskOf([]), fake);
  const removals = fake.requests
    .filter((request) => request.args[1] === "rm")
    .map((request) => request.args.join(" "));
  expect(removals.slice(0, 2)).toEqual([
    "network rm network-dead network-recycled",
    "volume rm -f volume-dead volume-recycled",
  ]);
  const listing = fake.requests.find((request) => request.args[1] === "ls")!;
  expect(listing.args).toEqual([
    "network",
    "ls",
    "--filter",
    "label=dev.acrtask.runner.owner",
    "--format",
    '{{.Name}}\t{{.Label "dev.acrtask.runner.owner"}}',
  ]);
});

test("a successful run: setup, steps in order, summary and the service's last line", async () => {
  const fake = new FakeDocker(byStep({ build: { stdout: "built\n" }, test: { stdout: "ok" } }));
  const task = taskOf([
    { id: "build", cmd: "img build" },
    { id: "test", cmd: "img test" },
    { push: ["localhost:5000/hello:v1"] },
  ]);
  const { outcome, lines } = await run(task, fake, {
    registry: { loginServer: "localhost:5000", username: "user", password: "secret" },
  });

  expect(lines).toEqual([
    "<ts> Creating Docker network: acb_default_network, driver: 'bridge'",
    "<ts> Successfully set up Docker network: acb_default_network",
    "<ts> Setting up Docker configuration...",
    "<ts> Successfully set up Docker configuration",
    "<ts> Logging in to registry: localhost:5000",
    "<ts> Successfully logged into localhost:5000",
    "<ts> Executing step ID: build. Timeout(sec): 600, Working directory: '', Network: " +
      "'acb_default_network'",
    "<ts> Launching container with name: build",
    "built",
    "<ts> Successfully executed container: build",
    "<ts> Executing step ID: test. Timeout(sec): 600, Working directory: '', Network: " +
      "'acb_default_network'",
    "<ts> Launching container with name: test",
    "ok",
    "<ts> Successfully executed container: test",
    "<ts> Executing step ID: acb_step_2. Timeout(sec): 600, Working directory: '', " +
      "Network: 'acb_default_network'",
    "<ts> Pushing image: localhost:5000/hello:v1, attempt 1",
    "<ts> Successfully pushed image: localhost:5000/hello:v1",
    "<ts> Step ID: build marked as successful (elapsed time in seconds: 0.000000)",
    "<ts> Step ID: test marked as successful (elapsed time in seconds: 0.000000)",
    "<ts> Step ID: acb_step_2 marked as successful (elapsed time in seconds: 0.000000)",
    "",
    "Run ID: cf1 was successful after 0s",
    "",
  ]);
  expect(outcome.status).toBe("Succeeded");
  expect(outcome.error).toBeUndefined();
  expect(outcome.steps.map((step) => step.status)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);

  // The password reaches docker login on stdin only.
  const login = fake.requests.find((request) => request.args.includes("login"))!;
  expect(login.stdin).toBe("secret\n");
  expect(fake.requests.some((request) => request.args.join(" ").includes("secret"))).toBe(false);

  // Cleanup: the started steps' containers, the network, then the run's volumes.
  const removal = fake.dockerCalls("rm").at(-1)!;
  expect(removal.slice(0, 5)).toEqual(["rm", "-f", "build", "test", "acb_step_2"]);
  expect(fake.dockerCalls("network").map((args) => args.slice(0, 3).join(" "))).toEqual([
    "network create acb_default_network",
    "network rm acb_default_network",
  ]);
  const volumes = fake.dockerCalls("volume");
  expect(volumes[0].slice(0, 5)).toEqual([
    "volume",
    "create",
    "--label",
    "dev.acrtask.runner.run=cf1",
    "--label",
  ]);
  expect(volumes[0][5]).toBe(
    `dev.acrtask.runner.owner=${process.pid}:${volumes[0][5].split(":")[1]}`,
  );
  expect(volumes.at(-1)!.slice(0, 3)).toEqual(["volume", "rm", "-f"]);
  expect(volumes.at(-1)!.slice(3)).toEqual([
    expect.stringMatching(/^acb_vol_[0-9a-f-]{36}$/),
    expect.stringMatching(/^acb_home_[0-9a-f-]{36}$/),
  ]);
});

test("a failing step stops the run: exact lines, later steps never start, parallel ones are stopped (T-E9)", async () => {
  const fake = new FakeDocker(
    byStep({
      fails: { exitCode: 4, stderr: "The command returned a non-zero code: 4\n", milliseconds: 20 },
      slow: { milliseconds: 5_000, stdout: "never\n" },
    }),
  );
  const task = taskOf([
    { id: "slow", cmd: "img sleep", when: ["-"] },
    { id: "fails", cmd: "img fail", when: ["-"] },
    { id: "after", cmd: "img after" },
  ]);
  const { outcome, lines } = await run(task, fake);

  expect(lines.filter((line) => !line.startsWith("<ts> Executing step ID: ")).slice(4)).toEqual([
    "<ts> Launching container with name: slow",
    "<ts> Launching container with name: fails",
    "The command returned a non-zero code: 4",
    "<ts> Container failed during run: fails. No retries remaining.",
    "failed to run step ID: fails: exit status 4",
    "",
    "Run ID: cf1 failed after 0s. Error: failed during run, err: exit status 1",
    "",
  ]);
  expect(lines.some((line) => line.includes("marked as"))).toBe(false);
  expect(fake.events).toContain("killed slow");
  expect(fake.shellCommands().some((text) => text.includes("--name after"))).toBe(false);
  expect(outcome.status).toBe("Failed");
  expect(outcome.error).toBe("failed to run step ID: fails: exit status 4");
  expect(outcome.steps.map((step) => [step.id, step.status])).toEqual([
    ["slow", "Canceled"],
    ["fails", "Failed"],
    ["after", "Skipped"],
  ]);
  expect(fake.dockerCalls("rm").at(-1)!.slice(2)).toEqual(["slow", "fails"]);
});

test("ignoreErrors: the warning line, dependants run, the summary says successful (T-E10)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { exitCode: 2 } }));
  const task = taskOf([{ cmd: "img a", ignoreErrors: true }, { cmd: "img b" }]);
  const { outcome, lines } = await run(task, fake);

  expect(lines).toContain(
    "<ts> Step ID: acb_step_0 encountered an error: exit status 2, but is set to ignore " +
      "errors. Continuing...",
  );
  expect(lines).toContain("<ts> Launching container with name: acb_step_1");
  expect(lines).toContain(
    "<ts> Step ID: acb_step_0 marked as successful (elapsed time in seconds: 0.000000)",
  );
  expect(outcome.status).toBe("Succeeded");
  expect(outcome.steps[0]).toMatchObject({ status: "Succeeded", error: "exit status 2" });
});

test("retries: three launches, two waits, then no retries remaining (T-E11)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { exitCode: 1 } }));
  const started = Date.now();
  const { outcome, lines } = await run(taskOf([{ cmd: "img", retries: 2, retryDelay: 1 }]), fake);

  expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  expect(
    lines.filter((line) => line.includes("acb_step_0") && !line.includes("Executing")),
  ).toEqual([
    "<ts> Launching container with name: acb_step_0",
    "<ts> Container failed during run: acb_step_0, waiting 1 seconds before retrying...",
    "<ts> Launching container with name: acb_step_0",
    "<ts> Container failed during run: acb_step_0, waiting 1 seconds before retrying...",
    "<ts> Launching container with name: acb_step_0",
    "<ts> Container failed during run: acb_step_0. No retries remaining.",
    "failed to run step ID: acb_step_0: exit status 1",
  ]);
  expect(outcome.error).toBe("failed to run step ID: acb_step_0: exit status 1");
});

test("retryOnErrors: output without any listed text is not retried (T-E11)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { exitCode: 1, stderr: "boom\n" } }));
  const task = taskOf([{ cmd: "img", retries: 3, retryDelay: 1, retryOnErrors: ["xyz"] }]);
  const { lines } = await run(task, fake);
  expect(lines.filter((line) => line.includes("Launching"))).toHaveLength(1);
  expect(lines).toContain("<ts> Container failed during run: acb_step_0. No retries remaining.");
});

test("retryOnErrors: output with a listed text is retried", async () => {
  let calls = 0;
  const fake = new FakeDocker((request) =>
    request.command === "/bin/sh"
      ? ++calls === 1
        ? { exitCode: 1, stdout: "flaky xyz\n" }
        : {}
      : {},
  );
  const task = taskOf([{ cmd: "img", retries: 1, retryDelay: 1, retryOnErrors: ["xyz"] }]);
  const { outcome, lines } = await run(task, fake);
  expect(lines.filter((line) => line.includes("Launching"))).toHaveLength(2);
  expect(outcome.status).toBe("Succeeded");
});

test("repeat runs every repetition and joins their errors (T-E12)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { exitCode: 1 } }));
  const { outcome, lines } = await run(taskOf([{ cmd: "img", repeat: 2 }]), fake);
  expect(lines.filter((line) => line.includes("Launching"))).toHaveLength(3);
  expect(outcome.error).toBe(
    "failed to run step ID: acb_step_0: exit status 1, exit status 1, exit status 1",
  );
});

test("a step timeout kills the client and reads `timed out` in the final line (T-E13)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { milliseconds: 10_000 } }));
  const { outcome, lines } = await run(taskOf([{ cmd: "img sleep 10", timeout: 1 }]), fake);
  expect(lines).toContain("failed to run step ID: acb_step_0: timed out");
  expect(outcome.error).toBe("failed to run step ID: acb_step_0: timed out");
  expect(fake.events).toContain("killed acb_step_0");
});

test("a timed-out step with ignoreErrors lets the run continue (T-E13)", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { milliseconds: 10_000 } }));
  const task = taskOf([{ cmd: "img", timeout: 1, ignoreErrors: true }, { cmd: "img" }]);
  const { outcome, lines } = await run(task, fake);
  expect(lines).toContain(
    "<ts> Step ID: acb_step_0 encountered an error: context deadline exceeded, but is " +
      "set to ignore errors. Continuing...",
  );
  expect(outcome.status).toBe("Succeeded");
});

test("startDelay logs the wait, which the elapsed time does not count (T-E14)", async () => {
  const fake = new FakeDocker();
  const log = new MemoryLog();
  const outcome = await executeRun({
    runId: "cf1",
    task: taskOf([{ id: "late", cmd: "img", startDelay: 1 }]),
    log,
    runProcess: fake.run,
    dockerCliImage: "cli:1",
    stateDirectory,
  });
  expect(log.lines()).toContain("<ts> Waiting 1 seconds before executing step ID: late");
  const elapsed = /elapsed time in seconds: ([\d.]+)\)/.exec(log.text)![1];
  expect(Number(elapsed)).toBeLessThan(0.5);
  expect(outcome.finishTime.getTime() - outcome.startTime.getTime()).toBeGreaterThanOrEqual(1_000);
});

test("pull: an explicit pull container with empty names before the step's own (T-E16)", async () => {
  const fake = new FakeDocker();
  const { lines } = await run(taskOf([{ id: "p", cmd: "myimage:1 run", pull: true }]), fake);
  expect(lines.slice(4, 10)).toEqual([
    "<ts> Executing step ID: p. Timeout(sec): 600, Working directory: '', Network: " +
      "'acb_default_network'",
    "<ts> Step specified pull. Performing an explicit pull...",
    "<ts> Launching container with name: ",
    "<ts> Successfully executed container: ",
    "<ts> Launching container with name: p",
    "<ts> Successfully executed container: p",
  ]);
  expect(
    fake.dockerCalls("run").some((args) => args.join(" ").endsWith("cli:1 pull myimage:1")),
  ).toBe(true);
});

test("an existing network fails the run before any step (T-E18)", async () => {
  const fake = new FakeDocker((request) =>
    request.args[0] === "network" && request.args[1] === "create"
      ? {
          exitCode: 1,
          stderr:
            "Error response from daemon: network with name acb_default_network already exists\n",
        }
      : {},
  );
  const { outcome, lines } = await run(taskOf([{ cmd: "img" }]), fake);
  expect(lines.slice(0, 4)).toEqual([
    "<ts> Creating Docker network: acb_default_network, driver: 'bridge'",
    "failed to create network: acb_default_network, err: exit status 1, msg: Error " +
      "response from daemon: network with name acb_default_network already exists",
    "",
    "",
  ]);
  expect(outcome.status).toBe("Failed");
  expect(fake.shellCommands()).toEqual([]);
  // The network that was there before is not the run's to delete.
  expect(fake.dockerCalls("network").filter((args) => args[1] === "rm")).toEqual([]);
});

test("user networks: no default network, skipCreation logged both ways (T-E19)", async () => {
  const fake = new FakeDocker();
  const task = taskOf([{ cmd: "img" }], {
    networks: [
      { name: "n1", driver: "", ipv6: false, skipCreation: false, isDefault: false },
      { name: "outside", driver: "", ipv6: false, skipCreation: true, isDefault: false },
    ],
  });
  const { lines } = await run(task, fake);
  expect(lines).toContain("<ts> Creating Docker network: n1, driver: ''");
  expect(lines).toContain("<ts> Skip creating network: outside");
  expect(lines).toContain("<ts> Skip deleting network: outside");
  expect(lines).toContain(
    "<ts> Executing step ID: acb_step_0. Timeout(sec): 600, Working directory: '', Network: ''",
  );
  expect(fake.shellCommands()[0]).not.toContain("--network");
  expect(fake.dockerCalls("network").map((args) => args.slice(0, 3).join(" "))).toEqual([
    "network create n1",
    "network rm n1",
  ]);
});

test("a failed network removal is logged", async () => {
  const fake = new FakeDocker((request) =>
    request.args[0] === "network" && request.args[1] === "rm"
      ? { exitCode: 1, stderr: "in use\n" }
      : {},
  );
  const { lines } = await run(taskOf([{ cmd: "img" }]), fake);
  expect(lines).toContain(
    "<ts> Failed to delete network: acb_default_network, err: exit status 1, msg: in use",
  );
});

test("push retries: three attempts then the step fails (T-E21)", async () => {
  const fake = new FakeDocker((request) =>
    request.args.includes("push") ? { exitCode: 1, stderr: "connection refused\n" } : {},
  );
  const { outcome, lines } = await run(
    taskOf([{ push: ["localhost:1/x:1", "localhost:1/y:1"] }]),
    fake,
  );
  expect(lines.filter((line) => line.startsWith("<ts> Pushing"))).toEqual([
    "<ts> Pushing image: localhost:1/x:1, attempt 1",
    "<ts> Pushing image: localhost:1/x:1, attempt 2",
    "<ts> Pushing image: localhost:1/x:1, attempt 3",
  ]);
  expect(lines.some((line) => line.startsWith("<ts> Launching"))).toBe(false);
  expect(outcome.error).toBe(
    "failed to run step ID: acb_step_0: failed to push images successfully",
  );
});

test("a pushed image's digest is read from the push output", async () => {
  const digest = `sha256:${"ab".repeat(32)}`;
  const fake = new FakeDocker((request) =>
    request.args.includes("push") ? { stdout: `v1: digest: ${digest} size: 527\n` } : {},
  );
  const { outcome } = await run(taskOf([{ push: ["localhost:5000/team/app:v1"] }]), fake);
  expect(outcome.images).toEqual([
    {
      image: "localhost:5000/team/app:v1",
      registry: "localhost:5000",
      repository: "team/app",
      tag: "v1",
      digest,
    },
  ]);
});

test("a failed login aborts the run with acb's message (exit status on its own line)", async () => {
  const fake = new FakeDocker((request) =>
    request.args.includes("login")
      ? { exitCode: 1, stderr: "Error response from daemon: unauthorized\n" }
      : {},
  );
  const { outcome, lines } = await run(taskOf([{ cmd: "img" }]), fake, {
    credentials: [{ registry: "localhost:5000", username: "u", password: "p" }],
  });
  expect(fake.requests.filter((request) => request.args.includes("login"))).toHaveLength(4);
  expect(lines).toContain("<ts> Logging in to registry: localhost:5000");
  expect(outcome.error).toBe(
    "failed to login, ran out of retries: failed to set docker credentials: Error " +
      "response from daemon: unauthorized\n: exit status 1",
  );
  expect(fake.shellCommands()).toEqual([]);
});

test("scheduling: a step without when waits only for the step above it (T-E6)", async () => {
  const fake = new FakeDocker(
    byStep({ first: { milliseconds: 400 }, second: { milliseconds: 20 } }),
  );
  const task = taskOf([
    { id: "first", cmd: "img a", when: ["-"] },
    { id: "second", cmd: "img b", when: ["-"] },
    { id: "hello-world", cmd: "img" },
  ]);
  const { outcome } = await run(task, fake);
  expect(outcome.status).toBe("Succeeded");
  expect(
    fake.events.filter((event) => /^(start|end) (first|second|hello-world)$/.test(event)),
  ).toEqual([
    "start first",
    "start second",
    "end second",
    "start hello-world",
    "end hello-world",
    "end first",
  ]);
});

test("scheduling: when lists wait for all their dependencies; a repeated id is one edge", async () => {
  const fake = new FakeDocker(byStep({ a: { milliseconds: 50 }, b: { milliseconds: 150 } }));
  const task = taskOf([
    { id: "a", cmd: "img", when: ["-"] },
    { id: "b", cmd: "img", when: ["-"] },
    { id: "c", cmd: "img", when: ["a", "b"] },
    { id: "d", cmd: "img", when: ["c", "c"] },
  ]);
  const { outcome } = await run(task, fake);
  const steps = fake.events.filter((event) => /^(start|end) [a-d]$/.test(event));
  expect(steps).toEqual([
    "start a",
    "start b",
    "end a",
    "end b",
    "start c",
    "end c",
    "start d",
    "end d",
  ]);
  expect(outcome.status).toBe("Succeeded");
});

test("canceling stops the running step and cleans up; no service line", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { milliseconds: 10_000 } }));
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const { outcome, lines } = await run(taskOf([{ cmd: "img" }, { cmd: "img" }]), fake, {
    signal: controller.signal,
  });
  expect(outcome.status).toBe("Canceled");
  expect(fake.events).toContain("killed acb_step_0");
  expect(lines.some((line) => line.startsWith("Run ID"))).toBe(false);
  expect(fake.dockerCalls("rm").at(-1)!.slice(2)).toEqual(["acb_step_0"]);
  expect(fake.dockerCalls("network").at(-1)!.slice(0, 2)).toEqual(["network", "rm"]);
});

test("the run's time limit ends it as TimedOut", async () => {
  const fake = new FakeDocker(byStep({ acb_step_0: { milliseconds: 10_000 } }));
  const { outcome } = await run(taskOf([{ cmd: "img" }]), fake, { timeoutSeconds: 0.3 });
  expect(outcome.status).toBe("TimedOut");
});

test("secret volumes: values checked, written through stdin, volume logged (T-E20)", async () => {
  const fake = new FakeDocker();
  const task = taskOf(
    [{ cmd: "img", volumeMounts: [{ name: "mysecrets", mountPath: "/run/s" }] }],
    {
      volumes: [{ name: "mysecrets", secret: { "a.txt": "aGVsbG8=", b: "JEhPTUU=" } }],
    },
  );
  const { lines } = await run(task, fake);
  expect(lines).toContain("<ts> Volume source mysecrets successfully created");
  const writer = fake.requests.find((request) => request.args.includes("mysecrets:/dest"))!;
  expect(writer.stdin).toBe("a.txt aGVsbG8=\nb JEhPTUU=\n");
  expect(fake.shellCommands()[0]).toContain("--volume mysecrets:/run/s");
  // The run's secret volume is removed with its other volumes.
  expect(fake.dockerCalls("volume").at(-1)).toContain("mysecrets");

  const bad = taskOf([{ cmd: "img" }], { volumes: [{ name: "v", secret: { f: "not base64!" } }] });
  const failed = await run(bad, new FakeDocker());
  expect(failed.outcome.error).toBe(
    "failed to decode Base64 value. please make sure value provided is Base64 encoded",
  );
});

test("build steps: scan lines, digests and the report when a scanner is given", async () => {
  const calls: string[] = [];
  const dependencies: BuildDependencies = {
    scan: async (step) => void calls.push(`scan ${step.id}`),
    populateDigests: async (step) => void calls.push(`digests ${step.id}`),
    report: () => "- image:\n    registry: localhost:5000\n",
  };
  const fake = new FakeDocker();
  const task = taskOf([{ id: "b", build: "-t localhost:5000/a:1 ." }]);
  const { lines } = await run(task, fake, { dependencies });
  expect(lines.slice(4)).toEqual([
    "<ts> Executing step ID: b. Timeout(sec): 600, Working directory: '', Network: " +
      "'acb_default_network'",
    "<ts> Scanning for dependencies...",
    "<ts> Successfully scanned dependencies",
    "<ts> Launching container with name: b",
    "<ts> Successfully executed container: b",
    "<ts> Step ID: b marked as successful (elapsed time in seconds: 0.000000)",
    "<ts> Populating digests for step ID: b...",
    "<ts> Successfully populated digests for step ID: b",
    "<ts> The following dependencies were found:",
    "<ts> ",
    "- image:",
    "    registry: localhost:5000",
    "",
    "Run ID: cf1 was successful after 0s",
    "",
  ]);
  expect(calls).toEqual(["scan b", "digests b"]);
  expect(fake.shellCommands()[0]).toContain(
    "--env DOCKER_BUILDKIT=0 --workdir /workspace cli:1 build -t localhost:5000/a:1 .",
  );
});

test("a failed scan fails the build step before its container", async () => {
  const dependencies: BuildDependencies = {
    scan: async () => {
      throw Object.assign(new Error("exit status 1"), {
        output:
          "2023/01/30 11:30:51 Ignoring chunks from FROM clause: [FROM]\nunable to " +
          "understand line FROM",
      });
    },
    populateDigests: async () => undefined,
    report: () => "",
  };
  const fake = new FakeDocker();
  const { outcome, lines } = await run(taskOf([{ build: "." }]), fake, { dependencies });
  expect(lines).toContain(
    "<ts> Output from dependency scanning: 2023/01/30 11:30:51 Ignoring chunks from FROM " +
      "clause: [FROM]",
  );
  expect(lines).toContain("unable to understand line FROM");
  expect(outcome.error).toBe(
    "failed to run step ID: acb_step_0: failed to scan dependencies: exit status 1",
  );
  expect(fake.shellCommands()).toEqual([]);
});

test("aliases on: the banner comes first", async () => {
  const { lines } = await run(taskOf([{ cmd: "img" }], { aliasesEnabled: true }), new FakeDocker());
  expect(lines[0]).toBe(
    "<ts> Alias support enabled for version >= 1.1.0, please see " +
      "https://aka.ms/acr/tasks/task-aliases for more information.",
  );
});

test("a source directory is copied into the workspace between the service's lines", async () => {
  const fake = new FakeDocker();
  const { lines } = await run(taskOf([]), fake, {
    source: { kind: "directory", path: "/src/app" },
  });
  expect(lines.slice(0, 2)).toEqual([
    "<ts> Downloading source code...",
    "<ts> Finished downloading source code",
  ]);
  const copy = fake.dockerCalls("cp")[0];
  expect(copy[1]).toBe("/src/app/.");
  expect(copy[2]).toMatch(/^acb_source_[0-9a-f-]{36}:\/workspace$/);
  expect(DEFAULT_NETWORK.name).toBe("acb_default_network");
});

test("a build with cache enabled fails clearly instead of calling images a local engine lacks", async () => {
  const fake = new FakeDocker();
  const task = taskOf([{ build: "-t a/b:1 .", usesBuildCache: true, cache: "enabled" }]);
  const { outcome } = await run(task, fake, {
    dependencies: {
      scan: async () => undefined,
      populateDigests: async () => undefined,
      report: () => "",
    },
  });
  expect(outcome.error).toBe(
    "failed to run step ID: acb_step_0: the local runner cannot build with 'cache: " +
      "enabled' (no buildkit builder image); remove it to build on the local engine",
  );
  expect(fake.shellCommands()).toEqual([]);
});

test("the caller's workspace volume name is used (it rendered {{.Run.SharedVolume}} with it)", async () => {
  const fake = new FakeDocker();
  await run(taskOf([{ cmd: "img" }]), fake, { workspaceVolume: "acb_vol_given" });
  expect(fake.shellCommands()[0]).toContain("--volume acb_vol_given:/workspace");
  expect(fake.dockerCalls("volume")[0].at(-1)).toBe("acb_vol_given");
  expect(fake.dockerCalls("volume").at(-1)).toContain("acb_vol_given");
});

test("image stand-ins given to the run replace the image a cmd step names", async () => {
  const fake = new FakeDocker();
  await run(taskOf([{ cmd: "bash -c 'echo hi'" }, { cmd: "docker ps" }]), fake, {
    imageSubstitutes: { bash: "acrtask-test/busybox:1" },
  });
  expect(fake.shellCommands()[0].endsWith(" acrtask-test/busybox:1 -c 'echo hi'")).toBe(true);
  expect(fake.shellCommands()[1].endsWith(" cli:1 ps")).toBe(true);
});
