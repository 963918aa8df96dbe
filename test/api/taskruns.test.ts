import nock from "nock";

import { deleteTaskRun, listTaskRuns, showTaskRun, taskRunLogs } from "../../src/api/taskruns.js";
import { azError, replayRuns, settle } from "./runs-replay.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const registry = { registry: "myreg" };

describe("taskrun list and show", () => {
  test("list (capture 16)", async () => {
    const session = replayRuns("16-taskrun-list-table");

    const taskRuns = await listTaskRuns(session.target, registry);

    expect(taskRuns.map((taskRun) => [taskRun.name, taskRun.runResult?.runId])).toEqual([
      ["mytr", "ca1"],
    ]);
    session.verify();
  });

  test("list, as az prints it", async () => {
    const session = replayRuns("taskrun-list");

    expect(await listTaskRuns(session.target, registry)).toEqual(
      JSON.parse(session.capture.stdout),
    );
    session.verify();
  });

  test("show, as az prints it (capture 30)", async () => {
    const session = replayRuns("30-taskrun-show-json");

    expect(await showTaskRun(session.target, { ...registry, name: "mytr" })).toEqual(
      JSON.parse(session.capture.stdout),
    );
    session.verify();
  });

  test("show of a task run that does not exist: ARM's 404, exit 3", async () => {
    const session = replayRuns("taskrun-show-not-found");

    const { error } = await settle(showTaskRun(session.target, { ...registry, name: "nope" }));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test("the managed-registry check names task runs", async () => {
    const session = replayRuns("taskrun-classic");

    const { error } = await settle(listTaskRuns(session.target, registry));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });
});

describe("taskrun delete", () => {
  test("--yes deletes without asking", async () => {
    const session = replayRuns("taskrun-delete");
    const confirm = jest.fn(() => false);

    await deleteTaskRun(session.target, { ...registry, name: "mytr", yes: true, confirm });

    expect(confirm).not.toHaveBeenCalled();
    session.verify();
  });

  test("asks with az's prompt after the registry lookup, then deletes", async () => {
    const session = replayRuns("taskrun-delete");
    const confirm = jest.fn(() => {
      expect(session.sent.map((request) => request.method)).toEqual(["GET", "GET"]);
      return true;
    });

    await deleteTaskRun(session.target, { ...registry, name: "mytr", confirm });

    expect(confirm).toHaveBeenCalledWith(
      "Are you sure you want to delete the taskrun 'mytr'  (y/n): ",
    );
    session.verify();
  });

  test("no way to ask: az's no-terminal error, nothing deleted", async () => {
    const session = replayRuns("taskrun-delete-no-tty");

    const { error } = await settle(deleteTaskRun(session.target, { ...registry, name: "mytr" }));

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });

  test("a 'no' cancels the operation, nothing deleted", async () => {
    const session = replayRuns("taskrun-delete-no-tty");

    const { error } = await settle(
      deleteTaskRun(session.target, { ...registry, name: "mytr", confirm: async () => false }),
    );

    expect(error).toEqual({ message: "Operation cancelled.", exitCode: 1 });
    session.verify();
  });

  test("a task run that does not exist: ARM's 404, exit 3", async () => {
    const session = replayRuns("taskrun-delete-not-found");

    const { error } = await settle(
      deleteTaskRun(session.target, { ...registry, name: "nope", yes: true }),
    );

    expect(error).toEqual(azError(session.capture));
    session.verify();
  });
});

describe("taskrun logs", () => {
  test("the log of the run the task run started", async () => {
    const session = replayRuns("taskrun-logs");

    const { error } = await settle(
      taskRunLogs(session.target, { ...registry, name: "mytr", ...session.log }),
    );

    expect(error).toBeUndefined();
    expect(session.recorder.stdout).toBe(session.capture.stdout);
    session.verify();
  });
});
