// Timer triggers: a task's `timerTriggers` carry cron schedules (five fields, UTC, as ACR reads
// `--schedule "0 21 * * *"`), and each occurrence queues a run of the task with the trigger's
// name and the occurrence on it. The last moment looked at is kept in the store: occurrences
// missed while the emulator was down fire once it is back (at most one per trigger, as a
// scheduler that catches up would not flood the queue).

import { queueTriggeredRun } from "./triggered-run.js";
import { formatArmTime, TASK_TYPE, isObject } from "../resources/shapes.js";
import type { Json } from "../resources/shapes.js";
import type { ResourceStore } from "../store/types.js";

export interface TimerTriggerOptions {
  store: ResourceStore;
  now?: () => Date;
  /** Seconds between two looks; 15 by default (schedules have minute resolution). */
  intervalSeconds?: number;
}

const LAST_LOOK_TYPE = "Acrtask.Emulator/timerTriggerLastLook";

/** A parsed cron schedule: the allowed values of each field. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Cron's rule: when both day fields are restricted, either one matching is enough. */
  eitherDay: boolean;
}

const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const MONTH_NAMES = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Parses five cron fields (lists, ranges, steps, `*`, month and day names); throws on others. */
export function parseCronSchedule(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`'${expression}' is not a cron schedule of five fields.`);
  }

  const sets = fields.map((field, index) => parseField(field, index, expression));
  const daysOfWeek = new Set([...sets[4]!].map((day) => day % 7));
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek,
    eitherDay: fields[2] !== "*" && fields[4] !== "*",
  };
}

function parseField(field: string, index: number, expression: string): Set<number> {
  const [low, high] = FIELD_RANGES[index]!;
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = low;
    let to = high;
    if (range !== "*") {
      const [start, end] = range!.split("-");
      from = valueOf(start!, index);
      to = end === undefined ? (stepText === undefined ? from : high) : valueOf(end, index);
    }
    if (!Number.isInteger(step) || step < 1 || !(from >= low && to <= high && from <= to)) {
      throw new Error(`'${expression}' is not a valid cron schedule: '${field}' is out of range.`);
    }
    for (let value = from; value <= to; value += step) {
      values.add(value);
    }
  }
  return values;
}

function valueOf(text: string, index: number): number {
  const names = index === 3 ? MONTH_NAMES : index === 4 ? DAY_NAMES : [];
  const named = names.indexOf(text.toLowerCase());
  if (named >= 0) {
    return index === 3 ? named + 1 : named;
  }
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

export function matchesSchedule(schedule: CronSchedule, moment: Date): boolean {
  if (
    !schedule.minutes.has(moment.getUTCMinutes()) ||
    !schedule.hours.has(moment.getUTCHours()) ||
    !schedule.months.has(moment.getUTCMonth() + 1)
  ) {
    return false;
  }
  const dayOfMonth = schedule.daysOfMonth.has(moment.getUTCDate());
  const dayOfWeek = schedule.daysOfWeek.has(moment.getUTCDay());
  return schedule.eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
}

/** The latest whole minute in (after, upTo] that the schedule names; undefined when none. */
export function latestOccurrence(
  schedule: CronSchedule,
  after: Date,
  upTo: Date,
): Date | undefined {
  const minute = 60_000;
  const first = Math.floor(after.getTime() / minute) * minute + minute;
  // More than a year without a look: a year back is enough to find the latest occurrence.
  const start = Math.max(first, upTo.getTime() - 366 * 24 * 60 * minute);
  for (let time = Math.floor(upTo.getTime() / minute) * minute; time >= start; time -= minute) {
    if (matchesSchedule(schedule, new Date(time))) {
      return new Date(time);
    }
  }
  return undefined;
}

export class TimerTriggers {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TimerTriggerOptions) {}

  start(): void {
    const tick = () => {
      try {
        this.poll();
      } catch {
        // A broken record must not stop the schedule; the next look tries again.
      }
      this.timer = setTimeout(tick, (this.options.intervalSeconds ?? 15) * 1000);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
  }

  /** Queues a run for every trigger with an occurrence since the last look; returns run ids. */
  poll(): string[] {
    const store = this.options.store;
    const now = this.options.now?.() ?? new Date();
    const queued: string[] = [];

    for (const task of store.list<{ properties: Json }>(TASK_TYPE)) {
      const properties = task.document.properties;
      const triggers =
        isObject(properties.trigger) && Array.isArray(properties.trigger.timerTriggers)
          ? properties.trigger.timerTriggers.filter(isObject)
          : [];
      for (const trigger of triggers) {
        const recordId = `${task.id}/timerTriggerLastLook/${String(trigger.name)}`;
        const taskCreated = String(properties.creationDate ?? "");
        const record = store.get<{ at: string; taskCreated: string }>(recordId)?.document;
        const lastLook =
          record?.taskCreated === taskCreated ? new Date(record.at) : new Date(now.getTime() - 1);
        store.put({
          id: recordId,
          type: LAST_LOOK_TYPE,
          document: { at: now.toISOString(), taskCreated },
        });

        if (properties.status !== "Enabled" || trigger.status !== "Enabled") {
          continue;
        }
        let schedule: CronSchedule;
        try {
          schedule = parseCronSchedule(String(trigger.schedule ?? ""));
        } catch {
          continue;
        }
        const occurrence = latestOccurrence(schedule, lastLook, now);
        const runId =
          occurrence &&
          queueTriggeredRun(
            store,
            task.id,
            properties,
            {
              timerTrigger: {
                timerTriggerName: String(trigger.name),
                scheduleOccurrence: formatArmTime(occurrence),
              },
            },
            now,
          );
        if (runId) {
          queued.push(runId);
        }
      }
    }
    return queued;
  }
}
