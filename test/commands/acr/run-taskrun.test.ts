// `az acr taskrun list | show | delete | logs` (a preview group) through the CLI, replayed from
// az 2.45's runs of them.

import { Readable } from "node:stream";

import { expectSameAsAz, loadRunCapture, replayAnswers, replayRunCapture } from "./run-replay.js";

const TASKRUN = ["acr", "taskrun"];
const R = ["-r", "myreg"];

test.each([
  ["16-taskrun-list-table", [...TASKRUN, "list", ...R, "-o", "table"]],
  ["taskrun-list", [...TASKRUN, "list", ...R]],
  ["taskrun-classic", [...TASKRUN, "list", ...R]],
  ["30-taskrun-show-json", [...TASKRUN, "show", ...R, "-n", "mytr"]],
  ["taskrun-show-not-found", [...TASKRUN, "show", ...R, "-n", "nope"]],
  ["taskrun-delete", [...TASKRUN, "delete", ...R, "-n", "mytr", "-y"]],
  ["taskrun-delete-not-found", [...TASKRUN, "delete", ...R, "-n", "nope", "-y"]],
  // The run's log, whatever became of the run.
  ["taskrun-logs", [...TASKRUN, "logs", ...R, "-n", "mytr"]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayRunCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});

test("show -o table: az's task run table", async () => {
  // Capture 16 is az's table of the same task run, listed.
  const table = loadRunCapture("16-taskrun-list-table").stdout;

  const outcome = await replayAnswers(loadRunCapture("30-taskrun-show-json"), {
    argv: [...TASKRUN, "show", ...R, "-n", "mytr", "-o", "table"],
  });

  expect(outcome.stdout).toBe(table);
  expect(outcome.rc).toBe(0);
});

test("--only-show-errors: no preview notice", async () => {
  const capture = loadRunCapture("taskrun-list");

  const outcome = await replayAnswers(capture, {
    argv: [...TASKRUN, "list", ...R, "--only-show-errors"],
  });

  expect(outcome.stderr).toBe("");
  expect(outcome.stdout).toBe(capture.stdout);
});

describe("delete's confirmation", () => {
  const stdin = Object.getOwnPropertyDescriptor(process, "stdin");

  /** Standard input as a terminal on which the user types `lines`, or as no terminal at all. */
  function standardInput(terminal: boolean, lines: string[] = []): void {
    const input = Readable.from(lines.map((line) => `${line}\n`));
    Object.defineProperty(input, "isTTY", { value: terminal });
    Object.defineProperty(process, "stdin", { value: input, configurable: true });
  }

  afterEach(() => {
    if (stdin) {
      Object.defineProperty(process, "stdin", stdin);
    }
  });

  test("no terminal: az's error after the registry lookup, nothing deleted", async () => {
    standardInput(false);

    const { capture, outcome } = await replayRunCapture("taskrun-delete-no-tty", {
      argv: [...TASKRUN, "delete", ...R, "-n", "mytr"],
    });

    expectSameAsAz(capture, outcome);
  });

  test("on a terminal az's prompt is asked on stdout until the answer is y or n", async () => {
    standardInput(true, ["maybe", "Y"]);
    const capture = loadRunCapture("taskrun-delete");

    const outcome = await replayAnswers(capture, {
      argv: [...TASKRUN, "delete", ...R, "-n", "mytr"],
    });

    const prompt = "Are you sure you want to delete the taskrun 'mytr'  (y/n): ";
    expect(outcome.stderr).toBe(capture.stderr);
    expect(outcome.stdout).toBe(prompt + prompt);
    expect(outcome.rc).toBe(0);
    expect(outcome.unusedAnswers).toBe(0);
  });

  test.each([[["n"]], [[]]])("%j cancels: az's message, nothing deleted", async (lines) => {
    standardInput(true, lines);
    const capture = loadRunCapture("taskrun-delete");

    const outcome = await replayAnswers(capture, {
      argv: [...TASKRUN, "delete", ...R, "-n", "mytr"],
    });

    expect(outcome.stderr).toContain("ERROR: Operation cancelled.\n");
    expect(outcome.rc).toBe(1);
    expect(outcome.sent.some((request) => request.method === "DELETE")).toBe(false);
  });
});
