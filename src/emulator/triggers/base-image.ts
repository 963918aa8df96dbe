// Base-image triggers: a task whose build's base image is updated runs again. Each successful
// run records the task's base images (runtime and build-time) on its step, as ACR does; the
// emulated registries post their push events here (distribution's notifications), and a push
// of a tag that an enabled task depends on queues a run of that task with the pushed image on
// its `imageUpdateTrigger`. Only images in the emulated registries can trigger: nothing watches
// Docker Hub.

import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { queueTriggeredRun } from "./triggered-run.js";
import {
  formatArmTime,
  REGISTRY_TYPE,
  TASK_TYPE,
  isObject,
  registryRefOf,
} from "../resources/shapes.js";
import type { Json, RegistryRef } from "../resources/shapes.js";
import type { ResourceStore } from "../store/types.js";

/** A manifest pushed by tag to an emulated registry. */
export interface PushedTag {
  registryName: string;
  repository: string;
  tag: string;
  digest: string;
}

const DOCKER_HUB = "registry.hub.docker.com";

export class BaseImageTriggers {
  constructor(private readonly options: { store: ResourceStore; now?: () => Date }) {}

  /** Queues a run of every task that depends on the pushed tag; returns the run ids. */
  onPush(push: PushedTag): string[] {
    const store = this.options.store;
    const registry = store
      .list<Json>(REGISTRY_TYPE)
      .map(registryRefOf)
      .find((entry) => entry.name.toLowerCase() === push.registryName.toLowerCase());
    if (registry === undefined) {
      return [];
    }

    const pushedName = `${registry.loginServer}/${push.repository}`.toLowerCase();
    const queued: string[] = [];
    for (const task of store.list<{ properties: Json }>(TASK_TYPE)) {
      const properties = task.document.properties;
      const trigger = isObject(properties.trigger)
        ? properties.trigger.baseImageTrigger
        : undefined;
      const step = isObject(properties.step) ? properties.step : {};
      if (properties.status !== "Enabled" || !isObject(trigger) || trigger.status !== "Enabled") {
        continue;
      }

      const watched = (Array.isArray(step.baseImageDependencies) ? step.baseImageDependencies : [])
        .filter(isObject)
        .filter((image) => trigger.baseImageTriggerType === "All" || image.type === "RunTime");
      const matches = watched.some(
        (image) => nameOf(image) === pushedName && (image.tag ?? "latest") === push.tag,
      );
      const runId = matches && this.queue(task.id, properties, registry, push);
      if (runId) {
        queued.push(runId);
      }
    }
    return queued;
  }

  private queue(taskId: string, properties: Json, registry: RegistryRef, push: PushedTag) {
    const now = this.options.now?.() ?? new Date();
    const image = {
      registry: registry.loginServer,
      repository: push.repository,
      tag: push.tag,
      digest: push.digest,
    };
    return queueTriggeredRun(
      this.options.store,
      taskId,
      properties,
      { imageUpdateTrigger: { id: randomUUID(), timestamp: formatArmTime(now), images: [image] } },
      now,
    );
  }
}

/**
 * The name a recorded base image was written with: acb files `localhost:5000/base` under Docker
 * Hub with the whole name as its repository, and Docker Hub's official images under `library/`.
 */
function nameOf(image: Json): string {
  const registry = String(image.registry ?? "");
  const repository = String(image.repository ?? "");
  const name = registry === DOCKER_HUB ? repository : `${registry}/${repository}`;
  return name.toLowerCase();
}

export interface RegistryEventListener {
  /** Where registry `name` posts its events. */
  endpointFor(registryName: string): { name: string; url: string; headers: Record<string, string> };
  close(): Promise<void>;
}

/**
 * Receives distribution's notification envelopes on loopback; manifest pushes by tag go to
 * `onPush`. A secret header keeps other local processes from faking events.
 */
export function listenForRegistryEvents(
  onPush: (push: PushedTag) => void,
): Promise<RegistryEventListener> {
  const secret = randomUUID();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const registryName = /^\/registry-events\/([A-Za-z0-9]+)$/.exec(request.url ?? "")?.[1];
      const given = Buffer.from(String(request.headers["x-acrtask-secret"] ?? ""));
      const expected = Buffer.from(secret);
      if (
        request.method !== "POST" ||
        registryName === undefined ||
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      ) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200).end();
      for (const push of pushesOf(Buffer.concat(chunks).toString("utf8"), registryName)) {
        onPush(push);
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpointFor: (registryName) => ({
          name: "acrtask-emulator",
          url: `http://127.0.0.1:${port}/registry-events/${registryName}`,
          headers: { "X-Acrtask-Secret": secret },
        }),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The manifest pushes by tag in a notification envelope. */
export function pushesOf(body: string, registryName: string): PushedTag[] {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return [];
  }
  const events = isObject(envelope) && Array.isArray(envelope.events) ? envelope.events : [];
  return events
    .filter(isObject)
    .filter((event) => event.action === "push" && isObject(event.target))
    .map((event) => event.target as Json)
    .filter(
      (target) =>
        typeof target.tag === "string" &&
        target.tag !== "" &&
        String(target.mediaType ?? "").includes("manifest"),
    )
    .map((target) => ({
      registryName,
      repository: String(target.repository),
      tag: String(target.tag),
      digest: String(target.digest ?? ""),
    }));
}
