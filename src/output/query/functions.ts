// JMESPath's built-in functions with jmespath 1.0.1's argument checks and Python's arithmetic,
// ordering and error messages.

import { compactJson } from "../json.js";
import {
  ExpressionReference,
  compareStrings,
  isDict,
  isFloat,
  isNumber,
  numberValue,
  pythonEquals,
  pythonFloat,
  pythonLength,
  pythonStrip,
  pythonTypeName,
  setKey,
  type PythonDict,
} from "../python.js";
import { arityError, invalidType, unknownFunction, unorderable } from "./errors.js";

interface Parameter {
  types: readonly string[];
  variadic?: boolean;
}

type Implementation = (...args: unknown[]) => unknown;

interface FunctionSpec {
  parameters: readonly Parameter[];
  run: Implementation;
}

const TYPE_TO_QUERY: Record<string, string> = {
  bool: "boolean",
  list: "array",
  dict: "object",
  NoneType: "null",
  str: "string",
  float: "number",
  int: "number",
  OrderedDict: "object",
  _Expression: "expref",
};

const QUERY_TO_TYPES: Record<string, readonly string[]> = {
  boolean: ["bool"],
  array: ["list"],
  object: ["dict", "OrderedDict"],
  null: ["NoneType"],
  string: ["str"],
  number: ["float", "int"],
  expref: ["_Expression"],
};

function queryTypeOf(value: unknown): string {
  return TYPE_TO_QUERY[pythonTypeName(value)] ?? "unknown";
}

function checkArgument(functionName: string, value: unknown, types: readonly string[]): void {
  const allowed: string[] = [];
  const allowedElements: Array<readonly string[]> = [];
  for (const type of types) {
    const [outer, element] = type.split("-", 2);
    allowed.push(...QUERY_TO_TYPES[outer]);
    if (element !== undefined) {
      allowedElements.push(QUERY_TO_TYPES[element]);
    }
  }

  const typeName = pythonTypeName(value);
  if (!allowed.includes(typeName)) {
    throw invalidType(functionName, value, queryTypeOf(value), types);
  }
  if (allowedElements.length === 0) {
    return;
  }

  const items = value as unknown[];
  let elementTypes = allowedElements[0];
  if (allowedElements.length > 1) {
    if (items.length === 0) {
      return;
    }
    // The first element decides which of the element types the rest must share.
    const first = pythonTypeName(items[0]);
    const matching = allowedElements.find((group) => group.includes(first));
    if (matching === undefined) {
      throw invalidType(functionName, items[0], first, types);
    }
    elementTypes = matching;
  }
  for (const item of items) {
    const itemType = pythonTypeName(item);
    if (!elementTypes.includes(itemType)) {
      throw invalidType(functionName, item, itemType, types);
    }
  }
}

/** Python's `a < b` for the values JMESPath lets through: numbers and strings. */
function lessThan(left: unknown, right: unknown, operator = "<"): boolean {
  if (typeof left === "string" && typeof right === "string") {
    return compareStrings(left, right) < 0;
  }
  if (isNumber(left) && isNumber(right)) {
    return numberValue(left) < numberValue(right);
  }
  throw unorderable(operator, pythonTypeName(left), pythonTypeName(right));
}

function sortValues(values: readonly unknown[], keys: readonly unknown[]): unknown[] {
  const order = values.map((_, index) => index);
  order.sort((a, b) => {
    if (lessThan(keys[a], keys[b])) {
      return -1;
    }
    return lessThan(keys[b], keys[a]) ? 1 : 0;
  });
  return order.map((index) => values[index]);
}

/** Python's min()/max() with a key: the first extreme element wins. */
function extreme(values: readonly unknown[], keys: readonly unknown[], largest: boolean): unknown {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) {
    const better = largest
      ? lessThanReversed(keys[index], keys[best])
      : lessThan(keys[index], keys[best]);
    if (better) {
      best = index;
    }
  }
  return values[best];
}

function lessThanReversed(left: unknown, right: unknown): boolean {
  if (typeof left === "string" && typeof right === "string") {
    return compareStrings(left, right) > 0;
  }
  if (isNumber(left) && isNumber(right)) {
    return numberValue(left) > numberValue(right);
  }
  throw unorderable(">", pythonTypeName(left), pythonTypeName(right));
}

function keyFunction(
  expression: ExpressionReference,
  allowedTypes: readonly string[],
  functionName: string,
): (item: unknown) => unknown {
  return (item) => {
    const key = expression.evaluate(item);
    const type = queryTypeOf(key);
    if (!allowedTypes.includes(type)) {
      throw invalidType(functionName, key, type, allowedTypes);
    }
    return key;
  };
}

function pythonSum(values: readonly unknown[]): unknown {
  let total = 0;
  let anyFloat = false;
  for (const value of values) {
    total += numberValue(value as number);
    anyFloat ||= isFloat(value);
  }
  return anyFloat ? pythonFloat(total) : total;
}

/** Python's int(text) for a str: surrounding whitespace, a sign, digits with single underscores. */
function parsePythonInt(text: string): number | undefined {
  const match = /^([-+]?)([0-9](?:_?[0-9])*)$/.exec(pythonStrip(text));
  return match ? Number(`${match[1]}${match[2].replaceAll("_", "")}`) : undefined;
}

/** Python's float(text) for a str. */
function parsePythonFloat(text: string): number | undefined {
  const stripped = pythonStrip(text);
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(stripped);
  if (special) {
    const magnitude = special[2].toLowerCase() === "nan" ? NaN : Infinity;
    return special[1] === "-" ? -magnitude : magnitude;
  }
  const digits = "[0-9](?:_?[0-9])*";
  const pattern = new RegExp(
    `^[-+]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][-+]?${digits})?$`,
  );
  return pattern.test(stripped) ? Number(stripped.replaceAll("_", "")) : undefined;
}

function toNumber(value: unknown): unknown {
  if (Array.isArray(value) || isDict(value) || typeof value === "boolean" || value === null) {
    return null;
  }
  if (isNumber(value)) {
    return value;
  }
  if (typeof value !== "string") {
    throw new Error(
      `int() argument must be a string, a bytes-like object or a real number, not ` +
        `'${pythonTypeName(value)}'`,
    );
  }
  const integer = parsePythonInt(value);
  if (integer !== undefined) {
    return integer;
  }
  const float = parsePythonFloat(value);
  return float === undefined ? null : pythonFloat(float);
}

function toInteger(value: number, functionName: "ceil" | "floor"): number {
  if (Number.isNaN(value)) {
    throw new Error("cannot convert float NaN to integer");
  }
  if (!Number.isFinite(value)) {
    throw new Error("cannot convert float infinity to integer");
  }
  return functionName === "ceil" ? Math.ceil(value) : Math.floor(value);
}

/** The pairs Python's dict.update() takes out of a value that is not a dict. */
function updatePairs(argument: unknown): Array<[unknown, unknown]> {
  if (typeof argument === "string" || Array.isArray(argument)) {
    const elements = typeof argument === "string" ? Array.from(argument) : argument;
    return elements.map((element, index) => {
      let parts: unknown[];
      if (typeof element === "string") {
        parts = Array.from(element);
      } else if (Array.isArray(element)) {
        parts = element;
      } else if (isDict(element)) {
        parts = Object.keys(element);
      } else {
        throw new Error(
          `cannot convert dictionary update sequence element #${index} to a sequence`,
        );
      }
      if (parts.length !== 2) {
        throw new Error(
          `dictionary update sequence element #${index} has length ${parts.length}; 2 is required`,
        );
      }
      return [parts[0], parts[1]];
    });
  }
  throw new Error(`'${pythonTypeName(argument)}' object is not iterable`);
}

function merge(...objects: unknown[]): PythonDict {
  const merged: PythonDict = {};
  for (const argument of objects) {
    if (isDict(argument)) {
      for (const [key, value] of Object.entries(argument)) {
        setKey(merged, key, value);
      }
      continue;
    }
    for (const [key, value] of updatePairs(argument)) {
      if (typeof key !== "string") {
        throw new Error(`unsupported key type in merge(): '${pythonTypeName(key)}'`);
      }
      setKey(merged, key, value);
    }
  }
  return merged;
}

function contains(subject: unknown, search: unknown): boolean {
  if (typeof subject === "string") {
    if (typeof search !== "string") {
      throw new Error(
        `'in <string>' requires string as left operand, not ${pythonTypeName(search)}`,
      );
    }
    return subject.includes(search);
  }
  return (subject as unknown[]).some((item) => item === search || pythonEquals(item, search));
}

function typeOf(value: unknown): string | null {
  if (value instanceof ExpressionReference) {
    return null;
  }
  return queryTypeOf(value);
}

const ANY: Parameter = { types: [] };

const FUNCTIONS: Record<string, FunctionSpec> = {
  abs: {
    parameters: [{ types: ["number"] }],
    run: (value) =>
      isFloat(value)
        ? pythonFloat(Math.abs(numberValue(value as number)))
        : Math.abs(value as number),
  },
  avg: {
    parameters: [{ types: ["array-number"] }],
    run: (values) => {
      const list = values as unknown[];
      return list.length === 0
        ? null
        : pythonFloat(numberValue(pythonSum(list) as number) / list.length);
    },
  },
  not_null: {
    parameters: [{ types: [], variadic: true }],
    run: (...values) => values.find((value) => value !== null && value !== undefined) ?? null,
  },
  to_array: { parameters: [ANY], run: (value) => (Array.isArray(value) ? value : [value]) },
  to_string: {
    parameters: [ANY],
    run: (value) => (typeof value === "string" ? value : compactJson(value)),
  },
  to_number: { parameters: [ANY], run: toNumber },
  contains: { parameters: [{ types: ["array", "string"] }, ANY], run: contains },
  length: {
    parameters: [{ types: ["string", "array", "object"] }],
    run: (value) => {
      if (typeof value === "string") {
        return pythonLength(value);
      }
      return Array.isArray(value) ? value.length : Object.keys(value as PythonDict).length;
    },
  },
  ends_with: {
    parameters: [{ types: ["string"] }, { types: ["string"] }],
    run: (text, suffix) => (text as string).endsWith(suffix as string),
  },
  starts_with: {
    parameters: [{ types: ["string"] }, { types: ["string"] }],
    run: (text, prefix) => (text as string).startsWith(prefix as string),
  },
  reverse: {
    parameters: [{ types: ["array", "string"] }],
    run: (value) =>
      typeof value === "string"
        ? Array.from(value).reverse().join("")
        : [...(value as unknown[])].reverse(),
  },
  ceil: {
    parameters: [{ types: ["number"] }],
    run: (value) => toInteger(numberValue(value as number), "ceil"),
  },
  floor: {
    parameters: [{ types: ["number"] }],
    run: (value) => toInteger(numberValue(value as number), "floor"),
  },
  join: {
    parameters: [{ types: ["string"] }, { types: ["array-string"] }],
    run: (separator, values) => (values as string[]).join(separator as string),
  },
  map: {
    parameters: [{ types: ["expref"] }, { types: ["array"] }],
    run: (expression, values) =>
      (values as unknown[]).map((item) => (expression as ExpressionReference).evaluate(item)),
  },
  max: {
    parameters: [{ types: ["array-number", "array-string"] }],
    run: (values) => {
      const list = values as unknown[];
      return list.length === 0 ? null : extreme(list, list, true);
    },
  },
  merge: { parameters: [{ types: ["object"], variadic: true }], run: merge },
  min: {
    parameters: [{ types: ["array-number", "array-string"] }],
    run: (values) => {
      const list = values as unknown[];
      return list.length === 0 ? null : extreme(list, list, false);
    },
  },
  sort: {
    parameters: [{ types: ["array-string", "array-number"] }],
    run: (values) => sortValues(values as unknown[], values as unknown[]),
  },
  sum: {
    parameters: [{ types: ["array-number"] }],
    run: (values) => pythonSum(values as unknown[]),
  },
  keys: { parameters: [{ types: ["object"] }], run: (value) => Object.keys(value as PythonDict) },
  values: {
    parameters: [{ types: ["object"] }],
    run: (value) => Object.values(value as PythonDict),
  },
  type: { parameters: [ANY], run: typeOf },
  sort_by: {
    parameters: [{ types: ["array"] }, { types: ["expref"] }],
    run: (values, expression) => {
      const list = values as unknown[];
      if (list.length === 0) {
        return list;
      }
      const reference = expression as ExpressionReference;
      const requiredType = queryTypeOf(reference.evaluate(list[0]));
      if (requiredType !== "number" && requiredType !== "string") {
        throw invalidType("sort_by", list[0], requiredType, ["string", "number"]);
      }
      const key = keyFunction(reference, [requiredType], "sort_by");
      return sortValues(list, list.map(key));
    },
  },
  min_by: {
    parameters: [{ types: ["array"] }, { types: ["expref"] }],
    run: (values, expression) => byKey(values, expression, "min_by", false),
  },
  max_by: {
    parameters: [{ types: ["array"] }, { types: ["expref"] }],
    run: (values, expression) => byKey(values, expression, "max_by", true),
  },
};

function byKey(values: unknown, expression: unknown, name: string, largest: boolean): unknown {
  const list = values as unknown[];
  const key = keyFunction(expression as ExpressionReference, ["number", "string"], name);
  if (list.length === 0) {
    return null;
  }
  // Python computes each key just before comparing it with the best so far.
  let best = list[0];
  let bestKey = key(best);
  for (const item of list.slice(1)) {
    const itemKey = key(item);
    const better = largest ? lessThanReversed(itemKey, bestKey) : lessThan(itemKey, bestKey);
    if (better) {
      best = item;
      bestKey = itemKey;
    }
  }
  return best;
}

export function callFunction(name: string, args: unknown[]): unknown {
  const spec = FUNCTIONS[name];
  if (spec === undefined || !Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
    throw unknownFunction(name);
  }

  const { parameters } = spec;
  const variadic = parameters[parameters.length - 1]?.variadic === true;
  if (variadic ? args.length < parameters.length : args.length !== parameters.length) {
    throw arityError(parameters.length, args.length, name, variadic);
  }
  parameters.forEach((parameter, index) => {
    if (parameter.types.length > 0) {
      checkArgument(name, args[index], parameter.types);
    }
  });

  return spec.run(...args);
}
