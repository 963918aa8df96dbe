/** Sprig v2.22 list, dict, default, math, reflection and JSON functions. */
import { GoError, type FunctionDef } from "../exec.js";
import { deepEqual } from "../builtins.js";
import {
  GoNumber,
  compareStrings,
  formatFloat,
  goTypeName,
  hasKey,
  isGoObject,
  isMap,
  kindOf,
  newMap,
  numberValue,
  reflectKindName,
  tagGoType,
} from "../values.js";
import {
  float64Result,
  int64Result,
  listKind,
  parseInt64,
  strval,
  stringList,
  toFloat64,
  toInt64,
} from "./convert.js";
import { formatValue } from "../values.js";

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

function requireList(value: unknown, message: (kind: string) => string): unknown[] {
  const kind = listKind(value);
  if (!isList(value)) throw new GoError(message(kind));
  return value;
}

/** Sprig's empty: the zero value of its type, or an empty container. */
export function empty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (typeof value) {
    case "string":
      return value.length === 0;
    case "boolean":
      return !value;
    case "number":
      return value === 0;
  }
  if (value instanceof GoNumber) return value.value === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (isMap(value)) return Object.keys(value).length === 0;
  return false;
}

function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = value.map(deepCopy);
    const type = goTypeName(value);
    return type === "[]interface {}" ? copy : tagGoType(copy, type);
  }
  if (isMap(value)) {
    const copy = newMap();
    for (const key of Object.keys(value)) copy[key] = deepCopy(value[key]);
    const type = goTypeName(value);
    return type === "map[string]interface {}" ? copy : tagGoType(copy, type);
  }
  return value;
}

function mergeInto(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  overwrite: boolean,
): void {
  for (const key of Object.keys(src)) {
    const srcValue = src[key];
    if (srcValue === null || srcValue === undefined) continue;
    const dstHas = hasKey(dst, key) && dst[key] !== null && dst[key] !== undefined;
    if (isMap(srcValue)) {
      if (dstHas && isMap(dst[key])) {
        mergeInto(dst[key] as Record<string, unknown>, srcValue, overwrite);
      } else if (!dstHas) {
        dst[key] = srcValue;
      }
      continue;
    }
    if (overwrite || !dstHas) dst[key] = srcValue;
  }
}

// --- JSON (Go's encoding/json) -----------------------------------------------------------

function jsonString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    switch (char) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "<":
        out += "\\u003c";
        continue;
      case ">":
        out += "\\u003e";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "\u2028":
        out += "\\u2028";
        continue;
      case "\u2029":
        out += "\\u2029";
        continue;
    }
    out += code < 0x20 ? `\\u00${code.toString(16).padStart(2, "0")}` : char;
  }
  return `${out}"`;
}

function jsonFloat(value: number): string {
  if (!Number.isFinite(value)) {
    throw new GoError(`json: unsupported value: ${formatFloat(value, "g")}`);
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go writes e-7 (not e-07) in JSON, which is also how JS writes exponents.
    return value.toExponential();
  }
  return formatFloat(value, "f");
}

export function toJson(value: unknown, indent = "", prefix = ""): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return jsonString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isInteger(value) ? String(value) : jsonFloat(value);
    case "function":
      throw new GoError(`json: unsupported type: ${goTypeName(value)}`);
  }
  if (value instanceof GoNumber) {
    return value.type === "float64" ? jsonFloat(value.value) : String(value.value);
  }
  if (isGoObject(value)) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    return json ? toJson(json.call(value), indent, prefix) : "{}";
  }
  const inner = prefix + indent;
  const newline = indent ? "\n" : "";
  const colon = indent ? ": " : ":";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => inner + toJson(item, indent, inner));
    return `[${newline}${items.join(`,${newline}`)}${newline}${indent ? prefix : ""}]`;
  }
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map).sort(compareStrings);
  if (keys.length === 0) return "{}";
  const items = keys.map(
    (key) => `${inner}${jsonString(key)}${colon}${toJson(map[key], indent, inner)}`,
  );
  return `{${newline}${items.join(`,${newline}`)}${newline}${indent ? prefix : ""}}`;
}

function safeJson(value: unknown, indent: string): string {
  try {
    return toJson(value, indent);
  } catch {
    return "";
  }
}

// --- functions -------------------------------------------------------------------------

function minMax(pick: (a: number, b: number) => boolean) {
  return (first: unknown, ...rest: unknown[]): GoNumber => {
    let best = toInt64(first);
    for (const item of rest) {
      const value = toInt64(item);
      if (pick(value, best)) best = value;
    }
    return int64Result(best);
  };
}

function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

function intDivide(a: number, b: number): number {
  if (b === 0) throw new GoError("runtime error: integer divide by zero");
  return Math.trunc(a / b);
}

function round(value: unknown, places: unknown, ...options: unknown[]): GoNumber {
  const roundOn = options.length > 0 ? numberValue(options[0]) : 0.5;
  const pow = 10 ** numberValue(places);
  const digit = pow * toFloat64(value);
  const fraction = digit - Math.trunc(digit);
  const rounded = fraction >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return float64Result(rounded / pow);
}

function pickKeys(dict: unknown, keys: unknown[], keep: boolean): Record<string, unknown> {
  const map = (dict ?? {}) as Record<string, unknown>;
  const wanted = new Set(keys as string[]);
  const out = newMap();
  for (const key of Object.keys(map)) {
    if (wanted.has(key) === keep) out[key] = map[key];
  }
  return out;
}

export const collectionFunctions: Record<string, FunctionDef> = {
  // Conversions and math.
  atoi: {
    params: ["string"],
    call: (text) => {
      const value = parseInt64(text as string);
      return value ?? 0;
    },
  },
  int64: { params: ["any"], call: (value) => int64Result(toInt64(value)) },
  int: { params: ["any"], call: (value) => toInt64(value) },
  float64: { params: ["any"], call: (value) => float64Result(toFloat64(value)) },
  toDecimal: {
    params: ["any"],
    call: (value) => {
      const text = formatValue(value === undefined ? null : value, false);
      if (!/^[+-]?[0-7]+$/.test(text)) return int64Result(0);
      return int64Result(parseInt(text, 8));
    },
  },
  until: {
    params: ["int"],
    call: (count) => untilStep(0, count as number, (count as number) < 0 ? -1 : 1),
  },
  untilStep: {
    params: ["int", "int", "int"],
    call: (start, stop, step) => untilStep(start as number, stop as number, step as number),
  },
  add1: { params: ["any"], call: (value) => int64Result(toInt64(value) + 1) },
  add: {
    params: [],
    variadic: "any",
    call: (...values) =>
      int64Result(values.reduce<number>((sum, value) => sum + toInt64(value), 0)),
  },
  sub: { params: ["any", "any"], call: (a, b) => int64Result(toInt64(a) - toInt64(b)) },
  div: { params: ["any", "any"], call: (a, b) => int64Result(intDivide(toInt64(a), toInt64(b))) },
  mod: {
    params: ["any", "any"],
    call: (a, b) => {
      const divisor = toInt64(b);
      if (divisor === 0) throw new GoError("runtime error: integer divide by zero");
      return int64Result(toInt64(a) % divisor);
    },
  },
  mul: {
    params: ["any"],
    variadic: "any",
    call: (first, ...rest) =>
      int64Result(
        rest.reduce<number>((product, value) => product * toInt64(value), toInt64(first)),
      ),
  },
  biggest: { params: ["any"], variadic: "any", call: minMax((a, b) => a > b) },
  max: { params: ["any"], variadic: "any", call: minMax((a, b) => a > b) },
  min: { params: ["any"], variadic: "any", call: minMax((a, b) => a < b) },
  ceil: { params: ["any"], call: (value) => float64Result(Math.ceil(toFloat64(value))) },
  floor: { params: ["any"], call: (value) => float64Result(Math.floor(toFloat64(value))) },
  round: { params: ["any", "int"], variadic: "float64", call: round },

  // Defaults.
  default: {
    params: ["any"],
    variadic: "any",
    call: (fallback, ...given) => (given.length === 0 || empty(given[0]) ? fallback : given[0]),
  },
  empty: { params: ["any"], call: (value) => empty(value) },
  coalesce: {
    params: [],
    variadic: "any",
    call: (...values) => values.find((value) => !empty(value)) ?? null,
  },
  compact: {
    params: ["any"],
    call: (list) =>
      requireList(list, (kind) => `Cannot compact on type ${kind}`).filter((item) => !empty(item)),
  },
  deepCopy: { params: ["any"], call: (value) => deepCopy(value) },
  toJson: { params: ["any"], call: (value) => safeJson(value, "") },
  toPrettyJson: { params: ["any"], call: (value) => safeJson(value, "  ") },
  ternary: { params: ["any", "any", "bool"], call: (yes, no, condition) => (condition ? yes : no) },

  // Reflection.
  typeOf: { params: ["any"], call: (value) => goTypeName(value) },
  typeIs: { params: ["string", "any"], call: (target, value) => target === goTypeName(value) },
  typeIsLike: {
    params: ["string", "any"],
    call: (target, value) => {
      const type = goTypeName(value);
      return target === type || `*${target}` === type;
    },
  },
  kindOf: { params: ["any"], call: (value) => reflectKindName(value) },
  kindIs: { params: ["string", "any"], call: (target, value) => target === reflectKindName(value) },
  deepEqual: { params: ["any", "any"], call: (a, b) => deepEqual(a ?? null, b ?? null) },

  // Lists.
  tuple: { params: [], variadic: "any", call: (...items) => items },
  list: { params: [], variadic: "any", call: (...items) => items },
  append: {
    params: ["any", "any"],
    call: (list, value) => [...requireList(list, (kind) => `Cannot push on type ${kind}`), value],
  },
  prepend: {
    params: ["any", "any"],
    call: (list, value) => [
      value,
      ...requireList(list, (kind) => `Cannot prepend on type ${kind}`),
    ],
  },
  first: {
    params: ["any"],
    call: (list) => {
      const items = requireList(list, (kind) => `Cannot find first on type ${kind}`);
      return items.length === 0 ? null : items[0];
    },
  },
  rest: {
    params: ["any"],
    call: (list) => {
      const items = requireList(list, (kind) => `Cannot find rest on type ${kind}`);
      return items.length === 0 ? null : items.slice(1);
    },
  },
  last: {
    params: ["any"],
    call: (list) => {
      const items = requireList(list, (kind) => `Cannot find last on type ${kind}`);
      return items.length === 0 ? null : items[items.length - 1];
    },
  },
  initial: {
    params: ["any"],
    call: (list) => {
      const items = requireList(list, (kind) => `Cannot find initial on type ${kind}`);
      return items.length === 0 ? null : items.slice(0, -1);
    },
  },
  reverse: {
    params: ["any"],
    call: (list) =>
      [...requireList(list, (kind) => `Cannot find reverse on type ${kind}`)].reverse(),
  },
  uniq: {
    params: ["any"],
    call: (list) => {
      const out: unknown[] = [];
      for (const item of requireList(list, (kind) => `Cannot find uniq on type ${kind}`)) {
        if (!out.some((existing) => deepEqual(existing, item))) out.push(item);
      }
      return out;
    },
  },
  without: {
    params: ["any"],
    variadic: "any",
    call: (list, ...omit) =>
      requireList(list, (kind) => `Cannot find without on type ${kind}`).filter(
        (item) => !omit.some((unwanted) => deepEqual(unwanted, item)),
      ),
  },
  has: {
    params: ["any", "any"],
    call: (needle, haystack) => {
      if (haystack === null || haystack === undefined) return false;
      const items = requireList(haystack, (kind) => `Cannot find has on type ${kind}`);
      return items.some((item) => deepEqual(needle ?? null, item ?? null));
    },
  },
  slice: {
    params: ["any"],
    variadic: "any",
    call: (list, ...indices) => {
      const items = requireList(
        list,
        (kind) => `list should be type of slice or array but ${kind}`,
      );
      if (items.length === 0) return null;
      const start = indices.length > 0 ? toInt64(indices[0]) : 0;
      const end = indices.length < 2 ? items.length : toInt64(indices[1]);
      if (start < 0 || end > items.length || start > end) {
        throw new GoError(`reflect: slice index out of range`);
      }
      const sliced = items.slice(start, end);
      return goTypeName(items) === "[]string" ? stringList(sliced as string[]) : sliced;
    },
  },
  concat: {
    params: [],
    variadic: "any",
    call: (...lists) => {
      const out: unknown[] = [];
      for (const list of lists)
        out.push(...requireList(list, (kind) => `Cannot concat type ${kind} as list`));
      return out;
    },
  },

  // Dicts.
  dict: {
    params: [],
    variadic: "any",
    call: (...pairs) => {
      const map = newMap();
      for (let i = 0; i < pairs.length; i += 2) {
        map[strval(pairs[i])] = i + 1 < pairs.length ? pairs[i + 1] : "";
      }
      return map;
    },
  },
  set: {
    params: ["map", "string", "any"],
    call: (dict, key, value) => {
      const map = (dict ?? newMap()) as Record<string, unknown>;
      map[key as string] = value;
      return map;
    },
  },
  unset: {
    params: ["map", "string"],
    call: (dict, key) => {
      const map = (dict ?? newMap()) as Record<string, unknown>;
      delete map[key as string];
      return map;
    },
  },
  hasKey: {
    params: ["map", "string"],
    call: (dict, key) => dict !== null && hasKey(dict as Record<string, unknown>, key as string),
  },
  pluck: {
    params: ["string"],
    variadic: "map",
    call: (key, ...dicts) =>
      dicts
        .filter((dict) => dict !== null && hasKey(dict as Record<string, unknown>, key as string))
        .map((dict) => (dict as Record<string, unknown>)[key as string]),
  },
  keys: {
    params: [],
    variadic: "map",
    call: (...dicts) => stringList(dicts.flatMap((dict) => Object.keys(dict ?? {}))),
  },
  pick: {
    params: ["map"],
    variadic: "string",
    call: (dict, ...keys) => pickKeys(dict, keys, true),
  },
  omit: {
    params: ["map"],
    variadic: "string",
    call: (dict, ...keys) => pickKeys(dict, keys, false),
  },
  merge: {
    params: ["map"],
    variadic: "map",
    call: (dict, ...sources) => {
      const dst = (dict ?? newMap()) as Record<string, unknown>;
      for (const source of sources)
        if (source) mergeInto(dst, source as Record<string, unknown>, false);
      return dst;
    },
  },
  mergeOverwrite: {
    params: ["map"],
    variadic: "map",
    call: (dict, ...sources) => {
      const dst = (dict ?? newMap()) as Record<string, unknown>;
      for (const source of sources)
        if (source) mergeInto(dst, source as Record<string, unknown>, true);
      return dst;
    },
  },
  values: {
    params: ["map"],
    call: (dict) => Object.values((dict ?? {}) as Record<string, unknown>),
  },
};

export { kindOf, isList };
