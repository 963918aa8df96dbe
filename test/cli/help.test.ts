// Help layout against az 2.45's (test/fixtures/help): same sections, option columns, markers,
// allowed values, defaults, example commands and blank lines; descriptions are our own.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { main } from "../../src/cli/main.js";
import type { CommandTable } from "../../src/cli/parser.js";
import { azShapedTable } from "./az-shaped-table.js";
import { textSink } from "./corpus-harness.js";
import { helpSkeleton } from "./help-skeleton.js";

const HELP_DIR = join(__dirname, "..", "fixtures", "help");
function readPaths(name: string): string[] {
  return readFileSync(join(HELP_DIR, name), "utf8").split("\n").filter(Boolean);
}

/** The acr task/taskrun/run/build paths, and the sign-in commands (login, account, cloud). */
const paths = readPaths("paths.txt");
const signInPaths = readPaths("paths-signin.txt");

function azHelp(path: string): string {
  return readFileSync(join(HELP_DIR, `${path.replaceAll(" ", "_")}.txt`), "utf8");
}

export async function ourHelp(
  path: string,
  table?: CommandTable,
  argv = [...path.split(" "), "--help"],
  env: Record<string, string> = {},
): Promise<string> {
  const stdout = textSink();
  const stderr = textSink();
  const rc = await main(argv, {
    stdout,
    stderr,
    env: {
      HOME: "/nonexistent",
      AZURE_CONFIG_DIR: "/nonexistent",
      ACRTASK_CONFIG_DIR: "/nonexistent",
      ...env,
    },
    table,
    forward: async () => {
      throw new Error(`help for '${path}' was forwarded`);
    },
  });
  expect(stderr.text).toBe("");
  expect(rc).toBe(0);
  return stdout.text;
}

/** The text without its Global Arguments section, whose descriptions are acrtask's own. */
function withoutGlobalArguments(text: string): string {
  return text.replace(/\nGlobal Arguments\n(?: {4}.*\n)+/, "\n");
}

describe("help with az-shaped command specs and az's descriptions", () => {
  const table = azShapedTable();

  test.each(paths)("az %s --help has az's layout", async (path) => {
    expect(helpSkeleton(await ourHelp(path, table))).toEqual(helpSkeleton(azHelp(path)));
  });

  test.each(paths)("az %s --help is az's text, global descriptions aside", async (path) => {
    expect(withoutGlobalArguments(await ourHelp(path, table))).toBe(
      withoutGlobalArguments(azHelp(path)),
    );
  });
});

/**
 * Where the sign-in command specs knowingly differ from az's help, as az's skeleton changes into
 * ours. Each entry must match exactly: a spec that changes (or is fixed) fails the test until the
 * entry is updated or removed.
 */
const KNOWN_SIGN_IN_DIFFERENCES: Record<string, (skeleton: string[]) => string[]> = {
  // az shows the active cloud's name as the default; the spec has a fixed text.
  "cloud show": (skeleton) =>
    skeleton.map((line) => line.replace("default=AzureCloud", "default=the active cloud")),
  "cloud update": (skeleton) =>
    skeleton.map((line) => line.replace("default=AzureCloud", "default=the active cloud")),
  "cloud list-profiles": (skeleton) =>
    skeleton.map((line) => line.replace("default=AzureCloud", "default=the active cloud")),
  // az's first example carries a sample cloud.json after the command; the spec has the command.
  "cloud register": (skeleton) => {
    const start = skeleton.findIndex((line) => line.startsWith('  ("cloud.json" supports'));
    const end = skeleton.indexOf("", start);
    return [...skeleton.slice(0, start), ...skeleton.slice(end)];
  },
  // az's command has a long summary (how to clear only the current subscription); the spec not.
  "account clear": (skeleton) => skeleton.filter((line) => line !== "note"),
};

describe("help with acrtask's command manifest", () => {
  test.each(paths)("az %s --help has az's layout", async (path) => {
    expect(helpSkeleton(await ourHelp(path))).toEqual(helpSkeleton(azHelp(path)));
  });

  test.each(signInPaths)("az %s --help has az's layout, known differences aside", async (path) => {
    const known = KNOWN_SIGN_IN_DIFFERENCES[path] ?? ((skeleton: string[]) => skeleton);
    expect(helpSkeleton(await ourHelp(path))).toEqual(known(helpSkeleton(azHelp(path))));
  });
});

describe("help reached past an unknown option", () => {
  // az builds the parsers past the option from a cut-down table: a command without its
  // arguments, a group with only the first of its commands.
  test.each([
    ["truncated_acr_task_list", ["acr", "task", "--foo", "list", "--help"]],
    ["truncated_acr_task_timer", ["acr", "task", "--foo", "timer", "--help"]],
  ])("%s", async (fixture, argv) => {
    const want = readFileSync(join(HELP_DIR, `${fixture}.txt`), "utf8");
    const got = await ourHelp(argv.join(" "), azShapedTable(), argv);
    expect(withoutGlobalArguments(got)).toBe(withoutGlobalArguments(want));
    expect(helpSkeleton(await ourHelp(argv.join(" "), undefined, argv))).toEqual(
      helpSkeleton(want),
    );
  });
});

test("help shows configured defaults and the configured output format as az does", async () => {
  const want = readFileSync(join(HELP_DIR, "configured_acr_task_list.txt"), "utf8");
  const env = {
    AZURE_DEFAULTS_ACR: "myreg",
    AZURE_DEFAULTS_GROUP: "myrg",
    AZURE_CORE_OUTPUT: "table",
  };
  const argv = ["acr", "task", "list", "--help"];
  const got = await ourHelp("acr task list", azShapedTable(), argv, env);
  expect(withoutGlobalArguments(got)).toBe(withoutGlobalArguments(want));
  expect(helpSkeleton(got)).toEqual(helpSkeleton(want));
});
