// The step graph of a task (spec: runner §4.7), from the model alone: `when: ["-"]` hangs a
// step off the root, no `when` makes it wait for the step written just above it, and listed ids
// make it wait for each of them.

import { ROOT_ID } from "../../taskfile/model.js";
import type { StepGraph, Task } from "../../taskfile/model.js";

export function stepGraphOf(task: Task): StepGraph {
  const order = task.steps.map((step) => step.id);
  const roots: string[] = [];
  const children = new Map<string, string[]>();
  const inDegree = new Map<string, number>();

  const addEdge = (from: string, to: string) => {
    if (from === ROOT_ID) {
      roots.push(to);
      return;
    }
    const list = children.get(from) ?? [];
    list.push(to);
    children.set(from, list);
    inDegree.set(to, (inDegree.get(to) ?? 0) + 1);
  };

  task.steps.forEach((step, position) => {
    inDegree.set(step.id, 0);
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

  return { order, roots, children, inDegree };
}
