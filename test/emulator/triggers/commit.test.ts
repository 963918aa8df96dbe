import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runEvents } from "../../../src/emulator/resources/run-records.js";
import type { RunDocument, RunEvent } from "../../../src/emulator/resources/run-records.js";
import { REGISTRY_TYPE, RUN_TYPE, TASK_TYPE } from "../../../src/emulator/resources/shapes.js";
import { openStore } from "../../../src/emulator/store/sqlite.js";
import type { ResourceStore } from "../../../src/emulator/store/types.js";
import { CommitTriggers } from "../../../src/emulator/triggers/commit.js";
import { runGit } from "../../support/git.js";

const REGISTRY_ID =
  "/subscriptions/sub/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/myregistry";
const TASK_ID = `${REGISTRY_ID}/tasks/example1`;

let folder: string;
let repository: string;
let store: ResourceStore;

function git(...args: string[]): string {
  return runGit(repository, ...args);
}

function commit(text: string): string {
  writeFileSync(join(repository, "file.txt"), text);
  git("add", ".");
  git("commit", "--quiet", "-m", text);
  return git("rev-parse", "HEAD");
}

function putTask(overrides: { status?: string; events?: string[]; triggerStatus?: string } = {}) {
  store.put({
    id: TASK_ID,
    type: TASK_TYPE,
    document: {
      properties: {
        status: overrides.status ?? "Enabled",
        step: { type: "FileTask", taskFilePath: "acb.yaml", contextPath: `${repository}#main` },
        trigger: {
          sourceTriggers: [
            {
              name: "defaultSourceTriggerName",
              status: overrides.triggerStatus ?? "Enabled",
              sourceTriggerEvents: overrides.events ?? ["commit"],
              sourceRepository: {
                sourceControlType: "Github",
                repositoryUrl: `${repository}#main`,
                branch: "main",
              },
            },
          ],
        },
      },
    },
  });
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "acrtask-commit-trigger-"));
  repository = join(folder, "repo");
  execFileSync("git", ["init", "--quiet", "--initial-branch", "main", repository]);
  store = openStore(join(folder, "store.sqlite"));
  store.put({
    id: REGISTRY_ID,
    type: REGISTRY_TYPE,
    document: { location: "westus", properties: { loginServer: "localhost:5000" } },
  });
});

afterEach(() => {
  store.close();
  rmSync(folder, { recursive: true, force: true });
});

test(
  "a commit on the branch queues one run of the task at that " +
    "commit; the first look only records",
  async () => {
    commit("first");
    putTask();
    const triggers = new CommitTriggers({ store, now: () => new Date("2026-12-04T10:00:00Z") });
    const scheduled: RunEvent[] = [];
    const listener = (event: RunEvent) => scheduled.push(event);
    runEvents.on("scheduled", listener);

    try {
      expect(await triggers.poll()).toEqual([]);
      expect(await triggers.poll()).toEqual([]);

      commit("second");
      expect(await triggers.poll()).toEqual(["ca1"]);
      expect(await triggers.poll()).toEqual([]);
    } finally {
      runEvents.off("scheduled", listener);
    }

    const [run] = store.list<RunDocument>(RUN_TYPE);
    const head = git("rev-parse", "HEAD");
    expect(scheduled.map((event) => event.runId)).toEqual([run!.id]);
    expect(run!.document.properties).toMatchObject({
      runId: "ca1",
      status: "Queued",
      runType: "AutoRun",
      task: "example1",
      sourceTrigger: {
        id: head,
        eventType: "Commit",
        commitId: head,
        repositoryUrl: repository,
        branchName: "main",
        providerType: "Github",
      },
    });
    expect(run!.document.sourceRevision).toEqual({ commit: head, branch: "main" });
    expect(run!.document.request).toEqual({
      type: "TaskRunRequest",
      taskId: TASK_ID,
      isArchiveEnabled: false,
    });
  },
);

test("the head seen survives a restart: no run is lost or repeated", async () => {
  commit("first");
  putTask();
  await new CommitTriggers({ store }).poll();
  commit("while the emulator was down");

  expect(await new CommitTriggers({ store }).poll()).toEqual(["ca1"]);
  expect(await new CommitTriggers({ store }).poll()).toEqual([]);
});

test.each([
  ["a disabled task", { status: "Disabled" }],
  ["a disabled trigger", { triggerStatus: "Disabled" }],
  ["a pull-request-only trigger", { events: ["pullrequest"] }],
])("%s queues nothing", async (_name, overrides) => {
  commit("first");
  putTask(overrides);
  const triggers = new CommitTriggers({ store });
  await triggers.poll();
  commit("second");

  expect(await triggers.poll()).toEqual([]);
  expect(store.list(RUN_TYPE)).toEqual([]);
});

test("a repository that cannot be read queues nothing and keeps polling", async () => {
  putTask();
  rmSync(repository, { recursive: true, force: true });
  const triggers = new CommitTriggers({ store });

  expect(await triggers.poll()).toEqual([]);
  expect(store.list(RUN_TYPE)).toEqual([]);
});

test("a task made again under the same name starts afresh", async () => {
  commit("first");
  putTask();
  await new CommitTriggers({ store }).poll();
  commit("second");
  const task = store.get<{ properties: Record<string, unknown> }>(TASK_ID)!;
  task.document.properties.creationDate = "2026-12-04T11:00:00.000000+00:00";
  store.put(task);

  expect(await new CommitTriggers({ store }).poll()).toEqual([]);
  commit("third");
  expect(await new CommitTriggers({ store }).poll()).toEqual(["ca1"]);
});
