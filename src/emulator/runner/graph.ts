// The step graph of a task (spec: runner §4.7) from the model alone, for callers that pass none:
// `when: ["-"]` hangs a step off the root, no `when` makes it wait for the step written just
// above it, and listed ids make it wait for each of them. Same shape as the task file module's
// graph: the root's children under ROOT_ID, a root's in-degree 1, one edge per distinct
// dependency.

import { ROOT_ID } from "../../taskfile/model.js";
import type { StepGraph, Task } from "../../taskfile/model.js";

export function stepGraphOf(task: Task): StepGraph {
  const graph: StepGraph = {
    order: [],
    roots: [],
    children: new Map([[ROOT_ID, []]]),
    inDegree: new Map(),
  };

  const addEdge = (from: string, to: string) => {
    const children = graph.children.get(from) ?? [];
    if (children.includes(to)) {
      return;
    }
    children.push(to);
    graph.children.set(from, children);
    graph.inDegree.set(to, (graph.inDegree.get(to) ?? 0) + 1);
    if (from === ROOT_ID) {
      graph.roots.push(to);
    }
  };

  task.steps.forEach((step, position) => {
    graph.order.push(step.id);
    graph.inDegree.set(step.id, 0);
    graph.children.set(step.id, graph.children.get(step.id) ?? []);
    if (step.when.length === 1 && step.when[0] === "-") {
      addEdge(ROOT_ID, step.id);
    } else if (step.when.length === 0) {
      addEdge(position === 0 ? ROOT_ID : task.steps[position - 1].id, step.id);
    } else {
      for (const dependency of step.when) {
        addEdge(dependency, step.id);
      }
    }
  });
  return graph;
}
