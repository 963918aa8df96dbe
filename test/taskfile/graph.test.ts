import { StepScheduler } from "../../src/taskfile/graph.js";
import { loadTask } from "../../src/taskfile/index.js";
import type { RunValues } from "../../src/taskfile/index.js";

const run: RunValues = {
  id: "r",
  registry: "",
  date: new Date(0),
  sharedVolume: "v",
  os: "linux",
  osVersion: "",
  architecture: "amd64",
  commit: "",
  branch: "",
  repository: "",
  gitTag: "",
  triggeredBy: "",
  taskName: "",
};

async function schedulerFor(text: string) {
  const { graph } = await loadTask({ fileName: "acb.yaml", text, run });
  return new StepScheduler(graph);
}

describe("scheduling (§4.7)", () => {
  test("sequential by default: each step waits for the one written above it", async () => {
    const scheduler = await schedulerFor("steps:\n  - cmd: a\n  - cmd: b\n  - cmd: c\n");
    expect(scheduler.start()).toEqual(["acb_step_0"]);
    expect(scheduler.complete("acb_step_0")).toEqual(["acb_step_1"]);
    expect(scheduler.complete("acb_step_1")).toEqual(["acb_step_2"]);
    expect(scheduler.finished).toBe(false);
    expect(scheduler.complete("acb_step_2")).toEqual([]);
    expect(scheduler.finished).toBe(true);
  });

  test("a step waiting for two others starts after the second completes, once", async () => {
    const scheduler = await schedulerFor(
      'steps:\n  - id: a\n    cmd: x\n    when: ["-"]\n  - id: b\n    cmd: y\n    when: ' +
        '["-"]\n  - id: c\n    cmd: z\n    when: [a, b]\n  - id: d\n    cmd: w\n',
    );
    expect(scheduler.start()).toEqual(["a", "b"]);
    expect(scheduler.complete("b")).toEqual([]);
    expect(scheduler.complete("b")).toEqual([]);
    expect(scheduler.complete("a")).toEqual(["c"]);
    expect(scheduler.complete("c")).toEqual(["d"]);
  });

  test(
    "T-E6: a step without when waits only for the step above, " + "not the parallel one",
    async () => {
      const scheduler = await schedulerFor(
        'steps:\n  - build: -t a .\n    when: ["-"]\n  - build: -t b .\n    when: ["-"]\n  ' +
          "- id: hello-world\n    cmd: a\n",
      );
      expect(scheduler.start()).toEqual(["acb_step_0", "acb_step_1"]);
      expect(scheduler.complete("acb_step_1")).toEqual(["hello-world"]);
      expect(scheduler.complete("acb_step_0")).toEqual([]);
    },
  );
});
