// What the three triggers share: a run of a task queued by the emulator itself, with what
// started it on the run (`sourceTrigger`, `timerTrigger` or `imageUpdateTrigger`).

import { queueRun } from "../resources/run-records.js";
import type { NewRun } from "../resources/run-records.js";
import { REGISTRY_TYPE, isObject, registryRefOf } from "../resources/shapes.js";
import type { Json } from "../resources/shapes.js";
import type { ResourceStore } from "../store/types.js";

const CALLER = { name: "acrtask-emulator", type: "Application" as const };
const TASKS_SEGMENT = "/tasks/";

/** The trigger's part of a run: everything but the run type, which follows the task's step. */
export type RunTrigger = Omit<NonNullable<NewRun["trigger"]>, "runType">;

/** Queues a run of task `taskId`; returns its run id, or undefined when its registry is gone. */
export function queueTriggeredRun(
  store: ResourceStore,
  taskId: string,
  properties: Json,
  trigger: RunTrigger,
  now: Date,
): string | undefined {
  const marker = taskId.toLowerCase().lastIndexOf(TASKS_SEGMENT);
  const registry = store.get<Json>(taskId.slice(0, marker));
  if (registry?.type !== REGISTRY_TYPE) {
    return undefined;
  }

  const step = isObject(properties.step) ? properties.step : {};
  const run = queueRun(store, {
    registry: registryRefOf(registry),
    request: { type: "TaskRunRequest", taskId, isArchiveEnabled: false },
    caller: CALLER,
    now,
    task: { id: taskId, name: taskId.slice(marker + TASKS_SEGMENT.length), properties },
    trigger: { runType: step.type === "Docker" ? "AutoBuild" : "AutoRun", ...trigger },
  });
  return String(run.document.properties.runId);
}
