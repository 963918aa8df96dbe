// The step graph of a task (spec: runner §4.7) for callers that pass none: the task file
// module's graph of the task's normalised steps, without re-validating them.

import type { StepGraph, Task } from "../../taskfile/model.js";
import { graphOfSteps } from "../../taskfile/task.js";

export function stepGraphOf(task: Task): StepGraph {
  return graphOfSteps(task.steps);
}
