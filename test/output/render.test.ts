// renderOutput and compileQuery as the command runner uses them. What they print is compared
// with az itself in az-captures.test.ts and corpus.test.ts; these cover the API around it.

import { CliError, UsageError } from "../../src/cli/errors.js";
import { PythonFloat, compileQuery, renderOutput } from "../../src/output/index.js";

const REFERENCE =
  "To learn more about --query, please visit: " +
  "'https://docs.microsoft.com/cli/azure/query-azure-cli'";

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("compileQuery", () => {
  test("a syntax error is az's argument error, quoted the way Python's repr quotes", () => {
    expect(() => compileQuery("[?name=='a'")).toThrow(
      new UsageError(`argument --query: invalid jmespath_type value: "[?name=='a'"`),
    );
    const error = thrownBy(() => compileQuery(""));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe("argument --query: invalid jmespath_type value: ''");
    expect((error as UsageError).extraLines).toEqual([REFERENCE]);
    expect((error as UsageError).recommend).toBe(false);
  });

  test("arity and unknown functions are only found when the query runs", () => {
    const query = compileQuery("nope(@)");
    expect(() => query.search({})).toThrow(
      new CliError("Invalid jmespath query supplied for `--query`: Unknown function: nope()"),
    );
  });

  test("a compiled query can run more than once", () => {
    const query = compileQuery("[].name");
    expect(query.search([{ name: "a" }])).toEqual(["a"]);
    expect(query.search([{ name: "b" }])).toEqual(["b"]);
    expect(query.expression).toBe("[].name");
  });
});

describe("renderOutput", () => {
  test("prints nothing for no result, a null query result or -o none", () => {
    expect(renderOutput(undefined, { output: "json" })).toBe("");
    expect(renderOutput(null, { output: "table" })).toBe("");
    expect(renderOutput({ a: 1 }, { output: "json", query: "b" })).toBe("");
    expect(renderOutput({ a: 1 }, { output: "none" })).toBe("");
  });

  test("still runs the query with -o none, so its errors surface", () => {
    expect(() => renderOutput({}, { output: "none", query: "length(`1`)" })).toThrow(CliError);
  });

  test("takes the query as text or compiled", () => {
    const value = { b: 1, a: 2 };
    expect(renderOutput(value, { output: "tsv", query: "{b: b, a: a}" })).toBe("1\t2\n");
    expect(renderOutput(value, { output: "tsv", query: compileQuery("@") })).toBe("2\t1\n");
  });

  test("adds resourceGroup before the query sees the result", () => {
    const value = {
      id: "/subscriptions/s/resourceGroups/Group/providers/Microsoft.ContainerRegistry/registries/r",
    };
    expect(renderOutput(value, { output: "tsv", query: "resourceGroup" })).toBe("Group\n");
  });

  test("uses the transformer for -o table only when no query is given", () => {
    const tableTransformer = () => [{ NAME: "from transformer" }];
    expect(renderOutput({ name: "x" }, { output: "table", tableTransformer })).toBe(
      "NAME\n----------------\nfrom transformer\n",
    );
    expect(renderOutput({ name: "x" }, { output: "table", query: "@", tableTransformer })).toBe(
      "Name\n------\nx\n",
    );
  });

  test("keeps the float-ness of integral floats", () => {
    const value = { whole: new PythonFloat(2), int: 2, half: 0.5 };
    expect(renderOutput(value, { output: "json" })).toBe(
      '{\n  "half": 0.5,\n  "int": 2,\n  "whole": 2.0\n}\n',
    );
    expect(renderOutput(value, { output: "yaml" })).toBe("half: 0.5\nint: 2\nwhole: 2.0\n");
    expect(renderOutput(value, { output: "tsv" })).toBe("0.5\t2\t2.0\n");
  });
});
