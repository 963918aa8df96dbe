// Help and parse errors stay on the fast path: they never load the output layer or an Azure
// SDK. A command's result (or a --query) loads the output layer.

import { main } from "../../src/cli/main.js";
import { azShapedTable } from "./az-shaped-table.js";
import { textSink } from "./corpus-harness.js";

const loaded: string[] = [];

jest.mock("../../src/cli/output-loader.js", () => ({
  loadQueryCompiler: async () => {
    loaded.push("query compiler");
    return () => ({});
  },
  loadRenderer: async () => {
    loaded.push("renderer");
    return (value: unknown) => `${JSON.stringify(value)}\n`;
  },
}));
for (const sdk of ["@azure/arm-containerregistry", "@azure/identity", "@azure/storage-blob"]) {
  jest.mock(sdk, () => {
    loaded.push(sdk);
    return {};
  });
}

async function run(argv: string[]) {
  const table = azShapedTable();
  const original = table.commands["acr task list-runs"];
  table.commands["acr task list-runs"] = async () => ({
    ...(await original()),
    run: async () => [{ runId: "ca1" }],
  });
  const stdout = textSink();
  const rc = await main(argv, {
    stdout,
    stderr: textSink(),
    env: {
      HOME: "/nonexistent",
      AZURE_CONFIG_DIR: "/nonexistent",
      ACRTASK_CONFIG_DIR: "/nonexistent",
    },
    table,
    forward: async () => 0,
  });
  return { rc, stdout: stdout.text };
}

beforeEach(() => {
  loaded.length = 0;
});

test("help loads nothing beyond the command's module", async () => {
  expect((await run(["acr", "task", "list-runs", "--help"])).rc).toBe(0);
  expect(loaded).toEqual([]);
});

test("a parse error loads nothing beyond the command's module", async () => {
  expect((await run(["acr", "task", "list-runs", "--run-status", "x"])).rc).toBe(2);
  expect(loaded).toEqual([]);
});

test("a result loads the output layer and nothing else", async () => {
  const result = await run(["acr", "task", "list-runs", "-r", "r", "--query", "[0]"]);
  expect(result).toEqual({ rc: 0, stdout: '[{"runId":"ca1"}]\n' });
  expect(loaded).toEqual(["query compiler", "renderer"]);
});
