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
const paths = readFileSync(join(HELP_DIR, "paths.txt"), "utf8").split("\n").filter(Boolean);

function azHelp(path: string): string {
  return readFileSync(join(HELP_DIR, `${path.replaceAll(" ", "_")}.txt`), "utf8");
}

export async function ourHelp(path: string, table?: CommandTable): Promise<string> {
  const stdout = textSink();
  const stderr = textSink();
  const rc = await main([...path.split(" "), "--help"], {
    stdout,
    stderr,
    env: {
      HOME: "/nonexistent",
      AZURE_CONFIG_DIR: "/nonexistent",
      ACRTASK_CONFIG_DIR: "/nonexistent",
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

describe("help with acrtask's command manifest", () => {
  test.each(paths)("az %s --help has az's layout", async (path) => {
    expect(helpSkeleton(await ourHelp(path))).toEqual(helpSkeleton(azHelp(path)));
  });
});
