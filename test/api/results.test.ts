import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import nock from "nock";

import { injectResourceGroup } from "../../src/output/global-transforms.js";
import { SUCCESSFUL_CASES } from "./cases.js";
import { stdoutJson } from "./replay.js";
import { runOperation } from "./run-operation.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("what each operation returns is what az printed", () => {
  test.each(Object.keys(SUCCESSFUL_CASES))("%s", async (name) => {
    const { operation, options, extra } = SUCCESSFUL_CASES[name];

    const outcome = await runOperation(name, operation, options, extra);

    expect(outcome.error).toBeUndefined();
    // az adds `resourceGroup` to every result it prints; the output layer does the same.
    expect(injectResourceGroup(outcome.result)).toEqual(stdoutJson(outcome.capture));
  });
});

test("every capture that printed JSON has a case", () => {
  const captures = join(__dirname, "..", "fixtures", "api", "captures");
  const printedJson = readdirSync(captures)
    .filter((file) => file.endsWith(".stdout"))
    .map((file) => file.slice(0, -".stdout".length))
    .filter((name) => readFileSync(join(captures, `${name}.rc`), "utf8").trim() === "0")
    .filter((name) => /^[[{]/.test(readFileSync(join(captures, `${name}.stdout`), "utf8")));

  expect(printedJson.sort()).toEqual(Object.keys(SUCCESSFUL_CASES).sort());
});

describe("the table captures send the same requests as their JSON twins", () => {
  test.each([
    ["02-task-list-table", "01-task-list-json"],
    ["07-identity-show-table", "identity-show"],
    ["08-timer-list-table", "timer-list"],
    ["09-credential-list-table", "credential-list"],
  ])("%s", async (name, twin) => {
    const { operation, options, extra } = SUCCESSFUL_CASES[twin];

    const outcome = await runOperation(name, operation, options, extra);

    expect(outcome.error).toBeUndefined();
  });
});
