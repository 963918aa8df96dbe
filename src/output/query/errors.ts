// Failures while a query runs. jmespath's own errors become az's "Invalid jmespath query"
// message; anything else Python raises (a TypeError comparing a string with a number, a bad
// slice step) reaches az's unexpected-error handler, so it stays a plain Error here.

import { pythonStr, stringRepr } from "../python.js";

/** A jmespath.exceptions.JMESPathError raised at evaluation time. */
export class QueryRuntimeError extends Error {}

/** What Python's `'%s' % list_of_strings` prints: `['string', 'array']`. */
function pythonListOfStrings(items: readonly string[]): string {
  return `[${items.map(stringRepr).join(", ")}]`;
}

export function invalidType(
  functionName: string,
  value: unknown,
  receivedType: string,
  expectedTypes: readonly string[],
): QueryRuntimeError {
  return new QueryRuntimeError(
    `In function ${functionName}(), invalid type for value: ${pythonStr(value)}, ` +
      `expected one of: ${pythonListOfStrings(expectedTypes)}, received: "${receivedType}"`,
  );
}

export function arityError(
  expected: number,
  actual: number,
  functionName: string,
  variadic: boolean,
): QueryRuntimeError {
  const noun = expected === 1 ? "argument" : "arguments";
  const atLeast = variadic ? "at least " : "";
  return new QueryRuntimeError(
    `Expected ${atLeast}${expected} ${noun} for function ${functionName}(), received ${actual}`,
  );
}

export function unknownFunction(functionName: string): QueryRuntimeError {
  return new QueryRuntimeError(`Unknown function: ${functionName}()`);
}

/** Python's TypeError for an ordering comparison between unrelated types. */
export function unorderable(operator: string, left: string, right: string): Error {
  return new Error(`'${operator}' not supported between instances of '${left}' and '${right}'`);
}
