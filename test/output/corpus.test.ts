// Random values, tables and queries run through the Python code az 2.45 uses for `--query` and
// `-o` (see test/fixtures/output/scenarios/corpus.py): the output layer must print the same.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { CliError, UsageError } from "../../src/cli/errors.js";
import { compileQuery } from "../../src/output/index.js";
import { compactJson, formatJson } from "../../src/output/json.js";
import { autoTable, formatTableRows } from "../../src/output/table.js";
import { formatTsv } from "../../src/output/tsv.js";
import { formatYaml } from "../../src/output/yaml.js";

const CORPUS = join(__dirname, "..", "fixtures", "output", "corpus");

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(CORPUS, name), "utf8")) as T;
}

interface FormatCase {
  value: unknown;
  json: string;
  yaml: string;
  tsv: string;
}

interface TableCase {
  value: unknown;
  sortKeys: boolean;
  table?: string;
  error?: string;
}

interface QueryCase {
  expression: string;
  parseError?: true;
  queryError?: string;
  pythonError?: string;
  unprintable?: true;
  compact?: string;
  tsv?: string;
}

const formats = load<FormatCase[]>("formats.json");
const tables = load<TableCase[]>("tables.json");
const { data, queries } = load<{ data: unknown; queries: QueryCase[] }>("queries.json");

const numbered = <T>(items: T[]) => items.map((item, index) => [index, item] as const);

describe("formatters against knack, PyYAML and json", () => {
  test.each(numbered(formats))("value %i", (_index, entry) => {
    expect(formatJson(entry.value)).toBe(entry.json);
    expect(formatYaml(entry.value)).toBe(entry.yaml);
    expect(formatTsv(entry.value)).toBe(entry.tsv);
  });
});

describe("tables against knack and tabulate", () => {
  test.each(numbered(tables))("table %i", (_index, entry) => {
    const render = () => formatTableRows(autoTable(entry.value, entry.sortKeys));
    if (entry.error !== undefined) {
      expect(render).toThrow(entry.error);
    } else {
      expect(render()).toBe(entry.table);
    }
  });
});

function outcome(expression: string): Partial<QueryCase> {
  let compiled;
  try {
    compiled = compileQuery(expression);
  } catch (error) {
    if (error instanceof UsageError) {
      return { parseError: true };
    }
    throw error;
  }

  let result: unknown;
  try {
    result = compiled.search(data);
  } catch (error) {
    if (error instanceof CliError) {
      return {
        queryError: error.message.replace("Invalid jmespath query supplied for `--query`: ", ""),
      };
    }
    return { pythonError: (error as Error).message };
  }

  try {
    formatJson(result);
  } catch {
    // Plain json.dumps refuses an expression reference, as -o json does.
    return { unprintable: true };
  }
  return { compact: compactJson(result), tsv: formatTsv(result) };
}

describe("queries against jmespath 1.0.1", () => {
  test.each(queries.map((entry) => [entry.expression, entry] as const))(
    "%s",
    (expression, entry) => {
      const expected: Partial<QueryCase> = { ...entry };
      delete expected.expression;
      expect(outcome(expression)).toEqual(expected);
    },
  );
});
