/** Go text/template's predefined functions (funcs.go). */
import { type FunctionDef, GoError } from "./exec.js";
import { sprintf } from "./fmt.js";
import {
  GoNumber,
  byteLength,
  formatValue,
  goTypeName,
  hasKey,
  isGoObject,
  isMap,
  isPrintableRune,
  kindOf,
  numberValue,
  sprint,
  sprintln,
} from "./values.js";

type BasicKind = "invalid" | "bool" | "complex" | "int" | "float" | "string" | "uint";

function basicKind(value: unknown): BasicKind {
  if (value === undefined || value === null) return "invalid";
  const kind = kindOf(value);
  switch (kind) {
    case "bool":
    case "int":
    case "float":
    case "string":
    case "uint":
      return kind;
  }
  return "invalid";
}

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";

function scalarOf(value: unknown): unknown {
  if (value instanceof GoNumber) return value.value;
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (a instanceof GoNumber && b instanceof GoNumber) return a.value === b.value;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => hasKey(b, key) && deepEqual(a[key], b[key]))
    );
  }
  if (isGoObject(a) && isGoObject(b)) return a.goString() === b.goString();
  return false;
}

export { deepEqual };

function eq(first: unknown, ...others: unknown[]): boolean {
  const arg1 = first === null ? undefined : first;
  if (others.length === 0) throw new GoError("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const other of others) {
    const arg = other === null ? undefined : other;
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) {
        truth = numberValue(arg1) === numberValue(arg);
      } else if (arg1 !== undefined && arg !== undefined) {
        throw new GoError(errBadComparison);
      }
    } else if (k1 !== "invalid") {
      truth = scalarOf(arg1) === scalarOf(arg);
    } else if (arg1 === undefined || arg === undefined) {
      truth = arg1 === arg;
    } else if (Array.isArray(arg1) || isMap(arg1) || typeof arg1 === "function") {
      throw new GoError(`non-comparable type ${formatValue(arg1, false)}: ${goTypeName(arg1)}`);
    } else {
      truth = deepEqual(arg1, arg);
    }
    if (truth) return true;
  }
  return false;
}

function lt(first: unknown, second: unknown): boolean {
  const arg1 = first === null ? undefined : first;
  const arg2 = second === null ? undefined : second;
  const k1 = basicKind(arg1);
  if (k1 === "invalid") throw new GoError(errBadComparisonType);
  const k2 = basicKind(arg2);
  if (k2 === "invalid") throw new GoError(errBadComparisonType);
  if (k1 !== k2) {
    if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) {
      return numberValue(arg1) < numberValue(arg2);
    }
    throw new GoError(errBadComparison);
  }
  if (k1 === "bool" || k1 === "complex") throw new GoError(errBadComparisonType);
  if (k1 === "string")
    return Buffer.compare(Buffer.from(arg1 as string), Buffer.from(arg2 as string)) < 0;
  return numberValue(arg1) < numberValue(arg2);
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

function length(item: unknown): number {
  if (item === null) throw new GoError("len of nil pointer");
  if (item === undefined) throw new GoError("reflect: call of reflect.Value.Type on zero Value");
  if (typeof item === "string") return byteLength(item);
  if (Array.isArray(item) || item instanceof Uint8Array) return item.length;
  if (isMap(item)) return Object.keys(item).length;
  throw new GoError(`len of type ${goTypeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  const kind = basicKind(index);
  if (index === undefined || index === null) throw new GoError("cannot index slice/array with nil");
  if (kind !== "int" && kind !== "uint") {
    throw new GoError(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  const value = numberValue(index);
  if (value < 0 || value > cap) throw new GoError(`index out of range: ${value}`);
  return value;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  let current: unknown = item === null ? undefined : item;
  if (current === undefined) throw new GoError("index of untyped nil");
  for (const rawIndex of indexes) {
    const key = rawIndex === null ? undefined : rawIndex;
    if (current === null || current === undefined) throw new GoError("index of nil pointer");
    if (typeof current === "string") {
      const bytes = Buffer.from(current, "utf8");
      const position = indexArg(key, bytes.length);
      if (position === bytes.length) throw new GoError(`index out of range: ${position}`);
      current = new GoNumber("uint8", bytes[position]);
    } else if (Array.isArray(current)) {
      const position = indexArg(key, current.length);
      if (position === current.length) throw new GoError(`index out of range: ${position}`);
      current = current[position];
    } else if (isMap(current)) {
      if (key === undefined) throw new GoError("value is nil; should be of type string");
      if (typeof key !== "string") {
        throw new GoError(`value has type ${goTypeName(key)}; should be string`);
      }
      if (hasKey(current, key)) current = current[key];
      else current = goTypeName(current) === "map[string]string" ? "" : null;
    } else {
      throw new GoError(`can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

const htmlEscapes: Record<string, string> = {
  "\0": "\ufffd",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

export function htmlEscapeString(text: string): string {
  return text.replace(/[\0"'&<>]/g, (char) => htmlEscapes[char]);
}

export function jsEscapeString(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    switch (char) {
      case "\\":
        out += "\\\\";
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case "<":
        out += "\\u003C";
        continue;
      case ">":
        out += "\\u003E";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "=":
        out += "\\u003D";
        continue;
    }
    if (code < 0x20) {
      out += `\\u00${code.toString(16).toUpperCase().padStart(2, "0")}`;
    } else if (code < 0x80 || isPrintableRune(code)) {
      out += char;
    } else {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    }
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args);
}

export const builtinFunctions: Record<string, FunctionDef> = {
  and: { params: ["value"], variadic: "value", special: "and", call: () => undefined },
  or: { params: ["value"], variadic: "value", special: "or", call: () => undefined },
  call: { params: ["value"], variadic: "value", special: "call", call: () => undefined },
  not: {
    params: ["value"],
    call: (arg) => {
      const value = arg === null ? undefined : arg;
      if (value === undefined) return true;
      if (typeof value === "boolean") return !value;
      if (typeof value === "string") return value.length === 0;
      if (typeof value === "number" || value instanceof GoNumber) return numberValue(value) === 0;
      if (Array.isArray(value)) return value.length === 0;
      if (isMap(value)) return Object.keys(value).length === 0;
      return false;
    },
  },
  len: { params: ["value"], call: length },
  index: { params: ["value"], variadic: "value", call: index },
  print: { params: [], variadic: "any", call: (...args) => sprint(args) },
  printf: {
    params: ["string"],
    variadic: "any",
    call: (format, ...args) => sprintf(format as string, args),
  },
  println: { params: [], variadic: "any", call: (...args) => sprintln(args) },
  html: { params: [], variadic: "any", call: (...args) => htmlEscapeString(evalArgs(args)) },
  js: { params: [], variadic: "any", call: (...args) => jsEscapeString(evalArgs(args)) },
  urlquery: { params: [], variadic: "any", call: (...args) => queryEscape(evalArgs(args)) },
  eq: { params: ["value"], variadic: "value", call: eq },
  ne: { params: ["value", "value"], call: (a, b) => !eq(a, b) },
  lt: { params: ["value", "value"], call: lt },
  le: { params: ["value", "value"], call: le },
  gt: { params: ["value", "value"], call: (a, b) => !le(a, b) },
  ge: { params: ["value", "value"], call: (a, b) => !lt(a, b) },
};

export { formatValue };
