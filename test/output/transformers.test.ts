// The acr table transformers against az 2.45's own (azure.cli.command_modules.acr._format), run
// on random results by test/fixtures/output/scenarios/corpus.py: same rows, and a failure where
// az's transformer raises (which az reports as "Table output unavailable").

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { CliError } from "../../src/cli/errors.js";
import { renderOutput } from "../../src/output/index.js";
import * as transformers from "../../src/output/transformers.js";

interface TransformerCase {
  transformer: "task" | "run" | "taskRun" | "taskIdentity" | "build";
  result: unknown;
  rows?: Array<Array<[string, string]>>;
  error?: string;
}

const cases = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "output", "corpus", "transformers.json"), "utf8"),
) as TransformerCase[];

describe("transformers against az's", () => {
  test.each(cases.map((entry, index) => [index, entry.transformer, entry] as const))(
    "case %i (%s)",
    (_index, name, entry) => {
      const transform = () => transformers[name](entry.result);
      if (entry.error !== undefined) {
        expect(transform).toThrow();
        return;
      }
      expect(transform().map((row) => Object.entries(row))).toEqual(entry.rows);
    },
  );
});

describe("a failing transformer", () => {
  test("becomes az's table error, and only for -o table without a query", () => {
    const result = [{ trigger: { timerTriggers: [{ status: null }] } }];
    const render = (output: "table" | "json", query?: string) =>
      renderOutput(structuredClone(result), { output, query, tableTransformer: transformers.task });

    expect(() => render("table")).toThrow(
      new CliError(
        "Table output unavailable. Use the --query option to specify an appropriate query. " +
          "Use --debug for more info.",
      ),
    );
    expect(render("json")).toContain('"status": null');
    expect(render("table", "[].trigger.timerTriggers[].status")).toBe("\n");
  });
});
