// A ResourceStore kept in a Map, for handler tests: ids compared without regard to case, the
// original casing kept, documents copied in and out as the SQLite store serialises them.

import type { ResourceStore, StoredResource } from "../../../src/emulator/store/types.js";

export class MemoryStore implements ResourceStore {
  private readonly resources = new Map<string, StoredResource>();
  private readonly sequences = new Map<string, number>();

  get<Document = Record<string, unknown>>(id: string): StoredResource<Document> | undefined {
    const found = this.resources.get(id.toLowerCase());
    return found === undefined
      ? undefined
      : (JSON.parse(JSON.stringify(found)) as StoredResource<Document>);
  }

  put<Document = Record<string, unknown>>(resource: StoredResource<Document>): void {
    const key = resource.id.toLowerCase();
    const existing = this.resources.get(key);
    const copy = JSON.parse(JSON.stringify(resource)) as StoredResource;
    this.resources.set(key, { ...copy, id: existing?.id ?? resource.id });
  }

  delete(id: string): boolean {
    return this.resources.delete(id.toLowerCase());
  }

  list<Document = Record<string, unknown>>(
    type: string,
    parentId?: string,
  ): StoredResource<Document>[] {
    const prefix = parentId === undefined ? "" : `${parentId.toLowerCase()}/`;
    return [...this.resources.entries()]
      .filter(
        ([key, resource]) =>
          resource.type.toLowerCase() === type.toLowerCase() && key.startsWith(prefix),
      )
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([, resource]) => JSON.parse(JSON.stringify(resource)) as StoredResource<Document>);
  }

  nextSequence(name: string): number {
    const next = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, next);
    return next;
  }

  transaction<Result>(work: () => Result): Result {
    return work();
  }

  close(): void {
    this.resources.clear();
  }
}
