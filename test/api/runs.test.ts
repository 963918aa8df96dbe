import nock from "nock";

import {
  cancelRun,
  listRuns,
  logChunks,
  runTask,
  showRun,
  taskLogs,
  updateRun,
} from "../../src/api/runs.js";
import { connect } from "../../src/api/session.js";
import {
  archiveEntries,
  azError,
  azWarnings,
  replayRuns,
  settle,
  withJsonAcceptOnRunPolls,
} from "./runs-replay.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const registry = { registry: "myreg" };

/** az's stdout as the data it printed. */
function azOutput(stdout: string): unknown {
  return JSON.parse(stdout);
}

/** az's warnings without the parser's preview notices, which the command layer prints. */
function operationWarnings(stderr: string): string {
  return azWarnings({ stderr } as Parameters<typeof azWarnings>[0])
    .split("\n")
    .filter((line) => !/^WARNING: Argument '.*' is in preview/.test(line))
    .join("\n");
}

describe("task run", () => {
  test("follows the log to the end, printing what az printed (capture 10)", async () => {
    const session = replayRuns("10-task-run-stream-ok");

    const { result, error } = await settle(
      runTask(session.target, {
        ...registry,
        name: "mytask",
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toBeUndefined();
    expect(result?.mode).toBe("streamed");
    expect(result?.runId).toBe("ca1");
    expect(session.recorder.stdout).toBe(session.capture.stdout);
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify();
  });

  test("--no-logs waits for the run and returns it as az prints it (capture 12)", async () => {
    const session = replayRuns("12-task-run-no-logs");

    const { result, error } = await settle(
      runTask(session.target, {
        ...registry,
        name: "mytask",
        noLogs: true,
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toBeUndefined();
    expect(result?.mode).toBe("finished");
    expect(result?.run).toEqual(azOutput(session.capture.stdout));
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    expect(session.clock.time).toBeGreaterThan(0);
    session.verify(withJsonAcceptOnRunPolls(session.expected));
  });

  test("--no-wait returns the queued run; az prints nothing (capture 14)", async () => {
    const session = replayRuns("14-task-run-no-wait");

    const { result } = await settle(
      runTask(session.target, {
        ...registry,
        name: "mytask",
        noWait: true,
        logger: session.recorder.logger,
      }),
    );

    expect(result?.mode).toBe("queued");
    expect(result?.run.status).toBe("Queued");
    expect(session.capture.stdout).toBe("");
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify();
  });

  test(
    "overrides: values, arguments from the environment, an empty " + "token, secrets last",
    async () => {
      const session = replayRuns("task-run-overrides", { env: { MYVAR: "from-env" } });

      const { error } = await settle(
        runTask(session.target, {
          ...registry,
          name: "mytask",
          set: ["a=1", "b"],
          setSecret: ["s=2"],
          arg: ["A=1", "MYVAR", "UNSET_VARIABLE_X", ""],
          secretArg: ["S=x=y"],
          file: "Dockerfile",
          contextPath: "https://github.com/a/b.git",
          target: "t",
          agentPool: "p",
          updateTriggerToken: "tok",
          logTemplate: "lt",
          noWait: true,
          logger: session.recorder.logger,
        }),
      );

      expect(error).toBeUndefined();
      expect(session.recorder.stderr).toBe(operationWarnings(session.capture.stderr));
      session.verify();
    },
  );

  test("empty strings are sent as given; an empty trigger token is not encoded", async () => {
    const session = replayRuns("task-run-empty-values");

    await runTask(session.target, {
      ...registry,
      name: "mytask",
      target: "",
      updateTriggerToken: "",
      file: "",
      noWait: true,
    });

    session.verify();
  });

  test("-g and a login server: the group as given, in the task id too", async () => {
    const session = replayRuns("task-run-with-group");

    await runTask(session.target, {
      registry: "myreg.azurecr.io",
      resourceGroup: "MyRG",
      name: "mytask",
      noWait: true,
    });

    session.verify();
  });

  test.each([
    ["task-run-remote-tarball", "https://example.com/ctx.tar.gz"],
    ["task-run-git-ssh", "git@github.com:a/b"],
    ["task-run-oci", "oci://myreg.azurecr.io/ctx:1"],
    ["task-run-null-context", "/DEV/NULL"],
  ])("remote and null contexts as az checks them (%s)", async (name, contextPath) => {
    const session = replayRuns(name);

    const { error } = await settle(
      runTask(session.target, {
        ...registry,
        name: "mytask",
        contextPath,
        noWait: true,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toBeUndefined();
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify();
  });

  test.each([
    ["task-run-remote-missing", "https://example.com/ctx.tar.gz"],
    ["task-run-remote-unknown", "foo/bar"],
    ["task-run-github-without-git", "github.com/a/b"],
  ])(
    "a context that does not exist fails before the task is read (%s)",
    async (name, contextPath) => {
      const session = replayRuns(name);

      const { error } = await settle(
        runTask(session.target, { ...registry, name: "mytask", contextPath, noWait: true }),
      );

      expect(error).toEqual(azError(session.capture));
      session.verify();
    },
  );

  describe("a local context is packed with az's ignore rules and uploaded", () => {
    /** az's warnings with the archive's path and size, which differ from run to run. */
    function normalised(stderr: string): string {
      return stderr
        .replace(/from '.*\/cli_source_archive_[0-9a-f]{32}\.tar\.gz'/, "from '<archive>'")
        .replace(/Sending context \([\d.]+ \w+\)/, "Sending context (<size>)");
    }

    test.each([
      ["task-run-local-context", undefined, "f Dockerfile"],
      ["task-run-local-task-file", "acb.yaml", undefined],
      ["task-run-local-other-dockerfile", "alt.Dockerfile", "f alt.Dockerfile"],
    ])("%s", async (name, file, appended) => {
      const session = replayRuns(name);

      const { error } = await settle(
        runTask(session.target, {
          ...registry,
          name: "mytask",
          contextPath: ".",
          file,
          noWait: true,
          logger: session.recorder.logger,
        }),
      );

      expect(error).toBeUndefined();
      expect(normalised(session.recorder.stderr)).toBe(normalised(session.capture.stderr));
      session.verify();

      // The same entries (az also writes the archive's root, which has no name); the directory
      // is walked in the file system's order, so only the Dockerfile added last has a place.
      expect(session.uploads).toHaveLength(1);
      const ours = archiveEntries(session.uploads[0]);
      const az = (session.capture.archive ?? []).filter((entry) => entry !== "d ");
      expect([...ours].sort()).toEqual([...az].sort());
      if (appended !== undefined) {
        expect([ours.at(-1), az.at(-1)]).toEqual([appended, appended]);
      }
    });

    test("without -f the context's Dockerfile is named at INFO level", async () => {
      const session = replayRuns("task-run-local-context");

      await runTask(session.target, {
        ...registry,
        name: "mytask",
        contextPath: ".",
        noWait: true,
        logger: session.recorder.logger,
      });

      expect(session.recorder.infos).toEqual([
        "'--file or -f' is not provided. './Dockerfile' is used.",
      ]);
    });

    test.each([
      ["task-run-local-missing-dockerfile", ".", "nope.Dockerfile"],
      ["task-run-local-not-a-directory", "Dockerfile", undefined],
    ])("%s", async (name, contextPath, file) => {
      const session = replayRuns(name);

      const { error } = await settle(
        runTask(session.target, { ...registry, name: "mytask", contextPath, file, noWait: true }),
      );

      expect(error).toEqual(azError(session.capture));
      session.verify();
    });
  });

  test("--no-logs on a run that failed: az's message, exit 1", async () => {
    const session = replayRuns("task-run-no-logs-failed");

    const { error } = await settle(
      runTask(session.target, {
        ...registry,
        name: "mytask",
        noLogs: true,
        ...session.log,
        logger: session.recorder.logger,
      }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(session.recorder.stderr).toBe(azWarnings(session.capture));
    session.verify(withJsonAcceptOnRunPolls(session.expected));
  });

  test("a log marked failed: the whole log, then 'Run failed'", async () => {
    const session = replayRuns("task-run-stream-failed");

    const { error } = await settle(
      runTask(session.target, { ...registry, name: "mytask", ...session.log }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(session.recorder.stdout).toBe(session.capture.stdout);
    session.verify();
  });

  test.each(["task-run-classic", "task-run-task-not-found"])(
    "errors before the run is scheduled (%s)",
    async (name) => {
      const session = replayRuns(name);

      const { error } = await settle(runTask(session.target, { ...registry, name: "mytask" }));

      expect(error).toEqual(azError(session.capture));
      session.verify();
    },
  );

  test("the service refusing the run: ARM's error with its target", async () => {
    const session = replayRuns("task-run-schedule-error");

    const { error } = await settle(
      runTask(session.target, { ...registry, name: "mytask", agentPool: "nopool" }),
    );

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });
});

describe("task list-runs", () => {
  test("the default listing asks for 15 runs (capture 15)", async () => {
    const session = replayRuns("15-list-runs-table");

    const runs = await listRuns(session.target, registry);

    expect(runs.map((run) => [run.runId, run.task, run.status])).toEqual([
      ["ca1", "mytask", "Succeeded"],
    ]);
    session.verify();
  });

  test("runs as az prints them", async () => {
    const session = replayRuns("list-runs");

    const runs = await listRuns(session.target, registry);

    expect(runs).toEqual(azOutput(session.capture.stdout));
    session.verify();
  });

  test("task, status in any case, image digest and a padded --top build az's filter", async () => {
    const session = replayRuns("list-runs-filters");

    const runs = await listRuns(session.target, {
      ...registry,
      name: "mytask",
      runStatus: "succeeded",
      image: "hello@sha256:abc",
      top: " 3",
    });

    expect(runs).toEqual(azOutput(session.capture.stdout));
    session.verify();
  });

  test("-g, a status alone and --top 0", async () => {
    const session = replayRuns("list-runs-status-top-zero");

    await listRuns(session.target, {
      ...registry,
      resourceGroup: "MyRG",
      runStatus: "RUNNING",
      top: "0",
    });

    session.verify();
  });

  test("values go into the filter unescaped; a negative --top is sent", async () => {
    const session = replayRuns("list-runs-quote");

    await listRuns(session.target, { ...registry, name: "it's", top: -2 });

    session.verify();
  });

  test("no runs: an empty list", async () => {
    const session = replayRuns("list-runs-empty");

    expect(await listRuns(session.target, registry)).toEqual(azOutput(session.capture.stdout));
    session.verify();
  });

  test("an image name that is neither name:tag nor name@digest", async () => {
    const session = replayRuns("list-runs-bad-image");

    const { error } = await settle(listRuns(session.target, { ...registry, image: "a:b:c" }));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test("a managed-registry check failure", async () => {
    const session = replayRuns("list-runs-classic");

    const { error } = await settle(listRuns(session.target, registry));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test("--top that is not an integer: a usage error before any request (az crashes)", async () => {
    const session = replayRuns("list-runs-top-not-int");

    const { error } = await settle(listRuns(session.target, { ...registry, top: "abc" }));

    expect(session.capture.stderr).toMatch(/^ERROR: The command failed with an unexpected error/);
    expect(error).toEqual({ message: "argument --top: invalid int value: 'abc'", exitCode: 2 });
    expect(session.sent).toEqual([]);
  });

  test("a --run-status az's parser would refuse", async () => {
    const session = replayRuns("list-runs");

    const { error } = await settle(listRuns(session.target, { ...registry, runStatus: "done" }));

    expect(error).toEqual({
      message:
        "'done' is not a valid value for '--run-status'. Allowed values: Queued, " +
        "Started, Running, Succeeded, Failed, Canceled, Error, Timeout.",
      exitCode: 2,
    });
    expect(session.sent).toEqual([]);
  });

  test("an image by tag without access to the data plane says how to give it", async () => {
    const session = replayRuns("list-runs-filters");

    const { error } = await settle(
      listRuns(await connect(session.target), { ...registry, image: "hello:v1" }),
    );

    expect(error?.message).toMatch(/^Could not find image 'hello:v1'\. /);
    expect(error?.exitCode).toBe(1);
  });

  test("an image by tag goes through the given digest lookup", async () => {
    const session = replayRuns("list-runs-filters");
    const lookUpDigest = jest.fn(async () => "sha256:abc");

    await listRuns(session.target, {
      ...registry,
      name: "mytask",
      runStatus: "Succeeded",
      image: "hello",
      top: 3,
      lookUpDigest,
    });

    expect(lookUpDigest).toHaveBeenCalledWith({
      registryName: "myreg",
      repository: "hello",
      tag: "latest",
    });
    session.verify();
  });
});

describe("--image by tag: the digest from the registry's data plane, as az finds it", () => {
  /** The identity az's capture used: its ARM token is exchanged for a registry token. */
  const dataPlane = {
    credential: {
      getToken: async () => ({ token: "faketoken", expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    scopes: "https://management.azure.com/.default",
    tenantId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  };

  /** az's warnings and errors with the time it puts into data-plane messages taken out. */
  function timeless(text: string): string {
    return text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})? /g, "<time> ");
  }

  test.each([
    ["list-runs-image-tag", "hello:v1"],
    ["list-runs-image-audience", "hello:v1"],
    ["list-runs-image-admin", "hello:v1"],
  ])("%s", async (name, image) => {
    const session = replayRuns(name);

    const runs = await listRuns(session.target, {
      ...registry,
      image,
      dataPlane,
      logger: session.recorder.logger,
    });

    expect(runs).toEqual(azOutput(session.capture.stdout));
    expect(timeless(session.recorder.stderr)).toBe(timeless(session.capture.stderr));
    session.verify();
  });

  test.each([
    ["list-runs-image-missing-tag", "hello"],
    ["list-runs-image-no-credentials", "hello:v1"],
  ])("%s", async (name, image) => {
    const session = replayRuns(name);

    const { error } = await settle(
      listRuns(session.target, { ...registry, image, dataPlane, logger: session.recorder.logger }),
    );

    expect(error).toEqual(azError(session.capture));
    expect(timeless(session.recorder.stderr)).toBe(timeless(azWarnings(session.capture)));
    session.verify();
  });

  test(
    "a registry that refuses ARM-audience tokens gets a token " + "for its own audience",
    async () => {
      const session = replayRuns("list-runs-image-audience");
      const getToken = jest.fn(dataPlane.credential.getToken);

      await listRuns(session.target, {
        ...registry,
        image: "hello:v1",
        dataPlane: { ...dataPlane, credential: { getToken } },
      });

      expect(getToken).toHaveBeenCalledWith(["https://containerregistry.azure.net/.default"]);
      session.verify();
    },
  );

  test("task logs for the last run that produced an image by tag", async () => {
    const session = replayRuns("logs-last-run-image-tag");

    await taskLogs(session.target, {
      ...registry,
      resourceGroup: "MyRG",
      name: "mytask",
      image: "hello:v1",
      dataPlane,
      ...session.log,
      logger: session.recorder.logger,
    });

    expect(session.recorder.stdout).toBe(session.capture.stdout);
    expect(session.recorder.stderr).toBe(session.capture.stderr);
    session.verify();
  });
});

describe("task show-run, update-run, cancel-run", () => {
  test("show-run", async () => {
    const session = replayRuns("show-run");

    expect(await showRun(session.target, { ...registry, runId: "ca1" })).toEqual(
      azOutput(session.capture.stdout),
    );
    session.verify();
  });

  test.each([
    ["update-run-no-archive-true", true],
    ["update-run-no-archive-false", false],
    ["update-run-nothing", undefined],
  ])("%s", async (name, noArchive) => {
    const session = replayRuns(name);

    const run = await updateRun(session.target, { ...registry, runId: "ca1", noArchive });

    expect(run).toEqual(azOutput(session.capture.stdout));
    session.verify();
  });

  test.each(["cancel-run", "cancel-run-202"])("%s: nothing to print", async (name) => {
    const session = replayRuns(name);

    expect(await cancelRun(session.target, { ...registry, runId: "ca1" })).toBeUndefined();
    expect(session.capture.stdout).toBe("");
    session.verify();
  });

  test("cancel-run answered 204: az refuses the status", async () => {
    const session = replayRuns("cancel-run-204");

    const { error } = await settle(cancelRun(session.target, { ...registry, runId: "ca1" }));

    // az names the reason phrase ('No Content'), which the shared ARM error text does not know.
    expect(azError(session.capture).message).toBe(
      "Operation returned an invalid status 'No Content'",
    );
    expect(error?.message).toMatch(/^Operation returned an invalid status '/);
    expect(error?.exitCode).toBe(azError(session.capture).exitCode);
    session.verify();
  });

  test.each([
    ["show-run-not-found", showRun],
    ["update-run-not-found", updateRun],
    ["cancel-run-not-found", cancelRun],
  ] as const)("%s: ARM's 404, exit 3", async (name, operation) => {
    const session = replayRuns(name);

    const { error } = await settle<unknown>(
      operation(session.target, { ...registry, runId: "nope", noArchive: true }),
    );

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });
});

describe("task logs", () => {
  test("--run-id with --no-format keeps the colours (capture 22)", async () => {
    const session = replayRuns("22-task-logs-no-format");

    await taskLogs(session.target, { ...registry, runId: "ca1", noFormat: true, ...session.log });

    expect(session.recorder.stdout).toBe(session.capture.stdout);
    session.verify();
  });

  test.each([
    ["logs-last-run", { name: "mytask" }],
    ["logs-last-run-any", {}],
    [
      "logs-last-run-group-image",
      { resourceGroup: "MyRG", name: "mytask", image: "hello@sha256:abc" },
    ],
  ])(
    "the last run: listed with the registry looked up again without -g (%s)",
    async (name, extra) => {
      const session = replayRuns(name);

      await taskLogs(session.target, {
        ...registry,
        ...extra,
        ...session.log,
        logger: session.recorder.logger,
      });

      expect(session.recorder.stdout).toBe(session.capture.stdout);
      expect(session.recorder.stderr).toBe(session.capture.stderr);
      session.verify();
    },
  );

  test("no last run", async () => {
    const session = replayRuns("logs-no-run");

    const { error } = await settle(
      taskLogs(session.target, { ...registry, name: "mytask", image: "hello@sha256:abc" }),
    );

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test.each(["logs-sas-not-found", "logs-sas-empty"])("no log location (%s)", async (name) => {
    const session = replayRuns(name);

    const { error } = await settle(taskLogs(session.target, { ...registry, runId: "ca1" }));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test("a failed run's log is shown and the command succeeds", async () => {
    const session = replayRuns("logs-failed-run");

    const { error } = await settle(
      taskLogs(session.target, { ...registry, runId: "ca1", ...session.log }),
    );

    expect(error).toBeUndefined();
    expect(session.recorder.stdout).toBe(session.capture.stdout);
    session.verify();
  });

  test("the log can be read as an async iterator of printed chunks", async () => {
    const session = replayRuns("22-task-logs-no-format");
    const { transport, clock } = session.log;

    let text = "";
    for await (const chunk of logChunks((output) =>
      taskLogs(session.target, {
        ...registry,
        runId: "ca1",
        noFormat: true,
        output,
        transport,
        clock,
      }),
    )) {
      text += chunk;
    }

    expect(text).toBe(session.capture.stdout);
    session.verify();
  });

  test("the iterator throws the operation's error", async () => {
    const session = replayRuns("logs-sas-empty");

    const read = async () => {
      for await (const chunk of logChunks((output) =>
        taskLogs(session.target, { ...registry, runId: "ca1", output }),
      )) {
        expect(chunk).toBeUndefined();
      }
    };

    await expect(read()).rejects.toThrow("Could not get logs for ID: ca1");
  });
});
