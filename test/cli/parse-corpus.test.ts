// The parse corpus: argv cases whose stdout, stderr and exit code were captured from the real
// az 2.45 (test/fixtures/parse-corpus). The CLI core, given parsers shaped like az's, must
// reproduce every byte.

import { azShapedTable } from "./az-shaped-table.js";
import { expected, readCases, runCase, type CorpusCase } from "./corpus-harness.js";

const cases = readCases();
const table = azShapedTable();

describe("parse corpus against az 2.45, with az-shaped command specs", () => {
  test("has at least 80 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  test.each(cases.map((testCase): [string, CorpusCase] => [testCase.name, testCase]))(
    "%s",
    async (_name, testCase) => {
      const want = expected(testCase);
      const got = await runCase(testCase, table);

      expect(got.forwarded).toBe(false);
      expect(got.stdout).toBe(want.stdout);
      expect(got.rc).toBe(want.rc);
      expect(got.stderr.split("\n")[0]).toBe(want.stderr.split("\n")[0]);
      expect(got.stderr).toBe(want.stderr);
    },
  );
});
