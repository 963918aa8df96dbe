import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { RunDocument } from "../../../src/emulator/resources/run-records.js";
import { REGISTRY_TYPE, RUN_TYPE, TASK_TYPE } from "../../../src/emulator/resources/shapes.js";
import { openStore } from "../../../src/emulator/store/sqlite.js";
import type { ResourceStore } from "../../../src/emulator/store/types.js";
import {
  TimerTriggers,
  latestOccurrence,
  matchesSchedule,
  parseCronSchedule,
} from "../../../src/emulator/triggers/timer.js";

const REGISTRY_ID =
  "/subscriptions/sub/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/myregistry";
const TASK_ID = `${REGISTRY_ID}/tasks/nightly`;

describe("cron schedules", () => {
  test.each([
    ["0 21 * * *", "2026-12-04T21:00:00Z", true],
    ["0 21 * * *", "2026-12-04T21:01:00Z", false],
    ["*/15 * * * *", "2026-12-04T10:45:00Z", true],
    ["*/15 * * * *", "2026-12-04T10:46:00Z", false],
    ["30 9 * * 1-5", "2026-12-04T09:30:00Z", true], // a Friday
    ["30 9 * * 1-5", "2026-12-05T09:30:00Z", false], // a Saturday
    ["0 0 * * sun", "2026-12-06T00:00:00Z", true],
    ["0 0 * * 7", "2026-12-06T00:00:00Z", true],
    ["0 12 1 jan,jul *", "2027-07-01T12:00:00Z", true],
    // Both day fields restricted: either one matching is enough, as in cron.
    ["0 0 13 * 5", "2026-12-04T00:00:00Z", true],
    ["0 0 13 * 5", "2026-12-13T00:00:00Z", true],
    ["0 0 13 * 5", "2026-12-12T00:00:00Z", false],
    ["5,10-12/2 * * * *", "2026-12-04T00:11:00Z", false],
    ["5,10-12/2 * * * *", "2026-12-04T00:12:00Z", true],
  ])("%s at %s: %p", (expression, moment, expected) => {
    expect(matchesSchedule(parseCronSchedule(expression), new Date(moment))).toBe(expected);
  });

  test.each(["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "*/0 * * * *", "a * * * *"])(
    "%p is refused",
    (expression) => {
      expect(() => parseCronSchedule(expression)).toThrow(expression);
    },
  );

  test("the latest occurrence in a window, or none", () => {
    const schedule = parseCronSchedule("0 * * * *");
    expect(
      latestOccurrence(
        schedule,
        new Date("2026-12-04T08:30:00Z"),
        new Date("2026-12-04T10:15:00Z"),
      ),
    ).toEqual(new Date("2026-12-04T10:00:00Z"));
    expect(
      latestOccurrence(
        schedule,
        new Date("2026-12-04T10:00:00Z"),
        new Date("2026-12-04T10:59:59Z"),
      ),
    ).toBeUndefined();
  });
});

describe("TimerTriggers", () => {
  let folder: string;
  let store: ResourceStore;
  let now: Date;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "acrtask-timer-"));
    store = openStore(join(folder, "store.sqlite"));
    store.put({
      id: REGISTRY_ID,
      type: REGISTRY_TYPE,
      document: { location: "westus", properties: { loginServer: "localhost:5000" } },
    });
    store.put({
      id: TASK_ID,
      type: TASK_TYPE,
      document: {
        properties: {
          status: "Enabled",
          creationDate: "2026-12-04T09:00:00.000000+00:00",
          step: { type: "EncodedTask", encodedTaskContent: "" },
          trigger: {
            timerTriggers: [{ name: "t1", schedule: "*/5 * * * *", status: "Enabled" }],
          },
        },
      },
    });
    now = new Date("2026-12-04T10:02:30Z");
  });

  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("each occurrence queues one run carrying the trigger and the occurrence", () => {
    const triggers = new TimerTriggers({ store, now: () => now });

    expect(triggers.poll()).toEqual([]);
    now = new Date("2026-12-04T10:04:59Z");
    expect(triggers.poll()).toEqual([]);
    now = new Date("2026-12-04T10:05:10Z");
    expect(triggers.poll()).toEqual(["ca1"]);
    now = new Date("2026-12-04T10:05:40Z");
    expect(triggers.poll()).toEqual([]);

    const [run] = store.list<RunDocument>(RUN_TYPE);
    expect(run!.document.properties).toMatchObject({
      runId: "ca1",
      runType: "AutoRun",
      task: "nightly",
      timerTrigger: { timerTriggerName: "t1", scheduleOccurrence: "2026-12-04T10:05:00+00:00" },
    });
  });

  test("occurrences missed while stopped fire once after a restart", () => {
    new TimerTriggers({ store, now: () => now }).poll();
    now = new Date("2026-12-04T11:00:30Z");

    expect(new TimerTriggers({ store, now: () => now }).poll()).toEqual(["ca1"]);
    const [run] = store.list<RunDocument>(RUN_TYPE);
    expect(run!.document.properties.timerTrigger).toEqual({
      timerTriggerName: "t1",
      scheduleOccurrence: "2026-12-04T11:00:00+00:00",
    });
  });

  test("a disabled trigger or task fires nothing", () => {
    const task = store.get<{ properties: Record<string, unknown> }>(TASK_ID)!;
    task.document.properties.status = "Disabled";
    store.put(task);
    const triggers = new TimerTriggers({ store, now: () => now });
    triggers.poll();
    now = new Date("2026-12-04T10:05:10Z");

    expect(triggers.poll()).toEqual([]);
  });
});
