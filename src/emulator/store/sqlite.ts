// The resource store on SQLite. One table of JSON documents keyed by the lower-cased ARM id
// (ARM compares ids without regard to case) and one of named counters. WAL mode, so a reader
// never waits on the writer and a crash loses at most the transaction in flight.

import Database from "better-sqlite3";

import type { ResourceStore, StoredResource } from "./types.js";

interface ResourceRow {
  id: string;
  type: string;
  document: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS resources (
    key TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    type_key TEXT NOT NULL,
    document TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS resources_by_type ON resources (type_key, key);
  CREATE TABLE IF NOT EXISTS sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
`;

/** Opens (creating if needed) the store in the SQLite file `path`; `:memory:` for tests. */
export function openStore(path: string): ResourceStore {
  const database = new Database(path);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.exec(SCHEMA);

  const selectOne = database.prepare<[string], ResourceRow>(
    "SELECT id, type, document FROM resources WHERE key = ?",
  );
  const upsert = database.prepare<[string, string, string, string, string]>(
    `INSERT INTO resources (key, id, type, type_key, document) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET type = excluded.type, type_key = excluded.type_key,
       document = excluded.document`,
  );
  const remove = database.prepare<[string]>("DELETE FROM resources WHERE key = ?");
  const selectByType = database.prepare<[string], ResourceRow>(
    "SELECT id, type, document FROM resources WHERE type_key = ? ORDER BY key",
  );
  const selectByTypeUnder = database.prepare<[string, string, string], ResourceRow>(
    `SELECT id, type, document FROM resources
     WHERE type_key = ? AND substr(key, 1, length(?)) = ? ORDER BY key`,
  );
  const bumpSequence = database.prepare<[string], { value: number }>(
    `INSERT INTO sequences (name, value) VALUES (?, 1)
     ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
  );

  return {
    get<Document>(id: string) {
      const row = selectOne.get(id.toLowerCase());
      return row === undefined ? undefined : toResource<Document>(row);
    },

    put<Document>(resource: StoredResource<Document>) {
      const key = resource.id.toLowerCase();
      const existing = selectOne.get(key);
      const id = existing?.id ?? resource.id;
      upsert.run(
        key,
        id,
        resource.type,
        resource.type.toLowerCase(),
        JSON.stringify(resource.document),
      );
    },

    delete(id: string) {
      return remove.run(id.toLowerCase()).changes > 0;
    },

    list<Document>(type: string, parentId?: string) {
      const typeKey = type.toLowerCase();
      const rows =
        parentId === undefined
          ? selectByType.all(typeKey)
          : selectByTypeUnder.all(
              typeKey,
              `${parentId.toLowerCase()}/`,
              `${parentId.toLowerCase()}/`,
            );
      return rows.map((row) => toResource<Document>(row));
    },

    nextSequence(name: string) {
      const row = bumpSequence.get(name);
      return row?.value ?? 1;
    },

    transaction<Result>(work: () => Result): Result {
      return database.transaction(work)();
    },

    close() {
      database.close();
    },
  };
}

function toResource<Document>(row: ResourceRow): StoredResource<Document> {
  return { id: row.id, type: row.type, document: JSON.parse(row.document) as Document };
}
