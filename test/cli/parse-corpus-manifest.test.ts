// The parse corpus again, through acrtask's own command manifest: the specs in src/commands
// must give az's stdout, exit code and first stderr line for every case, and az's whole stderr
// apart from the example descriptions, which are written in our own words.

import { commands } from "../../src/commands/manifest.js";
import { expected, readCases, runCase, type CorpusCase } from "./corpus-harness.js";

const cases = readCases();

/**
 * Commands whose spec knowingly shows a shorter example than az: `cloud register`'s first example
 * in az carries a sample cloud.json after the command. Their example commands are not compared.
 */
const SHORTENED_EXAMPLES = ["cloud register"];

/** The stderr lines with the descriptions (and, if asked, commands) of the examples blanked. */
function withoutExampleDescriptions(stderr: string, withoutCommands: boolean): string[] {
  const lines = stderr.split("\n");
  const start = lines.indexOf("Examples from AI knowledge base:");
  if (start < 0) {
    return lines;
  }
  // The block is command, description, empty line, … then the two reference lines.
  for (let index = start + 1; index < lines.length - 3; index += 3) {
    if (withoutCommands) {
      lines[index] = "<command>";
    }
    lines[index + 1] = "<description>";
  }
  return lines;
}

function commandPath(argv: readonly string[]): string | undefined {
  for (let length = argv.length; length > 0; length -= 1) {
    const path = argv.slice(0, length).join(" ").toLowerCase();
    if (Object.hasOwn(commands, path)) {
      return path;
    }
  }
  return undefined;
}

describe("parse corpus against az 2.45, with acrtask's command manifest", () => {
  test.each(cases.map((testCase): [string, CorpusCase] => [testCase.name, testCase]))(
    "%s",
    async (_name, testCase) => {
      const want = expected(testCase);
      const got = await runCase(testCase);

      if (got.forwarded) {
        // Only a command whose run is not written yet goes to az, and only after a parse that
        // az accepted too.
        const path = commandPath(testCase.argv);
        expect(path).toBeDefined();
        expect((await commands[path as string]()).run).toBeUndefined();
        expect(want.stderr).toContain("ERROR: Please run 'az login' to setup account.\n");
        return;
      }

      expect(got.stdout).toBe(want.stdout);
      expect(got.rc).toBe(want.rc);
      expect(got.stderr.split("\n")[0]).toBe(want.stderr.split("\n")[0]);
      const shortened = SHORTENED_EXAMPLES.some((path) => testCase.argv.join(" ").startsWith(path));
      expect(withoutExampleDescriptions(got.stderr, shortened)).toEqual(
        withoutExampleDescriptions(want.stderr, shortened),
      );
    },
  );
});
