// The output layer: `--query` and `-o json|jsonc|yaml|yamlc|table|tsv|none`, printing exactly
// what az 2.45 prints for the same data.

import type { OutputFormat } from "../cli/context.js";
import { CliError, UsageError } from "../cli/errors.js";
import { applyGlobalTransforms } from "./global-transforms.js";
import { formatJson } from "./json.js";
import { stringRepr } from "./python.js";
import { QueryRuntimeError } from "./query/errors.js";
import { visit } from "./query/interpreter.js";
import { QuerySyntaxError } from "./query/lexer.js";
import { parseQuery } from "./query/parser.js";
import { autoTable, formatTableRows } from "./table.js";
import { formatTsv } from "./tsv.js";
import { formatYaml } from "./yaml.js";

export { applyGlobalTransforms, injectResourceGroup } from "./global-transforms.js";
export { PythonFloat } from "./python.js";

const QUERY_REFERENCE =
  "To learn more about --query, please visit: " +
  "'https://docs.microsoft.com/cli/azure/query-azure-cli'";

const TABLE_UNAVAILABLE =
  "Table output unavailable. Use the --query option to specify an appropriate query. " +
  "Use --debug for more info.";

export interface CompiledQuery {
  readonly expression: string;
  /** Evaluates the query; throws CliError for the errors az reports as an invalid query. */
  search(value: unknown): unknown;
}

/** Compiles `--query`; a syntax error is az's argument error. */
export function compileQuery(text: string): CompiledQuery {
  let tree: ReturnType<typeof parseQuery>;
  try {
    tree = parseQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      throw new UsageError(
        `argument --query: invalid jmespath_type value: ${stringRepr(text)}`,
        [QUERY_REFERENCE],
        undefined,
        false,
      );
    }
    throw error;
  }

  return {
    expression: text,
    search(value) {
      try {
        return visit(tree, value);
      } catch (error) {
        if (error instanceof QueryRuntimeError) {
          throw new CliError(
            `Invalid jmespath query supplied for \`--query\`: ${error.message}`,
            1,
            [QUERY_REFERENCE],
          );
        }
        throw error;
      }
    },
  };
}

export interface RenderOptions {
  output: OutputFormat;
  /** A compiled query, or its text. */
  query?: CompiledQuery | string;
  /** The command's table transformer; used for `-o table` when no query is given. */
  tableTransformer?: (value: unknown) => Record<string, unknown>[];
}

function formatTable(result: unknown, options: RenderOptions, queryActive: boolean): string {
  const { tableTransformer } = options;
  try {
    const rows =
      tableTransformer !== undefined && !queryActive
        ? autoTable(tableTransformer(result), false)
        : autoTable(result, tableTransformer === undefined && !queryActive);
    return formatTableRows(rows);
  } catch {
    throw new CliError(TABLE_UNAVAILABLE);
  }
}

/**
 * The exact stdout text az prints for a command result (empty when it prints nothing).
 * Applies az's global result transforms to `value` in place first, as az does.
 */
export function renderOutput(value: unknown, options: RenderOptions): string {
  if (value === undefined || value === null) {
    return "";
  }

  let result: unknown = applyGlobalTransforms(value);
  const query = typeof options.query === "string" ? compileQuery(options.query) : options.query;
  if (query !== undefined) {
    result = query.search(result);
    if (result === null || result === undefined) {
      return "";
    }
  }

  switch (options.output) {
    case "json":
    case "jsonc":
      return formatJson(result);
    case "yaml":
    case "yamlc":
      return formatYaml(result);
    case "tsv":
      return formatTsv(result);
    case "table":
      return formatTable(result, options, query !== undefined);
    case "none":
      return "";
  }
}
