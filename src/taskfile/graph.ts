/**
 * Walking the step graph the way acb schedules it: the root's children start together; when a
 * step completes (successfully, or failed with ignoreErrors) each dependant loses one pending
 * dependency and starts when it has none left.
 */
import type { StepGraph } from "./model.js";
import { ROOT_ID } from "./model.js";

export class StepScheduler {
  private readonly pending: Map<string, number>;
  private readonly completed = new Set<string>();

  constructor(private readonly graph: StepGraph) {
    this.pending = new Map(graph.inDegree);
  }

  /** The steps to start first (the root's children, in file order). */
  start(): string[] {
    return this.release(ROOT_ID);
  }

  /**
   * Records that `id` completed and returns the dependants that became ready, in file order. A
   * step completes once; repeating it releases nothing.
   */
  complete(id: string): string[] {
    if (this.completed.has(id)) return [];
    this.completed.add(id);
    return this.release(id);
  }

  /** True when every step of the graph has completed. */
  get finished(): boolean {
    return this.completed.size === this.graph.order.length;
  }

  private release(id: string): string[] {
    const ready: string[] = [];
    for (const child of this.graph.children.get(id) ?? []) {
      const remaining = (this.pending.get(child) ?? 0) - 1;
      this.pending.set(child, remaining);
      if (remaining === 0) ready.push(child);
    }
    return ready;
  }
}
