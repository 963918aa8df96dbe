// Commit triggers: ACR registers a webhook with GitHub or Azure DevOps and runs a task when a
// commit lands on the trigger's branch. The emulator's repositories are mostly local, where no
// webhook exists, so it polls: every enabled commit trigger of an enabled task has its branch
// head read with `git ls-remote`, and a head that moved since the last look queues a run of the
// task at that commit. The first look only records the head, as creating a task runs nothing.
// The heads seen are kept in the store, so a restart neither loses nor repeats a trigger.

import { execFile } from "node:child_process";

import { gitEnvironment } from "../git-environment.js";
import { queueTriggeredRun } from "./triggered-run.js";
import { TASK_TYPE, isObject } from "../resources/shapes.js";
import type { Json } from "../resources/shapes.js";
import type { ResourceStore } from "../store/types.js";

export interface CommitTriggerOptions {
  store: ResourceStore;
  /** Seconds between two looks; 10 by default. */
  intervalSeconds?: number;
  now?: () => Date;
  /** Reads the head commit of `branch` at `url`; `git ls-remote` by default. */
  readHead?: (
    url: string,
    branch: string,
    token: string | undefined,
  ) => Promise<string | undefined>;
}

const HEADS_TYPE = "Acrtask.Emulator/commitTriggerHead";

export class CommitTriggers {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: CommitTriggerOptions) {}

  start(): void {
    const interval = (this.options.intervalSeconds ?? 10) * 1000;
    const tick = () => {
      this.polling ??= this.poll()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          this.polling = undefined;
        });
      this.timer = setTimeout(tick, interval);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    await this.polling;
  }

  /** One look at every commit trigger; resolves with the run ids it queued. */
  async poll(): Promise<string[]> {
    const queued: string[] = [];
    const store = this.options.store;
    for (const task of store.list<{ properties: Json }>(TASK_TYPE)) {
      const properties = task.document.properties;
      if (properties.status !== "Enabled" || !isObject(properties.trigger)) {
        continue;
      }
      const triggers = Array.isArray(properties.trigger.sourceTriggers)
        ? properties.trigger.sourceTriggers.filter(isObject)
        : [];
      for (const trigger of triggers) {
        const runId = await this.look(task.id, properties, trigger);
        if (runId !== undefined) {
          queued.push(runId);
        }
      }
    }
    return queued;
  }

  private async look(taskId: string, properties: Json, trigger: Json): Promise<string | undefined> {
    const events = Array.isArray(trigger.sourceTriggerEvents) ? trigger.sourceTriggerEvents : [];
    const repository = isObject(trigger.sourceRepository) ? trigger.sourceRepository : {};
    if (trigger.status !== "Enabled" || !events.includes("commit")) {
      return undefined;
    }

    const location = typeof repository.repositoryUrl === "string" ? repository.repositoryUrl : "";
    const url = location.split("#")[0] ?? "";
    const branch = typeof repository.branch === "string" ? repository.branch : "main";
    const auth = isObject(repository.sourceControlAuthProperties)
      ? repository.sourceControlAuthProperties
      : {};
    const token = typeof auth.token === "string" ? auth.token : undefined;
    if (url === "") {
      return undefined;
    }

    const head = await (this.options.readHead ?? readHeadWithGit)(url, branch, token);
    if (head === undefined) {
      return undefined;
    }

    const store = this.options.store;
    const recordId = `${taskId}/commitTriggerHeads/${String(trigger.name)}`;
    // A record of an earlier task of the same name (deleted, then made again) does not count.
    const taskCreated = String(properties.creationDate ?? "");
    const record = store.get<{ head: string; taskCreated: string }>(recordId)?.document;
    const seen = record?.taskCreated === taskCreated ? record.head : undefined;
    if (seen === head) {
      return undefined;
    }
    store.put({ id: recordId, type: HEADS_TYPE, document: { head, taskCreated } });
    if (seen === undefined) {
      return undefined;
    }

    return queueTriggeredRun(
      store,
      taskId,
      properties,
      {
        sourceTrigger: {
          id: head,
          // The tutorials show runs listed with the trigger "Commit": Azure capitalises it here.
          eventType: "Commit",
          commitId: head,
          repositoryUrl: url,
          branchName: branch,
          providerType: repository.sourceControlType ?? "Github",
        },
        sourceRevision: { commit: head, branch },
      },
      this.options.now?.() ?? new Date(),
    );
  }
}

/** The commit `refs/heads/<branch>` points at; undefined when the remote cannot be read. */
function readHeadWithGit(
  url: string,
  branch: string,
  token: string | undefined,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["ls-remote", "--", url, `refs/heads/${branch}`],
      { timeout: 30_000, env: gitEnvironment(url, token) },
      (error, stdout) => {
        const head = /^([0-9a-f]{40})\s/m.exec(stdout)?.[1];
        resolve(error ? undefined : head);
      },
    );
  });
}
