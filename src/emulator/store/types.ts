// The emulator's state: ARM resources kept as JSON documents in SQLite, keyed by their ARM id
// compared without regard to case (as ARM compares ids), so a restart keeps everything.

export interface StoredResource<Document = Record<string, unknown>> {
  /** The ARM id as first created (original casing). */
  id: string;
  /** ARM type, e.g. `Microsoft.ContainerRegistry/registries/tasks`. */
  type: string;
  document: Document;
}

export interface ResourceStore {
  get<Document = Record<string, unknown>>(id: string): StoredResource<Document> | undefined;
  /** Creates or replaces the resource; keeps the original casing of an existing id. */
  put<Document = Record<string, unknown>>(resource: StoredResource<Document>): void;
  delete(id: string): boolean;
  /** Resources of `type` whose id starts with `parentId + "/"` (case-insensitive), by id. */
  list<Document = Record<string, unknown>>(
    type: string,
    parentId?: string,
  ): StoredResource<Document>[];
  /** The next value of a named counter (run ids), durable across restarts. */
  nextSequence(name: string): number;
  /** Runs `work` in one transaction. */
  transaction<Result>(work: () => Result): Result;
  close(): void;
}
