import nock from "nock";

import {
  addTaskTimer,
  listTaskTimers,
  removeTaskTimer,
  updateTaskTimer,
} from "../../src/api/task-timers.js";
import { expectAzError, runOperation } from "./run-operation.js";

jest.mock("../../src/api/shape.js", () => ({
  azShape: (schema: string, wire: unknown) => ({ schema, wire }),
}));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const mytask = { registry: "myreg", name: "mytask" };

describe("task timer list", () => {
  test("the timers of listDetails", async () => {
    const outcome = await runOperation("timer-list", listTaskTimers, mytask);

    const task = outcome.capture.answers[2].body as {
      properties: { trigger: { timerTriggers: unknown[] } };
    };
    expect(outcome.result).toEqual(
      task.properties.trigger.timerTriggers.map((wire) => ({ schema: "TimerTrigger", wire })),
    );
  });

  test("{} for a task without a trigger object", async () => {
    const outcome = await runOperation("timer-list-notrigger", listTaskTimers, mytask);

    expect(outcome.result).toEqual(JSON.parse(outcome.capture.stdout));
  });

  test("nothing for a trigger object without timers", async () => {
    const outcome = await runOperation("timer-list-notimers", listTaskTimers, mytask);

    expect(outcome.capture.stdout).toBe("");
    expect(outcome.result).toBeUndefined();
  });
});

describe("task timer add and update", () => {
  test.each([
    ["timer-add", addTaskTimer, { timerName: "t2", schedule: "0 12 * * *" }],
    [
      "timer-add-disabled",
      addTaskTimer,
      { timerName: "t3", schedule: "1 1 * * *", enabled: false },
    ],
    ["timer-update-schedule", updateTaskTimer, { timerName: "t1", schedule: "5 5 * * *" }],
    ["timer-update-enabled", updateTaskTimer, { timerName: "t1", enabled: true }],
  ] as const)("%s sends az's PATCH and returns the task", async (name, operation, options) => {
    const outcome = await runOperation(name, operation, { ...mytask, ...options } as never);

    expect(outcome.result).toEqual({
      schema: "TaskFromInitialResponse",
      wire: outcome.capture.answers[2].body,
    });
  });
});

describe("task timer remove (the whole task PUT back)", () => {
  test(
    "secrets and identity re-sent, read-only fields dropped " + "(capture timer-remove)",
    async () => {
      const outcome = await runOperation("timer-remove", removeTaskTimer, {
        ...mytask,
        timerName: "t1",
      });

      expect(outcome.result).toEqual({
        schema: "TaskFromInitialResponse",
        wire: outcome.capture.answers[3].body,
      });
    },
  );

  test("unknown keys of the task are not sent back", async () => {
    const outcome = await runOperation("timer-remove-unknown-keys", removeTaskTimer, {
      ...mytask,
      timerName: "t1",
    });

    expect(outcome.error).toBeUndefined();
  });

  test.each([
    "timer-remove-missing",
    "timer-remove-notrigger",
    "timer-remove-notimers",
    "timer-remove-invalid-noschedule",
    "timer-remove-invalid-nodockerfile",
    "timer-remove-invalid-lowtimeout",
    "timer-remove-invalid-notype",
  ])("%s: az's error (msrest's checks for the PUT included)", async (name) => {
    const outcome = await runOperation(name, removeTaskTimer, {
      ...mytask,
      timerName: name === "timer-remove-missing" ? "nope" : "t1",
    });

    expectAzError(outcome);
  });
});
