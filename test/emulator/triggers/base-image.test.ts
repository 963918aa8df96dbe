import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { RunDocument } from "../../../src/emulator/resources/run-records.js";
import { REGISTRY_TYPE, RUN_TYPE, TASK_TYPE } from "../../../src/emulator/resources/shapes.js";
import { openStore } from "../../../src/emulator/store/sqlite.js";
import type { ResourceStore } from "../../../src/emulator/store/types.js";
import {
  BaseImageTriggers,
  listenForRegistryEvents,
  pushesOf,
} from "../../../src/emulator/triggers/base-image.js";
import type { PushedTag } from "../../../src/emulator/triggers/base-image.js";

const REGISTRY_ID =
  "/subscriptions/sub/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/myregistry";

let folder: string;
let store: ResourceStore;

function putTask(
  name: string,
  dependencies: Record<string, unknown>[],
  trigger: Record<string, unknown> = { status: "Enabled", baseImageTriggerType: "Runtime" },
) {
  store.put({
    id: `${REGISTRY_ID}/tasks/${name}`,
    type: TASK_TYPE,
    document: {
      properties: {
        status: "Enabled",
        step: { type: "Docker", dockerFilePath: "Dockerfile", baseImageDependencies: dependencies },
        trigger: { baseImageTrigger: { name: "defaultBaseimageTriggerName", ...trigger } },
      },
    },
  });
}

const push: PushedTag = {
  registryName: "MyRegistry",
  repository: "base/node",
  tag: "20",
  digest: "sha256:" + "a".repeat(64),
};

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "acrtask-base-image-"));
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

test("a push of a task's runtime base image runs the task with the image on the trigger", () => {
  // acb files `localhost:5000/base/node` under Docker Hub with the whole name as repository.
  putTask("app", [
    {
      type: "RunTime",
      registry: "registry.hub.docker.com",
      repository: "localhost:5000/base/node",
      tag: "20",
    },
  ]);
  putTask("other", [
    { type: "RunTime", registry: "registry.hub.docker.com", repository: "library/node", tag: "20" },
  ]);
  const triggers = new BaseImageTriggers({ store, now: () => new Date("2026-12-04T10:00:00Z") });

  expect(triggers.onPush(push)).toEqual(["ca1"]);

  const [run] = store.list<RunDocument>(RUN_TYPE);
  expect(run!.document.properties).toMatchObject({
    runId: "ca1",
    runType: "AutoBuild",
    task: "app",
    imageUpdateTrigger: {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: "2026-12-04T10:00:00+00:00",
      images: [
        { registry: "localhost:5000", repository: "base/node", tag: "20", digest: push.digest },
      ],
    },
  });
});

test("build-time images count only for triggers of type All; other tags never", () => {
  const buildTime = [
    {
      type: "BuildTime",
      registry: "registry.hub.docker.com",
      repository: "localhost:5000/base/node",
      tag: "20",
    },
  ];
  putTask("runtime-only", buildTime);
  putTask("all", buildTime, { status: "Enabled", baseImageTriggerType: "All" });
  putTask("disabled", buildTime, { status: "Disabled", baseImageTriggerType: "All" });
  const triggers = new BaseImageTriggers({ store });

  expect(triggers.onPush({ ...push, tag: "18" })).toEqual([]);
  expect(triggers.onPush(push)).toEqual(["ca1"]);
  expect(store.list<RunDocument>(RUN_TYPE)[0]!.document.properties.task).toBe("all");
});

test("distribution's envelopes give the manifest pushes by tag", () => {
  const envelope = {
    events: [
      {
        action: "push",
        target: { mediaType: "application/octet-stream", repository: "a", digest: "sha256:1" },
      },
      {
        action: "push",
        target: {
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          repository: "base/node",
          tag: "20",
          digest: "sha256:2",
        },
      },
      {
        action: "pull",
        target: {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          repository: "b",
          tag: "1",
        },
      },
      {
        action: "push",
        target: { mediaType: "application/vnd.oci.image.manifest.v1+json", repository: "c" },
      },
    ],
  };
  expect(pushesOf(JSON.stringify(envelope), "myregistry")).toEqual([
    { registryName: "myregistry", repository: "base/node", tag: "20", digest: "sha256:2" },
  ]);
  expect(pushesOf("not json", "myregistry")).toEqual([]);
});

test("the listener takes events only with its secret", async () => {
  const received: PushedTag[] = [];
  const listener = await listenForRegistryEvents((pushed) => received.push(pushed));
  const endpoint = listener.endpointFor("myregistry");
  const body = JSON.stringify({
    events: [
      {
        action: "push",
        target: {
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          repository: "r",
          tag: "t",
          digest: "sha256:3",
        },
      },
    ],
  });

  try {
    const forged = await fetch(endpoint.url, {
      method: "POST",
      body,
      headers: { "x-acrtask-secret": "guess" },
    });
    const genuine = await fetch(endpoint.url, { method: "POST", body, headers: endpoint.headers });

    expect([forged.status, genuine.status]).toEqual([404, 200]);
    expect(received).toEqual([
      { registryName: "myregistry", repository: "r", tag: "t", digest: "sha256:3" },
    ]);
  } finally {
    await listener.close();
  }
});
