// The SQLite store: ids compared without regard to case, first casing kept, listing by type
// under a parent, durable counters, transactions, and everything still there after reopening.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { openStore } from "../../src/emulator/store/sqlite.js";

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "acrtask-store-"));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const REGISTRY =
  "/subscriptions/s/resourceGroups/RG/providers/Microsoft.ContainerRegistry/registries/Reg1";

test("ids match without regard to case and keep the casing they were created with", () => {
  const store = openStore(":memory:");
  store.put({ id: REGISTRY, type: "Microsoft.ContainerRegistry/registries", document: { n: 1 } });
  store.put({
    id: REGISTRY.toLowerCase(),
    type: "Microsoft.ContainerRegistry/registries",
    document: { n: 2 },
  });

  const found = store.get(REGISTRY.toUpperCase());
  expect(found).toEqual({
    id: REGISTRY,
    type: "Microsoft.ContainerRegistry/registries",
    document: { n: 2 },
  });
  expect(store.delete(REGISTRY.toUpperCase())).toBe(true);
  expect(store.delete(REGISTRY)).toBe(false);
  expect(store.get(REGISTRY)).toBeUndefined();
  store.close();
});

test("list returns one type under one parent, not under a sibling whose name extends it", () => {
  const store = openStore(":memory:");
  const type = "Microsoft.ContainerRegistry/registries/tasks";
  store.put({ id: `${REGISTRY}/tasks/b`, type, document: {} });
  store.put({ id: `${REGISTRY}/tasks/a`, type, document: {} });
  store.put({ id: `${REGISTRY}2/tasks/c`, type, document: {} });
  store.put({
    id: `${REGISTRY}/runs/cf1`,
    type: "Microsoft.ContainerRegistry/registries/runs",
    document: {},
  });

  expect(store.list(type, REGISTRY.toLowerCase()).map((item) => item.id)).toEqual([
    `${REGISTRY}/tasks/a`,
    `${REGISTRY}/tasks/b`,
  ]);
  expect(store.list(type.toUpperCase())).toHaveLength(3);
  store.close();
});

test("a transaction that throws leaves nothing behind", () => {
  const store = openStore(":memory:");
  expect(() =>
    store.transaction(() => {
      store.put({ id: "/x/1", type: "t", document: {} });
      throw new Error("stop");
    }),
  ).toThrow("stop");
  expect(store.get("/x/1")).toBeUndefined();
  store.close();
});

test("documents and counters survive closing and reopening the file", () => {
  const path = join(directory, "state.sqlite");
  const first = openStore(path);
  first.put({
    id: REGISTRY,
    type: "Microsoft.ContainerRegistry/registries",
    document: { tags: { a: "b" } },
  });
  expect(first.nextSequence("runs:reg1")).toBe(1);
  expect(first.nextSequence("runs:reg1")).toBe(2);
  expect(first.nextSequence("runs:other")).toBe(1);
  first.close();

  const second = openStore(path);
  expect(second.get(REGISTRY)?.document).toEqual({ tags: { a: "b" } });
  expect(second.nextSequence("runs:reg1")).toBe(3);
  second.close();
});
