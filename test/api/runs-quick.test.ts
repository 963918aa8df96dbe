import nock from "nock";

import { acrBuild, acrRun } from "../../src/api/runs.js";
import {
  archiveEntries,
  azError,
  azWarnings,
  replayRuns,
  settle,
  withJsonAcceptOnRunPolls,
  type CapturedRequest,
} from "./runs-replay.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const registry = { registry: "myreg" };

/** az's warnings without the parser's preview notices, which the command layer prints. */
function withoutPreviewNotices(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/^WARNING: Argument '.*' is in preview/.test(line))
    .join("\n");
}

/** Names that change from run to run: the archive's path and size, the Dockerfile's copy. */
function normalised(text: string): string {
  return text
    .replace(/'[^']*\/((?:cli_source|build)_archive)_[0-9a-f]{32}\.tar\.gz'/, "'<tmp>/$1'")
    .replace(/Sending context \([\d.]+ \w+\)/, "Sending context (<size>)")
    .replace(/[0-9a-f]{32}_([\w.-]*Dockerfile)/g, "<uuid>_$1");
}

function normalisedRequests(requests: CapturedRequest[]): CapturedRequest[] {
  return requests.map((request) => ({
    ...request,
    body: request.body === null ? null : normalised(request.body),
  }));
}

describe("acr run", () => {
  test.each([
    [
      "run-cmd",
      {
        cmd: "echo hi",
        sourceLocation: "/dev/null",
        timeout: 600,
        platform: "Linux/ARM/v7",
        set: ["a=1", "b"],
        setSecret: ["s=2"],
        authMode: "Default",
        agentPool: "p",
        logTemplate: "lt",
      },
    ],
    [
      "run-file-remote",
      {
        file: "build.yaml",
        values: "v.yaml",
        set: ["a=1"],
        sourceLocation: "https://github.com/a/b.git",
      },
    ],
    [
      "run-cmd-ignored-with-source",
      { cmd: "echo hi", sourceLocation: "https://github.com/a/b.git", timeout: 400 },
    ],
    ["run-task-file-encoded", { file: "acb.yaml", sourceLocation: "/dev/null" }],
  ])("%s: az's request", async (name, options) => {
    const session = replayRuns(name);

    const { result, error } = await settle(
      acrRun(session.target, {
        ...registry,
        ...options,
        noWait: true,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toBeUndefined();
    expect(result?.mode).toBe("queued");
    expect(session.recorder.stderr).toBe(withoutPreviewNotices(session.capture.stderr));
    session.verify();
  });

  test("a task file from standard input is taken as it is", async () => {
    const session = replayRuns("run-stdin-task", {
      readStdin: async () => "steps:\r\n  - cmd: x\n",
    });

    await acrRun(session.target, {
      ...registry,
      file: "-",
      sourceLocation: "/dev/null",
      noWait: true,
    });

    session.verify();
  });

  test("a local directory is packed (without a Dockerfile of its own) and uploaded", async () => {
    const session = replayRuns("run-local");

    await acrRun(session.target, {
      ...registry,
      sourceLocation: ".",
      noWait: true,
      logger: session.recorder.logger,
    });

    expect(normalised(session.recorder.stderr)).toBe(normalised(session.capture.stderr));
    session.verify();
    const ours = archiveEntries(session.uploads[0]);
    const az = (session.capture.archive ?? []).filter((entry) => entry !== "d ");
    expect([...ours].sort()).toEqual([...az].sort());
    expect(ours.at(-1)).toBe("f Dockerfile");
  });

  test.each([
    ["run-cmd-and-file", { cmd: "x", file: "y", sourceLocation: "/dev/null" }],
    ["run-no-task-file", { sourceLocation: "/dev/null" }],
    ["run-timeout-low", { cmd: "x", sourceLocation: "/dev/null", timeout: 299 }],
    ["run-file-timeout-high", { sourceLocation: "https://github.com/a/b.git", timeout: 28801 }],
    ["run-bad-platform", { cmd: "x", sourceLocation: "/dev/null", platform: "linux/sparc" }],
    ["run-classic", { cmd: "x", sourceLocation: "/dev/null" }],
  ])("%s: az's error, after az's warnings", async (name, options) => {
    const session = replayRuns(name, { cwd: __dirname });

    const { error } = await settle(
      acrRun(session.target, { ...registry, ...options, logger: session.recorder.logger }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(session.recorder.stderr).toBe(azWarnings(session.capture));
    session.verify();
  });

  test("--no-logs returns the finished run", async () => {
    const session = replayRuns("run-no-logs");

    const { result } = await settle(
      acrRun(session.target, {
        ...registry,
        cmd: "x",
        sourceLocation: "/dev/null",
        noLogs: true,
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(result?.run).toEqual(JSON.parse(session.capture.stdout));
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify(withJsonAcceptOnRunPolls(session.expected));
  });

  test("the log streamed until the run completes", async () => {
    const session = replayRuns("run-stream");

    await acrRun(session.target, {
      ...registry,
      cmd: "x",
      sourceLocation: "/dev/null",
      timeout: 900,
      ...session.log,
      logger: session.recorder.logger,
    });

    expect(session.recorder.stdout).toBe(session.capture.stdout);
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify();
  });
});

describe("acr build", () => {
  test.each([
    ["build-remote", {}],
    [
      "build-remote-options",
      {
        image: ["a:1", "b:{{.Build.ID}}"],
        file: "sub/Dockerfile",
        buildArg: ["A=1"],
        secretBuildArg: ["S=2"],
        target: "t",
        platform: "linux/arm64/v8",
        timeout: 1200,
        authMode: "None",
        agentPool: "p",
        logTemplate: "lt",
      },
    ],
    ["build-no-push", { image: ["a:1"], noPush: true }],
  ])("%s: az's request and warnings", async (name, options) => {
    const session = replayRuns(name);

    const { result, error } = await settle(
      acrBuild(session.target, {
        ...registry,
        sourceLocation: "https://github.com/a/b.git",
        ...options,
        noWait: true,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toBeUndefined();
    expect(result?.mode).toBe("queued");
    expect(session.recorder.stderr).toBe(withoutPreviewNotices(session.capture.stderr));
    session.verify();
  });

  test.each([
    ["build-local", undefined, "Dockerfile"],
    ["build-local-other-dockerfile", "alt.Dockerfile", "alt.Dockerfile"],
  ])("%s: the Dockerfile goes in a second time under a unique name", async (name, file, base) => {
    const session = replayRuns(name);

    await acrBuild(session.target, {
      ...registry,
      sourceLocation: ".",
      image: ["img:v1"],
      file,
      noWait: true,
      logger: session.recorder.logger,
    });

    expect(normalised(session.recorder.stderr)).toBe(normalised(session.capture.stderr));
    expect(normalisedRequests(session.sent)).toEqual(normalisedRequests(session.expected));
    const ours = archiveEntries(session.uploads[0]);
    const last = ours.at(-1) ?? "";
    expect(last).toMatch(new RegExp(`^f [0-9a-f]{32}_${base.replace(".", "\\.")}$`));
    const az = (session.capture.archive ?? []).filter((entry) => entry !== "d ");
    expect(ours.slice(0, -1).sort()).toEqual(az.slice(0, -1).sort());
    expect(session.sent.at(-1)?.body).toContain(`"dockerFilePath": "${last.slice(2)}"`);
  });

  test.each([
    ["build-local-missing-dockerfile", { sourceLocation: ".", file: "nope" }],
    ["build-dev-null", { sourceLocation: "/dev/null" }],
    ["build-timeout-high", { sourceLocation: "https://github.com/a/b.git", timeout: 28801 }],
    ["build-classic", { sourceLocation: "https://github.com/a/b.git" }],
  ])("%s: az's error, after az's warnings", async (name, options) => {
    const session = replayRuns(name);

    const { error } = await settle(
      acrBuild(session.target, { ...registry, ...options, logger: session.recorder.logger }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(session.recorder.stderr).toBe(azWarnings(session.capture));
    session.verify();
  });

  test("--no-logs returns the finished run", async () => {
    const session = replayRuns("build-no-logs");

    const { result } = await settle(
      acrBuild(session.target, {
        ...registry,
        sourceLocation: "https://github.com/a/b.git",
        noLogs: true,
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(result?.run).toEqual(JSON.parse(session.capture.stdout));
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify(withJsonAcceptOnRunPolls(session.expected));
  });

  test("a failed build's log, then 'Run failed'", async () => {
    const session = replayRuns("build-stream-failed");

    const { error } = await settle(
      acrBuild(session.target, {
        ...registry,
        sourceLocation: "https://github.com/a/b.git",
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(session.recorder.stdout).toBe(session.capture.stdout);
    session.verify();
  });
});
