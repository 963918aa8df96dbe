// Help and parse errors of every acr command stay on the fast path: neither the Node API, the
// log streamer, the output layer's transformers nor an Azure SDK is loaded until a command runs.

import { main } from "../../../src/cli/main.js";

const loaded: string[] = [];

jest.mock("../../../src/api/tasks.js", () => {
  loaded.push("api/tasks");
  return jest.requireActual("../../../src/api/tasks.js");
});
jest.mock("../../../src/api/runs.js", () => {
  loaded.push("api/runs");
  return jest.requireActual("../../../src/api/runs.js");
});
jest.mock("../../../src/api/taskruns.js", () => {
  loaded.push("api/taskruns");
  return jest.requireActual("../../../src/api/taskruns.js");
});
jest.mock("../../../src/logs/index.js", () => {
  loaded.push("logs");
  return jest.requireActual("../../../src/logs/index.js");
});
jest.mock("../../../src/output/transformers.js", () => {
  loaded.push("output/transformers");
  return jest.requireActual("../../../src/output/transformers.js");
});
for (const sdk of [
  "@azure/arm-containerregistry",
  "@azure/identity",
  "@azure/core-rest-pipeline",
  "@azure/storage-blob",
]) {
  jest.mock(sdk, () => {
    loaded.push(sdk);
    return jest.requireActual(sdk);
  });
}

async function run(argv: string[]) {
  let stdout = "";
  const rc = await main(argv, {
    stdout: { isTTY: false, write: (text) => void (stdout += text) },
    stderr: { isTTY: false, write: () => undefined },
    env: {
      HOME: "/nonexistent",
      ACRTASK_CONFIG_DIR: "/nonexistent",
      AZURE_CONFIG_DIR: "/nonexistent",
    },
    forward: async () => 99,
  });
  return { rc, stdout };
}

beforeEach(() => {
  // Each test starts from an empty module registry, so what it loads is counted even when an
  // earlier test loaded the same module.
  jest.resetModules();
  loaded.length = 0;
});

test.each([
  [["acr", "task", "run", "--help"]],
  [["acr", "task", "logs", "-h"]],
  [["acr", "task", "list-runs", "--help"]],
  [["acr", "task", "show-run", "--help"]],
  [["acr", "task", "update-run", "--help"]],
  [["acr", "task", "cancel-run", "--help"]],
  [["acr", "taskrun", "list", "--help"]],
  [["acr", "taskrun", "show", "--help"]],
  [["acr", "taskrun", "delete", "--help"]],
  [["acr", "taskrun", "logs", "--help"]],
  [["acr", "run", "--help"]],
  [["acr", "build", "--help"]],
])("%j loads nothing of the API, the streamer, the transformers or an SDK", async (argv) => {
  const result = await run(argv);

  expect(result.rc).toBe(0);
  expect(result.stdout).toContain("Arguments");
  expect(loaded).toEqual([]);
});

test("a parse error of a run command loads nothing either", async () => {
  expect((await run(["acr", "task", "show-run", "-r", "myreg"])).rc).toBe(2);
  expect(loaded).toEqual([]);
});

test("running a run command loads the API it calls", async () => {
  // Without a sign-in it stops at az's login error, after loading what it needs to sign in.
  expect((await run(["acr", "task", "list-runs", "-r", "myreg", "-o", "table"])).rc).toBe(1);
  expect(loaded).toEqual(expect.arrayContaining(["api/runs", "output/transformers"]));
});

test.each([
  [["acr", "task", "create", "--help"]],
  [["acr", "task", "list", "-h"]],
  [["acr", "task", "timer", "add", "--help"]],
  [["acr", "task", "credential", "list", "--help"]],
  [["acr", "task", "identity", "show", "--help"]],
])("%j loads nothing of the API, the transformers or an SDK", async (argv) => {
  const result = await run(argv);

  expect(result.rc).toBe(0);
  expect(result.stdout).toContain("Arguments");
  expect(loaded).toEqual([]);
});

test("a parse error of a task command loads nothing either", async () => {
  expect((await run(["acr", "task", "show", "-r", "myreg"])).rc).toBe(2);
  expect(loaded).toEqual([]);
});

test("running a task command loads the API it calls", async () => {
  // Without a sign-in it stops at az's login error, after loading what it needs to sign in.
  expect((await run(["acr", "task", "list", "-r", "myreg", "-o", "table"])).rc).toBe(1);
  expect(loaded).toEqual(expect.arrayContaining(["api/tasks", "output/transformers"]));
});
