/** Sprig v2's value conversions (toInt64, toFloat64, strval, strslice). */
import { GoError } from "../exec.js";
import { GoNumber, formatValue, isGoObject, kindOf, numberValue, tagGoType } from "../values.js";

/** strconv.ParseInt(s, 10, 64); undefined when Go would report an error. */
export function parseInt64(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  return Number(value);
}

/** strconv.ParseFloat(s, 64); undefined when Go would report an error. */
export function parseFloat64(text: string): number | undefined {
  const body = text.replace(/(\d)_(?=\d)/g, "$1");
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return Number(body);
  if (/^[+-]?(inf|infinity)$/i.test(body)) return body.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(body)) return NaN;
  if (/^[+-]?0[xX]/.test(body)) {
    const match = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(body);
    if (match && (match[2] || match[3])) {
      const fraction = match[3] ? parseInt(match[3], 16) / 16 ** match[3].length : 0;
      const value = (parseInt(match[2] || "0", 16) + fraction) * 2 ** Number(match[4] ?? 0);
      return match[1] === "-" ? -value : value;
    }
  }
  return undefined;
}

/** Go's int64(f) conversion of a float: truncation toward zero. */
function truncate(value: number): number {
  if (Number.isNaN(value)) return -9223372036854775808;
  return Math.trunc(value);
}

export function toInt64(value: unknown): number {
  if (typeof value === "string") return parseInt64(value) ?? 0;
  switch (kindOf(value)) {
    case "int":
    case "uint":
      return numberValue(value);
    case "float":
      return truncate(numberValue(value));
    case "bool":
      return value ? 1 : 0;
  }
  return 0;
}

export function toFloat64(value: unknown): number {
  if (typeof value === "string") return parseFloat64(value) ?? 0;
  switch (kindOf(value)) {
    case "int":
    case "uint":
    case "float":
      return numberValue(value);
    case "bool":
      return value ? 1 : 0;
  }
  return 0;
}

/** Sprig's strval: strings as they are, Stringers through String, the rest with %v. */
export function strval(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  if (value instanceof Error) return value.message;
  if (isGoObject(value)) return value.goString();
  return formatValue(value === undefined ? null : value, false);
}

export function stringList(items: string[]): string[] {
  return tagGoType(items, "[]string");
}

/** Sprig's strslice: a list's non-nil items as strings; a scalar as a one-item list. */
export function strslice(value: unknown): string[] {
  if (Array.isArray(value)) {
    return stringList(value.filter((item) => item !== null && item !== undefined).map(strval));
  }
  if (value === null || value === undefined) return stringList([]);
  return stringList([strval(value)]);
}

export function int64Result(value: number): GoNumber {
  return new GoNumber("int64", value);
}

export function float64Result(value: number): GoNumber {
  return new GoNumber("float64", value);
}

/** Go's reflect.TypeOf(v).Kind() as Sprig's panics print it; a nil value panics like Go. */
export function listKind(value: unknown): string {
  if (value === null || value === undefined) {
    throw new GoError("runtime error: invalid memory address or nil pointer dereference");
  }
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (value instanceof GoNumber) return value.type;
  const kind = kindOf(value);
  return kind === "float" ? "float64" : kind;
}
