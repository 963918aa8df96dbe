// The workspace scanner with the executor, against a scripted process runner: the Dockerfile and
// the git HEAD are read through containers, digests through `docker inspect`, and the report
// follows the summary (spec: runner §4.10.2, §4.13, §4.14).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { workspaceBuildDependencies } from "../../../src/emulator/runner/dependencies.js";
import { executeRun } from "../../../src/emulator/runner/execute.js";
import type { ProcessRequest, ProcessResult } from "../../../src/emulator/runner/process.js";
import type { Task } from "../../../src/taskfile/model.js";
import { MemoryLog, taskOf } from "../../support/docker-task.js";

const DIGEST = `sha256:${"12".repeat(32)}`;
const REVISION = "0123456789abcdef0123456789abcdef01234567";

interface Workspace {
  /** Files by path under /workspace. */
  files: Record<string, string>;
  /** What `git rev-parse HEAD` finds, if anything. */
  revision?: string;
  /** RepoDigests by image reference; an image not listed cannot be inspected. */
  repoDigests: Record<string, string[]>;
  /** Exit code of build step containers. */
  buildExitCode?: number;
}

function scriptedRunner(workspace: Workspace, requests: ProcessRequest[]) {
  return async (request: ProcessRequest): Promise<ProcessResult> => {
    requests.push(request);
    const args = request.args;
    const result = (exitCode: number, stdout = "", stderr = ""): ProcessResult => ({
      exitCode,
      stdout,
      stderr,
      aborted: false,
    });
    if (request.command === "/bin/sh") {
      return result(workspace.buildExitCode ?? 0);
    }
    const script = args[args.indexOf("-c") + 1] ?? "";
    if (args.includes("--entrypoint") && script.startsWith('if [ -d "$1" ]')) {
      const workdir = args[args.indexOf("--workdir") + 1];
      const path = join(workdir, args.at(-1)!);
      const content = workspace.files[path];
      return content === undefined ? result(3) : result(0, content);
    }
    if (args.includes("--entrypoint") && script.startsWith('cd "$1"')) {
      return workspace.revision ? result(0, `${workspace.revision}\n`) : result(1);
    }
    if (args.includes("inspect")) {
      const reference = args.at(-1)!;
      const digests = workspace.repoDigests[reference];
      return digests
        ? result(0, `"${JSON.stringify(digests)}"\n`)
        : result(1, "", `Error: No such object: ${reference}\n`);
    }
    return result(0);
  };
}

let stateDirectory: string;

beforeEach(() => {
  stateDirectory = mkdtempSync(join(tmpdir(), "acrtask-runner-deps-"));
});

afterEach(() => {
  rmSync(stateDirectory, { recursive: true, force: true });
});

async function run(task: Task, workspace: Workspace) {
  const requests: ProcessRequest[] = [];
  const log = new MemoryLog();
  const outcome = await executeRun({
    runId: "cf2",
    task,
    log,
    runProcess: scriptedRunner(workspace, requests),
    dockerCliImage: "cli:1",
    stateDirectory,
    clock: () => new Date(Date.UTC(2023, 0, 30, 11, 30, 51)),
    dependencies: workspaceBuildDependencies(),
  });
  return { outcome, lines: log.lines(), requests };
}

test(
  "a build's report: the image with its digest, the base " +
    "image, build-time stages and the commit",
  async () => {
    const task = taskOf([
      {
        id: "build",
        build: "-t localhost:5000/app:2.2 -f src/Dockerfile .",
        workingDirectory: "sub",
      },
    ]);
    const { outcome, lines, requests } = await run(task, {
      files: {
        "/workspace/sub/src/Dockerfile":
          "FROM golang:1.21 AS builder\nRUN go build\nFROM alpine:3.18\nCOPY " +
          "--from=builder /app /app\n",
      },
      revision: REVISION,
      repoDigests: {
        "localhost:5000/app:2.2": [`localhost:5000/app@${DIGEST}`],
        "alpine:3.18": [`alpine@sha256:${"34".repeat(32)}`],
        "golang:1.21": [],
      },
    });

    expect(outcome.status).toBe("Succeeded");
    expect(
      lines.slice(
        lines.indexOf(
          "<ts> Step ID: build marked as successful (elapsed time in seconds: 0.000000)",
        ),
      ),
    ).toEqual([
      "<ts> Step ID: build marked as successful (elapsed time in seconds: 0.000000)",
      "<ts> Populating digests for step ID: build...",
      "<ts> Successfully populated digests for step ID: build",
      "<ts> The following dependencies were found:",
      "<ts> ",
      "- image:",
      "    registry: registry.hub.docker.com",
      "    repository: localhost:5000/app",
      '    tag: "2.2"',
      `    digest: ${DIGEST}`,
      "  runtime-dependency:",
      "    registry: registry.hub.docker.com",
      "    repository: library/alpine",
      '    tag: "3.18"',
      `    digest: sha256:${"34".repeat(32)}`,
      "  buildtime-dependency:",
      "  - registry: registry.hub.docker.com",
      "    repository: library/golang",
      '    tag: "1.21"',
      "  git:",
      `    git-head-revision: ${REVISION}`,
      "",
      "Run ID: cf2 was successful after 0s",
      "",
    ]);

    // The Dockerfile was read relative to the step's working directory, in the workspace volume.
    const read = requests.find((request) => request.args.includes("src/Dockerfile"))!;
    expect(read.args.slice(0, 6)).toEqual([
      "run",
      "--rm",
      "--volume",
      expect.stringMatching(/^acb_vol_.*:\/workspace$/),
      "--workdir",
      "/workspace/sub",
    ]);
  },
);

test(
  "a missing Dockerfile fails the scan with the scanner's " + "output, before the build (§4.10.2)",
  async () => {
    const { outcome, lines, requests } = await run(taskOf([{ id: "b", build: "-t x ." }]), {
      files: {},
      repoDigests: {},
    });
    expect(outcome.error).toBe(
      "failed to run step ID: b: failed to scan dependencies: exit status 1",
    );
    expect(
      lines.find((line) => line.startsWith("<ts> Output from dependency scanning: ")),
    ).toContain(
      "error opening dockerfile: Dockerfile, error: open Dockerfile: no such file or directory",
    );
    expect(requests.some((request) => request.command === "/bin/sh")).toBe(false);
  },
);

test(
  "a failed build whose errors are ignored still fails the run " + "at digest population (T-S13)",
  async () => {
    const task = taskOf([{ id: "b", build: "-t never-built:1 .", ignoreErrors: true }]);
    const { outcome, lines } = await run(task, {
      files: { "/workspace/Dockerfile": "FROM alpine\n" },
      repoDigests: {},
      buildExitCode: 1,
    });
    expect(lines).toContain(
      "<ts> Step ID: b encountered an error: exit status 1, but is set to ignore errors. " +
        "Continuing...",
    );
    expect(lines).toContain("<ts> Populating digests for step ID: b...");
    expect(outcome.status).toBe("Failed");
    expect(outcome.error).toBe(
      "failed to query digests, msg: Error: No such object: never-built:1\n: exit status 1",
    );
  },
);

test("a BuildKit build announces the remote digest lookup", async () => {
  const task = taskOf([{ id: "b", build: "-t a:1 .", env: ["DOCKER_BUILDKIT=1"] }]);
  const { lines } = await run(task, {
    files: { "/workspace/Dockerfile": "FROM scratch\n" },
    repoDigests: { "a:1": [] },
  });
  expect(lines).toContain("<ts> Image was built using buildkit, fetching Digest from remote...");
  expect(lines).toContain("    repository: library/scratch");
});
