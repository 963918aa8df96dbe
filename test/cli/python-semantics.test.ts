// The ports of Python behaviour az's messages and help depend on, checked against outputs of
// Python 3.11 itself (test/fixtures/parse-corpus/python, made by generate.py there).

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { getCloseMatches, similarityRatio } from "../../src/cli/difflib.js";
import { parsePythonInt, pythonRepr, pythonStrip } from "../../src/cli/python-compat.js";
import { fill } from "../../src/cli/textwrap.js";

interface Semantics {
  close: {
    word: string;
    possibilities: string[];
    cutoff: number;
    result: string[];
    ratio?: number;
  }[];
  wrap: { text: string; width: number; initial: string; subsequent: string; result: string }[];
  ints: { text: string; value: number | null }[];
  reprs: { text: string; result: string }[];
}

const semantics = JSON.parse(
  readFileSync(
    join(__dirname, "..", "fixtures", "parse-corpus", "python", "python-semantics.json"),
    "utf8",
  ),
) as Semantics;

describe("difflib", () => {
  test.each(semantics.close.map((entry, index) => [index, entry] as const))(
    "get_close_matches case %i",
    (_index, entry) => {
      expect(getCloseMatches(entry.word, entry.possibilities, 3, entry.cutoff)).toEqual(
        entry.result,
      );
      if (entry.ratio !== undefined) {
        expect(similarityRatio(entry.possibilities[0], entry.word)).toBe(entry.ratio);
      }
    },
  );

  test("ties keep the larger string first, as heapq.nlargest on (score, word) does", () => {
    expect(getCloseMatches("ab", ["ac", "ad", "aa"], 3, 0.5)).toEqual(["ad", "ac", "aa"]);
  });
});

describe("textwrap", () => {
  test.each(semantics.wrap.map((entry, index) => [index, entry] as const))(
    "fill case %i",
    (_index, entry) => {
      expect(
        fill(entry.text, {
          width: entry.width,
          initialIndent: entry.initial,
          subsequentIndent: entry.subsequent,
        }),
      ).toBe(entry.result);
    },
  );
});

describe("int()", () => {
  test.each(
    semantics.ints.map((entry) => [JSON.stringify(entry.text).slice(0, 40), entry] as const),
  )("%s", (_label, entry) => {
    expect(parsePythonInt(entry.text) ?? null).toBe(entry.value);
  });
});

describe("repr()", () => {
  test.each(semantics.reprs.map((entry) => [JSON.stringify(entry.text), entry] as const))(
    "%s",
    (_label, entry) => {
      expect(pythonRepr(entry.text)).toBe(entry.result);
    },
  );
});

describe("str.strip()", () => {
  test("strips Unicode whitespace but not zero-width spaces", () => {
    expect(pythonStrip("\u00a0\u3000 x y \t\u2029")).toBe("x y");
    expect(pythonStrip("\u200bx")).toBe("\u200bx");
  });
});
