// The agent with a real store and the real task file module, and the runner and the log blob
// replaced: what it hands the runner, what it writes to the log, and what it records.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  INTERRUPTED_MESSAGE,
  RunAgent,
  resolveKeyVaultSecrets,
} from "../../../src/emulator/agent/run-agent.js";
import type { RunLogWriter } from "../../../src/emulator/blob/log-writer.js";
import { progressRun, queueRun, runEvents } from "../../../src/emulator/resources/run-records.js";
import type { RunDocument } from "../../../src/emulator/resources/run-records.js";
import type { RegistryRef } from "../../../src/emulator/resources/shapes.js";
import { openStore } from "../../../src/emulator/store/sqlite.js";
import type { ResourceStore } from "../../../src/emulator/store/types.js";
import type { ExecuteRunOptions, RunOutcome } from "../../../src/emulator/runner/index.js";

const REGISTRY: RegistryRef = {
  id: "/subscriptions/sub/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/myregistry",
  name: "myregistry",
  resourceGroupName: "g",
  location: "westus",
  loginServer: "localhost:5000",
};
const CALLER = { name: "tester", type: "User" as const };

interface FakeLog {
  text: string;
  completed?: string;
  /** The run's status when the log was completed: az reads it right after. */
  statusAtCompletion?: unknown;
  append: boolean;
}

let folder: string;
let store: ResourceStore;
let logs: Map<string, FakeLog>;
let executed: ExecuteRunOptions[];
let outcome: (options: ExecuteRunOptions) => Promise<RunOutcome>;
let agent: RunAgent;

const encoded = (text: string) => Buffer.from(text).toString("base64");

function queueEncoded(taskText: string, extra: Record<string, unknown> = {}) {
  return queueRun(store, {
    registry: REGISTRY,
    caller: CALLER,
    now: new Date("2026-12-04T10:00:00Z"),
    request: { type: "EncodedTaskRunRequest", encodedTaskContent: encoded(taskText), ...extra },
  });
}

function runOf(id: string) {
  return store.get<RunDocument>(id)!.document;
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), "acrtask-agent-"));
  store = openStore(join(folder, "store.sqlite"));
  logs = new Map();
  executed = [];
  outcome = async (options) => {
    options.log.write("2026/12/04 10:00:01 a line\n");
    return {
      status: "Succeeded",
      startTime: new Date(),
      finishTime: new Date(),
      steps: [],
      images: [
        {
          image: "localhost:5000/app:ca1",
          registry: "localhost:5000",
          repository: "app",
          tag: "ca1",
          digest: "sha256:1",
        },
      ],
    };
  };
  agent = new RunAgent({
    store,
    workDirectory: join(folder, "agent"),
    now: () => new Date("2026-12-04T10:00:05Z"),
    registryLogin: async (name) => {
      expect(name).toBe("myregistry");
      return { loginServer: "localhost:5000", username: "myregistry", password: "p" };
    },
    openLog: async (registryName, runId, append) => {
      const key = `${registryName}/${runId}`;
      const log: FakeLog = logs.get(key) ?? { text: "", append };
      log.append = append;
      logs.set(key, log);
      return {
        container: registryName,
        blobName: `logs/${runId}/rawtext.log`,
        write: (text: string | Uint8Array) => {
          log.text += text.toString();
        },
        flush: async () => undefined,
        complete: async (status: string) => {
          log.completed = status;
          const run = store
            .list<RunDocument>("Microsoft.ContainerRegistry/registries/runs")
            .find((stored) => stored.document.properties.runId === runId);
          log.statusAtCompletion = run?.document.properties.status;
        },
      } as RunLogWriter;
    },
    downloadUpload: async () => {
      throw new Error("no upload here");
    },
    execute: async (options) => {
      executed.push(options);
      return outcome(options);
    },
  });
});

afterEach(async () => {
  await agent.stop();
  store.close();
  rmSync(folder, { recursive: true, force: true });
});

test("a queued run is loaded, executed with its registry and limits, and recorded", async () => {
  await agent.start();
  const run = queueEncoded("steps:\n  - cmd: {{.Values.image}} echo {{.Run.ID}}\n", {
    values: [{ name: "image", value: "busybox", isSecret: false }],
    timeout: 120,
  });
  await agent.idle();

  expect(executed).toHaveLength(1);
  expect(executed[0]).toMatchObject({
    runId: "ca1",
    registry: { loginServer: "localhost:5000", username: "myregistry", password: "p" },
    credentials: [],
    timeoutSeconds: 120,
    workspaceVolume: expect.stringMatching(/^acb_vol_[0-9a-f-]{36}$/),
  });
  expect(executed[0]!.source).toBeUndefined();
  expect(executed[0]!.task.steps.map((step) => step.cmd)).toEqual(["busybox echo ca1"]);

  // ACR's logs end lines with CRLF; the status is recorded before the log says it is complete.
  expect(logs.get("myregistry/ca1")).toEqual({
    text: "2026/12/04 10:00:01 a line\r\n",
    completed: "Succeeded",
    statusAtCompletion: "Succeeded",
    append: false,
  });
  expect(runOf(run.id).properties).toMatchObject({
    status: "Succeeded",
    startTime: "2026-12-04T10:00:05+00:00",
    finishTime: "2026-12-04T10:00:05+00:00",
    outputImages: [
      { registry: "localhost:5000", repository: "app", tag: "ca1", digest: "sha256:1" },
    ],
  });
});

test(
  "a task file acb refuses fails the run with acb's line and " + "the service's last line",
  async () => {
    await agent.start();
    const run = queueEncoded("steps:\n  - id: a\n");
    await agent.idle();

    expect(executed).toEqual([]);
    expect(logs.get("myregistry/ca1")?.text).toBe(
      "failed to unmarshal task before running: step is missing a cmd, build, or push property\r\n" +
        "\r\n" +
        "Run ID: ca1 failed after 0s. Error: failed during run, err: exit status 1\r\n",
    );
    expect(logs.get("myregistry/ca1")?.completed).toBe("Failed");
    expect(runOf(run.id).properties).toMatchObject({
      status: "Failed",
      runErrorMessage:
        "failed to unmarshal task before running: step is missing a cmd, build, or push property",
    });
  },
);

test.each([
  ["TimedOut", "Timeout", "TimedOut"],
  ["Failed", "Failed", "Failed"],
])(
  "a runner outcome %s is recorded as %s with the log completed as %s",
  async (given, status, complete) => {
    outcome = async () => ({
      status: given as RunOutcome["status"],
      startTime: new Date(),
      finishTime: new Date(),
      steps: [],
      images: [],
    });
    await agent.start();
    const run = queueEncoded("steps:\n  - cmd: busybox true\n");
    await agent.idle();

    expect(runOf(run.id).properties.status).toBe(status);
    expect(logs.get("myregistry/ca1")?.completed).toBe(complete);
  },
);

test("a cancel reaches the run in progress through its signal", async () => {
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  outcome = (options) =>
    new Promise((resolve) => {
      started();
      options.signal!.addEventListener("abort", () =>
        resolve({
          status: "Canceled",
          startTime: new Date(),
          finishTime: new Date(),
          steps: [],
          images: [],
        }),
      );
    });
  await agent.start();
  const run = queueEncoded("steps:\n  - cmd: busybox sleep 60\n");
  await running;

  progressRun(store, run.id, { status: "Canceled" }, new Date());
  runEvents.emit("canceled", { store, runId: run.id, registry: REGISTRY });
  await agent.idle();

  expect(runOf(run.id).properties.status).toBe("Canceled");
  expect(logs.get("myregistry/ca1")?.completed).toBe("Canceled");
});

test("a run canceled while queued gets an empty, complete log", async () => {
  const run = queueEncoded("steps:\n  - cmd: busybox true\n");
  progressRun(store, run.id, { status: "Canceled" }, new Date());
  await agent.start();
  runEvents.emit("canceled", { store, runId: run.id, registry: REGISTRY });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await agent.idle();

  expect(executed).toEqual([]);
  expect(logs.get("myregistry/ca1")).toMatchObject({
    text: "",
    completed: "Canceled",
    append: true,
  });
});

test(
  "at start, a run a stop interrupted is closed with a line, " + "and queued runs are taken up",
  async () => {
    const interrupted = queueEncoded("steps:\n  - cmd: busybox true\n");
    progressRun(store, interrupted.id, { status: "Running" }, new Date());
    const waiting = queueEncoded("steps:\n  - cmd: busybox true\n");

    await agent.start();
    await agent.idle();

    expect(runOf(interrupted.id).properties).toMatchObject({
      status: "Error",
      runErrorMessage: INTERRUPTED_MESSAGE,
    });
    expect(logs.get("myregistry/ca1")).toEqual({
      text: `2026/12/04 10:00:05 ${INTERRUPTED_MESSAGE}\r\n`,
      completed: "InternalError",
      statusAtCompletion: "Error",
      append: true,
    });
    expect(runOf(waiting.id).properties.status).toBe("Succeeded");
    expect(executed.map((options) => options.runId)).toEqual(["ca2"]);
  },
);

describe("Key Vault secrets", () => {
  const known = { "https://MyVault.vault.azure.net/secrets/Password": "s3cret=with=equals" };

  test(
    "resolve by secret URL, without regard to case, a version " + "falling back to the secret",
    () => {
      expect(
        resolveKeyVaultSecrets(
          [
            { id: "password", keyVault: "https://myvault.vault.azure.net/secrets/password" },
            { id: "pinned", keyVault: "https://myvault.vault.azure.net/secrets/password/0a1b2c" },
          ],
          known,
        ),
      ).toEqual({ password: "s3cret=with=equals", pinned: "s3cret=with=equals" });
    },
  );

  test("an unknown secret says how to give it", () => {
    expect(() =>
      resolveKeyVaultSecrets(
        [{ id: "user", keyVault: "https://myvault.vault.azure.net/secrets/user" }],
        known,
      ),
    ).toThrow(
      "failed to fetch secret with ID: user: the emulator has no value for " +
        "https://myvault.vault.azure.net/secrets/user; start it with " +
        "--secret https://myvault.vault.azure.net/secrets/user=<value>",
    );
  });

  test("a task's secrets render into its steps", async () => {
    agent = new RunAgent({
      store,
      workDirectory: join(folder, "agent-secrets"),
      keyVaultSecrets: known,
      registryLogin: async () => ({ loginServer: "localhost:5000", username: "u", password: "p" }),
      openLog: async () =>
        ({
          write: () => undefined,
          flush: async () => undefined,
          complete: async () => undefined,
        }) as unknown as RunLogWriter,
      downloadUpload: async () => undefined,
      execute: async (options) => {
        executed.push(options);
        return {
          status: "Succeeded",
          startTime: new Date(),
          finishTime: new Date(),
          steps: [],
          images: [],
        };
      },
    });
    await agent.start();
    queueEncoded(
      "secrets:\n  - id: pw\n    keyvault: https://myvault.vault.azure.net/secrets/password\n" +
        "steps:\n  - cmd: busybox echo {{.Secrets.pw}}\n",
    );
    await agent.idle();

    expect(executed[0]?.task.steps[0]?.cmd).toBe("busybox echo s3cret=with=equals");
  });
});
