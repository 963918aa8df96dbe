// The executor's own step graph (used when the caller passes none) against the task file
// module's, on the scheduling cases of the spec (§4.7, T-E5, T-E6).

import { stepGraphOf } from "../../../src/emulator/runner/graph.js";
import { ROOT_ID } from "../../../src/taskfile/model.js";
import { taskOf } from "../../support/docker-task.js";

test("no when: the step above; when [-]: the root; listed ids: each of them (T-E6)", () => {
  const task = taskOf([
    { id: "build-a", build: "-t a .", when: ["-"] },
    { id: "build-b", build: "-t b .", when: ["-"] },
    { id: "hello-world", cmd: "a" },
    { id: "func-tests", cmd: "b" },
    { push: ["a"] },
    { id: "last", cmd: "c", when: ["build-a", "func-tests"] },
  ]);
  const graph = stepGraphOf(task);

  expect(graph.order).toEqual([
    "build-a",
    "build-b",
    "hello-world",
    "func-tests",
    "acb_step_4",
    "last",
  ]);
  expect(graph.roots).toEqual(["build-a", "build-b"]);
  expect(graph.children.get(ROOT_ID)).toEqual(["build-a", "build-b"]);
  expect(graph.children.get("build-b")).toEqual(["hello-world"]);
  expect(graph.children.get("build-a")).toEqual(["last"]);
  expect(graph.children.get("func-tests")).toEqual(["acb_step_4", "last"]);
  expect(Object.fromEntries(graph.inDegree)).toEqual({
    "build-a": 1,
    "build-b": 1,
    "hello-world": 1,
    "func-tests": 1,
    acb_step_4: 1,
    last: 2,
  });
  expect(graph.children.get("last")).toEqual([]);
});

test("a dependency listed twice is one edge", () => {
  const graph = stepGraphOf(
    taskOf([
      { id: "a", cmd: "a" },
      { id: "b", cmd: "b", when: ["a", "a"] },
    ]),
  );
  expect(graph.children.get("a")).toEqual(["b"]);
  expect(graph.inDegree.get("b")).toBe(1);
});

test("the first step without when hangs off the root", () => {
  const graph = stepGraphOf(taskOf([{ cmd: "a" }, { cmd: "b" }]));
  expect(graph.roots).toEqual(["acb_step_0"]);
  expect(graph.children.get("acb_step_0")).toEqual(["acb_step_1"]);
});
