// Every golden capture of az 2.45 replayed against our CLI. For each one: stdout byte for byte,
// the first line of stderr, the exit code, and the requests in order (method, URL, JSON body,
// the headers that carry meaning) must be az's. See test/fixtures/golden/PROVENANCE.md.
//
// Captures of commands that acrtask does not run yet are still replayed: until their module
// has a run, main() must hand them to the real az untouched, without a request of its own.

import { readdirSync } from "node:fs";
import { join } from "node:path";

import type { ScenarioEnvironment, ScenarioName } from "../fixtures/golden/scenarios.js";
import {
  FORWARDED,
  comparable,
  expectSameAsAz,
  loadCapture,
  normaliseRequests,
  replay,
  scenarioResponder,
  type Capture,
  type ComparableRequest,
  type Outcome,
  type Tolerances,
} from "./replay.js";

interface Case extends Tolerances {
  capture: string;
  argv: string[];
  /** Where acrtask does the right thing instead of az 2.45's (see docs/compatibility.md). */
  divergence?: Divergence;
}

interface Divergence {
  why: string;
  rc: number;
  /** Our whole stderr, given az's. */
  stderr: (azStderr: string) => string;
  stdout: (text: string) => void;
  /** Requests sent after all of az's, where az stopped and acrtask goes on. */
  furtherRequests?: ComparableRequest[];
}

const R = ["-r", "myreg"];
const ARM_TASK =
  "https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/myrg/providers/Microsoft.ContainerRegistry/registries/myreg/tasks/mytask";

/**
 * Captures of the task commands (create, show, list, update, delete, credential, timer, identity).
 */
const TASK_CASES: Case[] = [
  { capture: "01-task-list-json", argv: ["acr", "task", "list", ...R] },
  { capture: "02-task-list-table", argv: ["acr", "task", "list", ...R, "-o", "table"] },
  { capture: "03-task-list-tsv", argv: ["acr", "task", "list", ...R, "-o", "tsv"] },
  { capture: "04-task-list-yaml", argv: ["acr", "task", "list", ...R, "-o", "yaml"] },
  { capture: "05-task-list-empty-table", argv: ["acr", "task", "list", ...R, "-o", "table"] },
  {
    capture: "07-identity-show-table",
    argv: ["acr", "task", "identity", "show", "-n", "mytask", ...R, "-o", "table"],
  },
  {
    capture: "08-timer-list-table",
    argv: ["acr", "task", "timer", "list", "-n", "mytask", ...R, "-o", "table"],
  },
  {
    capture: "09-credential-list-table",
    argv: ["acr", "task", "credential", "list", "-n", "mytask", ...R, "-o", "table"],
  },
  {
    capture: "17-identity-remove-crash",
    argv: ["acr", "task", "identity", "remove", "-n", "mytask", ...R],
    divergence: {
      why:
        "az 2.45 always crashes here; acrtask removes the system-assigned identity (no " +
        "--identities) and keeps the user-assigned ones",
      rc: 0,
      stderr: () => "",
      furtherRequests: [
        {
          method: "POST",
          url: `${ARM_TASK}/listDetails?api-version=2019-06-01-preview`,
          headers: { accept: "application/json" },
          body: null,
        },
        {
          method: "PATCH",
          url: `${ARM_TASK}?api-version=2019-06-01-preview`,
          headers: { accept: "application/json", "content-type": "application/json" },
          body: { identity: { type: "UserAssigned" } },
        },
      ],
      stdout: (text) => {
        const task = JSON.parse(text) as { name: string; identity: unknown };
        expect(task.name).toBe("mytask");
      },
    },
  },
  { capture: "19-registry-not-found", argv: ["acr", "task", "list", ...R] },
  { capture: "20-registry-404-with-g", argv: ["acr", "task", "list", ...R, "-g", "badrg"] },
  { capture: "21-task-show-404-details", argv: ["acr", "task", "show", "-n", "nope", ...R] },
  {
    capture: "24-task-update-lro-output",
    argv: ["acr", "task", "update", "-n", "mytask", ...R, "--status", "Enabled"],
  },
  {
    capture: "25-task-create-body",
    argv: [
      ...["acr", "task", "create", "-n", "newtask", ...R],
      ...["-c", "https://github.com/foo/bar.git#mybranch:sub", "-f", "Dockerfile"],
      ...["-t", "img:{{.Run.ID}}", "--git-access-token", "TOKEN123"],
      ...["--arg", "A=1", "--arg", "B", "--secret-arg", "S=2"],
      ...["--schedule", "0 * * * *", "--schedule", "nightly:0 0 * * *"],
      ...["--assign-identity", "[system]"],
      "/subscriptions/x/rg/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
      ...["--platform", "Linux/ARM64/v8", "--auth-mode", "None"],
    ],
  },
];

/** Captures of the run commands (task run, logs, list-runs, taskrun, acr run, acr build). */
const RUN_CASES: Case[] = [
  {
    capture: "10-task-run-stream-ok",
    argv: ["acr", "task", "run", "-n", "mytask", ...R],
    streamsLog: true,
  },
  {
    capture: "12-task-run-no-logs",
    argv: ["acr", "task", "run", "-n", "mytask", ...R, "--no-logs"],
    pollsRun: true,
  },
  {
    capture: "14-task-run-no-wait",
    argv: ["acr", "task", "run", "-n", "mytask", ...R, "--no-wait"],
  },
  { capture: "15-list-runs-table", argv: ["acr", "task", "list-runs", ...R, "-o", "table"] },
  { capture: "16-taskrun-list-table", argv: ["acr", "taskrun", "list", ...R, "-o", "table"] },
  {
    capture: "18-build-no-logs-table-error",
    argv: ["acr", "build", ...R, "https://github.com/a/b.git", "--no-logs", "-o", "table"],
    pollsRun: true,
    divergence: {
      why: "az 2.45's build table transformer fails on every run; acrtask prints the run's table",
      rc: 0,
      stderr: (azStderr) => azStderr.replace(/^ERROR: Table output unavailable.*\n/m, ""),
      // The run table az prints for the same run (capture 15).
      stdout: (text) => expect(text).toBe(loadCapture("15-list-runs-table").stdout),
    },
  },
  {
    capture: "22-task-logs-no-format",
    argv: ["acr", "task", "logs", ...R, "--run-id", "ca1", "--no-format"],
    streamsLog: true,
  },
  { capture: "26-acr-run-local-upload", argv: ["acr", "run", ...R, "."], streamsLog: true },
  {
    capture: "27-acr-build-local",
    argv: [
      ...["acr", "build", ...R, "-t", "img:{{.Build.ID}}"],
      ...["--build-arg", "A=1", "--secret-build-arg", "S=2", "--platform", "windows", "."],
    ],
    streamsLog: true,
    // The Dockerfile's name in the request starts with a random uuid.
    varying: /[0-9a-f]{32}_/,
  },
  {
    capture: "28-logs-timeout-no-blob",
    argv: ["acr", "task", "logs", ...R, "--run-id", "ca1"],
    varying: /\d+ seconds/,
    streamsLog: true,
  },
  { capture: "30-taskrun-show-json", argv: ["acr", "taskrun", "show", ...R, "-n", "mytr"] },
];

/** Line 2 of `.cmd`: `# scenario: NAME [SWITCH=VALUE…]`. */
function scenarioOf(capture: Capture): { scenario: ScenarioName; env: ScenarioEnvironment } {
  const [, name, ...switches] = capture.scenarioLine.replace(/^#\s*/, "").trim().split(/\s+/);
  const env: ScenarioEnvironment = {};
  for (const entry of switches) {
    const separator = entry.indexOf("=");
    env[entry.slice(0, separator)] = entry.slice(separator + 1);
  }
  return { scenario: name as ScenarioName, env };
}

async function replayCase(testCase: Case): Promise<{ capture: Capture; outcome: Outcome }> {
  const capture = loadCapture(testCase.capture);
  // The table's argv is the capture's command line, split where az's shell split it.
  expect(testCase.argv.join(" ")).toBe(capture.commandLine);

  const { scenario, env } = scenarioOf(capture);
  const outcome = await replay({ argv: testCase.argv, respond: scenarioResponder(scenario, env) });
  return { capture, outcome };
}

function expectDivergence(testCase: Case, capture: Capture, outcome: Outcome): void {
  const divergence = testCase.divergence as Divergence;
  expect(outcome.stderr).toBe(divergence.stderr(capture.stderr));
  expect(outcome.rc).toBe(divergence.rc);
  expect(normaliseRequests(outcome.sent.map(comparable), testCase)).toEqual(
    normaliseRequests(
      [...capture.requests.map(comparable), ...(divergence.furtherRequests ?? [])],
      testCase,
    ),
  );
  divergence.stdout(outcome.stdout);
}

function expectAsCase(testCase: Case, capture: Capture, outcome: Outcome): void {
  expect(outcome.forwarded).toBeUndefined();
  if (testCase.divergence) {
    expectDivergence(testCase, capture, outcome);
  } else {
    expectSameAsAz(capture, outcome, testCase);
  }
}

describe("task commands: as az 2.45", () => {
  test.each(TASK_CASES.map((testCase) => [testCase.capture, testCase] as const))(
    "%s",
    async (_name, testCase) => {
      const { capture, outcome } = await replayCase(testCase);

      expectAsCase(testCase, capture, outcome);
    },
  );
});

describe("run commands: as az 2.45 once they run here, handed to az until then", () => {
  test.each(RUN_CASES.map((testCase) => [testCase.capture, testCase] as const))(
    "%s",
    async (_name, testCase) => {
      const { capture, outcome } = await replayCase(testCase);

      if (outcome.forwarded) {
        expect(outcome.forwarded).toEqual(testCase.argv);
        expect(outcome.rc).toBe(FORWARDED);
        expect(outcome.sent).toEqual([]);
        expect(outcome.stdout + outcome.stderr).toBe("");
        return;
      }
      expectAsCase(testCase, capture, outcome);
    },
  );
});

test("every capture is in one of the tables", () => {
  const names = readdirSync(join(__dirname, "..", "fixtures", "golden", "az-2.45"))
    .filter((file) => file.endsWith(".cmd"))
    .map((file) => file.slice(0, -".cmd".length));
  const tabled = [...TASK_CASES, ...RUN_CASES].map((testCase) => testCase.capture);
  expect(tabled.sort()).toEqual(names.sort());
});
