import { CliError } from "../../src/cli/errors.js";
import { waitForRunToFinish } from "../../src/logs/run-polling.js";
import { FakeClock } from "./fakes.js";

function runsWithStatuses(statuses: (string | null)[]) {
  let reads = 0;
  const getRun = async () => {
    const status = statuses[Math.min(reads, statuses.length - 1)];
    reads += 1;
    return { runId: "ca1", status, reads };
  };
  return { getRun, reads: () => reads };
}

describe("--no-logs run polling", () => {
  test("reads until a final status and returns the last run read", async () => {
    const clock = new FakeClock();
    const runs = runsWithStatuses([null, "Queued", "Running", "Running", "Succeeded"]);

    const run = await waitForRunToFinish({
      runId: "ca1",
      registryName: "myreg",
      getRun: runs.getRun,
      clock,
    });

    expect(run).toEqual({ runId: "ca1", status: "Succeeded", reads: 5 });
    expect(clock.sleeps).toEqual([1000, 1000, 2000, 2000]);
  });

  test.each(["Failed", "Canceled", "Error", "Timeout"])(
    "final status %s is az's error",
    async (status) => {
      const runs = runsWithStatuses(["Running", status]);

      const waiting = waitForRunToFinish({
        runId: "ca1",
        registryName: "myreg",
        getRun: runs.getRun,
        clock: new FakeClock(),
      });

      await expect(waiting).rejects.toThrow(CliError);
      await expect(waiting).rejects.toThrow(
        `The run with ID 'ca1' finished with unsuccessful status '${status}'. ` +
          "Show run details by 'az acr task show-run -r myreg --run-id ca1'. " +
          "Show run logs by 'az acr task logs -r myreg --run-id ca1'.",
      );
    },
  );

  test("a run already finished at the first read is not read again", async () => {
    const clock = new FakeClock();
    const runs = runsWithStatuses(["Succeeded"]);

    await waitForRunToFinish({ runId: "ca1", registryName: "myreg", getRun: runs.getRun, clock });

    expect(runs.reads()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("az's fixed 30 s wait can be asked for", async () => {
    const clock = new FakeClock();
    const runs = runsWithStatuses(["Running", "Running", "Succeeded"]);

    await waitForRunToFinish({
      runId: "ca1",
      registryName: "myreg",
      getRun: runs.getRun,
      clock,
      intervalsSeconds: [30],
    });

    expect(clock.sleeps).toEqual([30_000, 30_000]);
  });
});
