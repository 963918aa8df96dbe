// Python value semantics the output layer reproduces: az renders results with Python's str(),
// repr(), json and ordering rules, so the same JSON-able data must print the same way here.
//
// Data model: az-shaped values are plain objects, arrays, strings, numbers, booleans and null.
// A JavaScript number that is a safe integer stands for a Python int; any other number stands
// for a Python float (an integral value beyond 2^53 cannot have been an exact int, so it is read
// as a float such as 1e+300). A float whose value happens to be a safe integer (2.0, from avg()
// or a `2.0` literal in a query) is boxed in a PythonFloat so that it still prints as `2.0`.

/** A Python float whose value is integral (`2.0`), which a bare JS number would print as `2`. */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** The result of `&expression` in a query: a value az can hold but not print. */
export class ExpressionReference {
  constructor(readonly evaluate: (value: unknown) => unknown) {}
}

/**
 * Objects built by a query's multi-select hash. az builds them as OrderedDict, which keeps
 * query order in tsv and table output, compares order-sensitively, and makes `-o yaml` round-trip
 * the result through JSON. Every other object is a plain Python dict.
 */
const orderedDicts = new WeakSet<object>();

export function markOrdered<T extends object>(value: T): T {
  orderedDicts.add(value);
  return value;
}

export function isOrderedDict(value: unknown): boolean {
  return typeof value === "object" && value !== null && orderedDicts.has(value);
}

export type PythonDict = Record<string, unknown>;

export function isDict(value: unknown): value is PythonDict {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  if (value instanceof PythonFloat || value instanceof ExpressionReference) {
    return false;
  }
  // Compared by tag rather than prototype, so that objects from another realm count too.
  return Object.prototype.toString.call(value) === "[object Object]";
}

export function isNumber(value: unknown): value is number | PythonFloat {
  return typeof value === "number" || value instanceof PythonFloat;
}

export function isFloat(value: unknown): boolean {
  return (
    value instanceof PythonFloat || (typeof value === "number" && !Number.isSafeInteger(value))
  );
}

export function numberValue(value: number | PythonFloat): number {
  return typeof value === "number" ? value : value.value;
}

/** A Python float with value `n`, boxed when a bare number would read as an int. */
export function pythonFloat(n: number): number | PythonFloat {
  return Number.isSafeInteger(n) ? new PythonFloat(n) : n;
}

/** Adds `key` as an own property even when it is `__proto__`. */
export function setKey(target: PythonDict, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

export function hasKey(target: PythonDict, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** Python's type(value).__name__ for the values the output layer handles. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) {
    return "NoneType";
  }
  if (typeof value === "boolean") {
    return "bool";
  }
  if (typeof value === "string") {
    return "str";
  }
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? "int" : "float";
  }
  if (value instanceof PythonFloat) {
    return "float";
  }
  if (Array.isArray(value)) {
    return "list";
  }
  if (value instanceof ExpressionReference) {
    return "_Expression";
  }
  return isOrderedDict(value) ? "OrderedDict" : "dict";
}

// Python's str.isspace() characters: what strip(), lstrip() and rstrip() remove.
const PYTHON_WHITESPACE = new Set(
  Array.from(
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" +
      "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
  ),
);

export function pythonLstrip(text: string): string {
  let start = 0;
  while (start < text.length && PYTHON_WHITESPACE.has(text[start])) {
    start += 1;
  }
  return text.slice(start);
}

export function pythonRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && PYTHON_WHITESPACE.has(text[end - 1])) {
    end -= 1;
  }
  return text.slice(0, end);
}

export function pythonStrip(text: string): string {
  return pythonLstrip(pythonRstrip(text));
}

/** Python's str.splitlines(): every line boundary Python knows, no trailing empty line. */
export function pythonSplitlines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    if (LINE_BOUNDARIES.has(character)) {
      lines.push(text.slice(start, index));
      index += character === "\r" && text[index + 1] === "\n" ? 2 : 1;
      start = index;
    } else {
      index += 1;
    }
  }
  if (start < text.length) {
    lines.push(text.slice(start));
  }
  return lines;
}

const LINE_BOUNDARIES = new Set(Array.from("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"));

/** Number of code points, which is what Python's len() counts. */
export function pythonLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
      }
    }
    length += 1;
  }
  return length;
}

/** Pads with spaces to `width` code points, as Python's str.ljust does. */
export function pythonLjust(text: string, width: number): string {
  const missing = width - pythonLength(text);
  return missing > 0 ? text + " ".repeat(missing) : text;
}

// UTF-16 order differs from code-point order only between surrogates and U+E000..U+FFFF;
// shifting those two ranges past each other restores code-point order.
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) {
    return unit + 0x2000;
  }
  if (unit >= 0xe000) {
    return unit - 0x800;
  }
  return unit;
}

/** Compares strings by code point, as Python does. */
export function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a !== b) {
      return codePointRank(a) - codePointRank(b);
    }
  }
  return left.length - right.length;
}

export function sortedKeys(dict: PythonDict): string[] {
  return Object.keys(dict).sort(compareStrings);
}

/** repr() of a Python float: shortest round-trip digits, exponent outside 1e-4..1e16. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) {
    return "nan";
  }
  if (!Number.isFinite(n)) {
    return n > 0 ? "inf" : "-inf";
  }
  if (n === 0) {
    return Object.is(n, -0) ? "-0.0" : "0.0";
  }

  const [mantissa, exponentText] = n.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";

  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exponentSign = exponent < 0 ? "-" : "+";
    return `${sign}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) {
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  if (digits.length <= exponent + 1) {
    return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** str() of a number: ints print every digit, floats as repr(). */
export function numberText(value: number | PythonFloat): string {
  if (value instanceof PythonFloat) {
    return floatRepr(value.value);
  }
  if (Number.isSafeInteger(value)) {
    return BigInt(value).toString();
  }
  return floatRepr(value);
}

// Python's str.isprintable() is false for these categories (the space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hexEscape(codePoint: number): string {
  if (codePoint < 0x100) {
    return `\\x${codePoint.toString(16).padStart(2, "0")}`;
  }
  if (codePoint < 0x10000) {
    return `\\u${codePoint.toString(16).padStart(4, "0")}`;
  }
  return `\\U${codePoint.toString(16).padStart(8, "0")}`;
}

/** repr() of a Python str. */
export function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = "";
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character === quote || character === "\\") {
      body += `\\${character}`;
    } else if (character === "\t") {
      body += "\\t";
    } else if (character === "\n") {
      body += "\\n";
    } else if (character === "\r") {
      body += "\\r";
    } else if (character !== " " && NON_PRINTABLE.test(character)) {
      body += hexEscape(codePoint);
    } else {
      body += character;
    }
  }
  return quote + body + quote;
}

/** repr() of a value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) {
    return "None";
  }
  if (typeof value === "boolean") {
    return value ? "True" : "False";
  }
  if (typeof value === "string") {
    return stringRepr(value);
  }
  if (isNumber(value)) {
    return numberText(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pythonRepr).join(", ")}]`;
  }
  if (value instanceof ExpressionReference) {
    return "<jmespath.visitor._Expression object>";
  }
  if (isDict(value)) {
    const entries = Object.entries(value);
    if (isOrderedDict(value)) {
      if (entries.length === 0) {
        return "OrderedDict()";
      }
      const pairs = entries.map(([key, item]) => `(${stringRepr(key)}, ${pythonRepr(item)})`);
      return `OrderedDict([${pairs.join(", ")}])`;
    }
    return `{${entries.map(([key, item]) => `${stringRepr(key)}: ${pythonRepr(item)}`).join(", ")}}`;
  }
  return String(value);
}

/** str() of a value. */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

/** Python truthiness. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) {
    return false;
  }
  if (value === true) {
    return true;
  }
  if (typeof value === "string") {
    return value.length > 0;
  }
  if (isNumber(value)) {
    return numberValue(value) !== 0;
  }
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (isDict(value)) {
    return Object.keys(value).length > 0;
  }
  return true;
}

/**
 * Python's ==: numbers compare by value whatever their type (True == 1), containers compare
 * deeply, and two OrderedDicts also compare their key order.
 */
export function pythonEquals(left: unknown, right: unknown): boolean {
  const leftNumeric = isNumber(left) || typeof left === "boolean";
  const rightNumeric = isNumber(right) || typeof right === "boolean";
  if (leftNumeric || rightNumeric) {
    return leftNumeric && rightNumeric && numericValue(left) === numericValue(right);
  }
  if (left === null || left === undefined || right === null || right === undefined) {
    return (left ?? null) === (right ?? null);
  }
  if (typeof left === "string" || typeof right === "string") {
    return left === right;
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => pythonEquals(item, right[index]))
    );
  }
  if (isDict(left) && isDict(right)) {
    const leftKeys = Object.keys(left);
    const rightKeys = Object.keys(right);
    if (leftKeys.length !== rightKeys.length) {
      return false;
    }
    if (isOrderedDict(left) && isOrderedDict(right)) {
      if (leftKeys.some((key, index) => key !== rightKeys[index])) {
        return false;
      }
    }
    return leftKeys.every((key) => hasKey(right, key) && pythonEquals(left[key], right[key]));
  }
  return left === right;
}

function numericValue(value: unknown): number {
  if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  return numberValue(value as number | PythonFloat);
}
