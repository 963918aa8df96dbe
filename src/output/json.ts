// Python's json.dumps as az calls it: `-o json` (indent 2, sorted keys, raw non-ASCII) and the
// compact ASCII form JMESPath's to_string() produces.

import {
  ExpressionReference,
  isDict,
  isNumber,
  numberText,
  numberValue,
  pythonRepr,
  sortedKeys,
  type PythonDict,
  type PythonFloat,
} from "./python.js";

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function unicodeEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, "0")}`;
}

/** A JSON string literal with Python's escaping; `asciiOnly` escapes everything above 0x7e. */
function jsonString(text: string, asciiOnly: boolean): string {
  let body = "";
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    const unit = text.charCodeAt(index);
    const short = SHORT_ESCAPES[character];
    if (short !== undefined) {
      body += short;
    } else if (unit < 0x20 || (asciiOnly && unit > 0x7e)) {
      body += unicodeEscape(unit);
    } else {
      body += character;
    }
  }
  return `"${body}"`;
}

function notSerializable(): never {
  throw new Error("Object of type _Expression is not JSON serializable");
}

function jsonNumber(value: number | PythonFloat): string {
  const n = numberValue(value);
  if (Number.isNaN(n)) {
    return "NaN";
  }
  if (!Number.isFinite(n)) {
    return n > 0 ? "Infinity" : "-Infinity";
  }
  return numberText(value);
}

function scalarJson(value: unknown, asciiOnly: boolean): string | undefined {
  if (value === null || value === undefined) {
    return "null";
  }
  if (value === true) {
    return "true";
  }
  if (value === false) {
    return "false";
  }
  if (typeof value === "string") {
    return jsonString(value, asciiOnly);
  }
  if (isNumber(value)) {
    return jsonNumber(value);
  }
  if (value instanceof ExpressionReference) {
    notSerializable();
  }
  return undefined;
}

/** `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` plus the newline az adds. */
export function formatJson(value: unknown): string {
  // knack first turns a result object into a dict, which an expression reference refuses.
  if (value instanceof ExpressionReference) {
    throw new Error("'_Expression' object is not iterable");
  }
  return `${indented(value, "")}\n`;
}

function indented(value: unknown, indent: string): string {
  const scalar = scalarJson(value, false);
  if (scalar !== undefined) {
    return scalar;
  }

  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return "[]";
    }
    const items = value.map((item) => inner + indented(item, inner));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }

  const dict = value as PythonDict;
  const keys = sortedKeys(dict);
  if (keys.length === 0) {
    return "{}";
  }
  const members = keys.map(
    (key) => `${inner}${jsonString(key, false)}: ${indented(dict[key], inner)}`,
  );
  return `{\n${members.join(",\n")}\n${indent}}`;
}

/**
 * `json.dumps(value, separators=(',', ':'), default=str)`, as JMESPath's to_string() calls it:
 * keys in insertion order, ASCII only, anything else JSON cannot hold as its str().
 */
export function compactJson(value: unknown): string {
  if (value instanceof ExpressionReference) {
    return jsonString(pythonRepr(value), true);
  }
  const scalar = scalarJson(value, true);
  if (scalar !== undefined) {
    return scalar;
  }
  if (Array.isArray(value)) {
    return `[${value.map(compactJson).join(",")}]`;
  }
  if (isDict(value)) {
    const members = Object.entries(value).map(
      ([key, item]) => `${jsonString(key, true)}:${compactJson(item)}`,
    );
    return `{${members.join(",")}}`;
  }
  return jsonString(String(value), true);
}
