/**
 * The Go value model the template engine works on.
 *
 * Task data arrives as plain JS values. They are read as Go would see the same data decoded
 * from YAML into `map[string]interface{}`: objects are maps, arrays are `[]interface {}`,
 * integral numbers are `int`, other numbers are `float64`, `null` is a nil interface.
 * Functions that return a Go type JS cannot tell apart (int64, a float64 that happens to be
 * integral, []string) return a tagged value so that printing, comparison and `typeOf` behave
 * as in Go.
 */

/** A number whose Go type is not the one its JS value would suggest. */
export class GoNumber {
  constructor(
    readonly type: "int" | "int64" | "int32" | "uint8" | "uint32" | "float64",
    readonly value: number,
  ) {}
}

/** A Go value with methods (time.Time, *semver.Version): field access calls them. */
export interface GoObject {
  readonly goType: string;
  /** Go's fmt output for the value (its String method). */
  goString(): string;
  /** A method by name, or undefined; invoked with already validated arguments. */
  goMethod(name: string): GoMethod | undefined;
}

export interface GoMethod {
  params: ParamType[];
  call: (...args: unknown[]) => unknown;
}

export function isGoObject(value: unknown): value is GoObject {
  return typeof value === "object" && value !== null && "goMethod" in value && "goType" in value;
}

/** The Go types a function parameter can declare; they decide how arguments are checked. */
export type ParamType =
  | "any"
  | "value"
  | "string"
  | "int"
  | "int64"
  | "uint32"
  | "float64"
  | "bool"
  | "map"
  | "time"
  | "version";

const goTypeTag = Symbol("goType");

/** Marks an array or object as a Go type other than []interface {} / map[string]interface {}. */
export function tagGoType<T extends object>(value: T, type: string): T {
  Object.defineProperty(value, goTypeTag, { value: type, enumerable: false });
  return value;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

export function hasKey(map: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

export type GoKind =
  | "invalid"
  | "bool"
  | "int"
  | "uint"
  | "float"
  | "string"
  | "slice"
  | "map"
  | "func"
  | "struct"
  | "ptr";

/** Go reflect kind of a concrete value; null and undefined have no kind. */
export function kindOf(value: unknown): GoKind {
  if (value === null || value === undefined) return "invalid";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "function":
      return "func";
  }
  if (value instanceof GoNumber) {
    if (value.type === "float64") return "float";
    if (value.type === "uint8" || value.type === "uint32") return "uint";
    return "int";
  }
  if (Array.isArray(value) || value instanceof Uint8Array) return "slice";
  if (isGoObject(value)) return value.goType.startsWith("*") ? "ptr" : "struct";
  return "map";
}

/** reflect.Kind.String() of a value, as Sprig's kindOf prints it. */
export function reflectKindName(value: unknown): string {
  if (value === null || value === undefined) return "invalid";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (value instanceof GoNumber) return value.type;
  const kind = kindOf(value);
  return kind;
}

/** Go's %T of a value. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float64";
    case "bigint":
      return "int64";
    case "function":
      return "func(...interface {}) interface {}";
  }
  if (value instanceof GoNumber) return value.type;
  if (value instanceof Uint8Array) return "[]uint8";
  if (isGoObject(value)) return value.goType;
  const tagged = (value as { [goTypeTag]?: string })[goTypeTag];
  if (tagged) return tagged;
  return Array.isArray(value) ? "[]interface {}" : "map[string]interface {}";
}

/** The numeric value of an int/uint/float of any Go type. */
export function numberValue(value: unknown): number {
  if (typeof value === "number") return value;
  if (value instanceof GoNumber) return value.value;
  if (typeof value === "bigint") return Number(value);
  return NaN;
}

export function isNumber(value: unknown): boolean {
  return typeof value === "number" || value instanceof GoNumber || typeof value === "bigint";
}

export function float64(value: number): GoNumber {
  return new GoNumber("float64", value);
}

export function int64(value: number): GoNumber {
  return new GoNumber("int64", value);
}

/** Length in bytes of a Go string (UTF-8). */
export function byteLength(text: string): number {
  // Pure ASCII is the common case and needs no encoding.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, "utf8");
  }
  return text.length;
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return false;
  }
  return true;
}

/** s[start:end] with Go's byte indexing. */
export function byteSlice(text: string, start: number, end?: number): string {
  if (isAscii(text)) return text.slice(start, end);
  return Buffer.from(text, "utf8").subarray(start, end).toString("utf8");
}

/** Go truth: not the zero value of its type. ok=false for values with no truth (functions). */
export function isTrue(value: unknown): [boolean, boolean] {
  if (value === undefined || value === null) return [false, true];
  switch (typeof value) {
    case "string":
      return [value.length > 0, true];
    case "boolean":
      return [value, true];
    case "number":
      return [value !== 0, true];
    case "bigint":
      return [value !== 0n, true];
    case "function":
      return [true, true];
  }
  if (value instanceof GoNumber) return [value.value !== 0, true];
  if (Array.isArray(value) || value instanceof Uint8Array) return [value.length > 0, true];
  if (isGoObject(value)) return [true, true];
  return [Object.keys(value as object).length > 0, true];
}

// ---------------------------------------------------------------------------------------
// Printing (fmt's %v)

/** strconv.FormatFloat(f, 'g', -1, 64) and its %e/%f siblings, as fmt's %v prints float64. */
export function formatFloat(value: number, verb: "g" | "e" | "f", precision = -1): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (verb === "f") {
    if (precision < 0) return formatFloatShortestFixed(value);
    return fixedNoExponent(value, precision);
  }
  if (verb === "e") {
    const text = precision < 0 ? value.toExponential() : value.toExponential(precision);
    return goExponent(text);
  }
  const negative = value < 0 || Object.is(value, -0);
  const abs = Math.abs(value);
  if (abs === 0) return negative ? "-0" : "0";
  const significant = precision === 0 ? 1 : precision;
  const expText = precision < 0 ? abs.toExponential() : abs.toExponential(significant - 1);
  const [mantissa, expPart] = expText.split("e");
  const exponent = Number(expPart);
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  // Go switches to the exponent form at an exponent >= the precision, 6 for the shortest one.
  let eprec = precision < 0 ? 6 : significant;
  if (precision >= 0 && eprec > digits.length && digits.length >= exponent + 1) {
    eprec = digits.length;
  }
  let out: string;
  if (exponent < -4 || exponent >= eprec) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${head}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  } else if (exponent >= 0) {
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    const frac = digits.slice(exponent + 1);
    out = frac ? `${intPart}.${frac}` : intPart;
  } else {
    out = `0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return negative ? `-${out}` : out;
}

function goExponent(text: string): string {
  const match = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (!match) return text;
  return `${match[1]}e${match[2]}${match[3].padStart(2, "0")}`;
}

function formatFloatShortestFixed(value: number): string {
  const text = String(value);
  if (!/e/.test(text)) return text;
  const [mantissa, expPart] = value.toExponential().split("e");
  const exponent = Number(expPart);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let out: string;
  if (exponent >= 0) {
    out =
      digits.length > exponent + 1
        ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
        : digits.padEnd(exponent + 1, "0");
  } else {
    out = `0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return negative ? `-${out}` : out;
}

function fixedNoExponent(value: number, precision: number): string {
  if (Math.abs(value) < 1e21) return value.toFixed(precision);
  const whole = BigInt(Math.round(value)).toString();
  return precision > 0 ? `${whole}.${"0".repeat(precision)}` : whole;
}

/** fmt's %v of one value (Sprint of a single operand). */
export function formatValue(value: unknown, top = true): string {
  if (value === undefined) return top ? "<no value>" : "<nil>";
  if (value === null) return "<nil>";
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isInteger(value) ? String(value) : formatFloat(value, "g");
    case "bigint":
      return value.toString();
    case "function":
      return "0x1";
  }
  if (value instanceof GoNumber) {
    return value.type === "float64" ? formatFloat(value.value, "g") : String(value.value);
  }
  if (isGoObject(value)) return value.goString();
  if (value instanceof Uint8Array) return `[${Array.from(value).join(" ")}]`;
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item, false)).join(" ")}]`;
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map).sort(compareStrings);
  return `map[${keys.map((key) => `${key}:${formatValue(map[key], false)}`).join(" ")}]`;
}

/** Byte-wise string order, as Go sorts strings (UTF-16 order differs only beyond the BMP). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (isAscii(a) && isAscii(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    const isString = typeof args[i] === "string";
    if (i > 0 && !isString && typeof args[i - 1] !== "string") out += " ";
    out += formatValue(args[i] === undefined ? null : args[i], false);
  }
  return out;
}

/** fmt.Sprintln: always spaces, newline at the end. */
export function sprintln(args: unknown[]): string {
  return `${args.map((arg) => formatValue(arg === undefined ? null : arg, false)).join(" ")}\n`;
}

/** strconv.Quote: Go double-quoted string with Go escapes. */
export function goQuote(text: string, quote = '"', asciiOnly = false): string {
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === "\\") {
      out += `\\${char}`;
      continue;
    }
    if (code >= 0x20 && code < 0x7f) {
      out += char;
      continue;
    }
    switch (char) {
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
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
      case "\v":
        out += "\\v";
        continue;
    }
    if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, "0")}`;
    } else if (code === 0xfffd && char !== "\ufffd") {
      out += "\\ufffd";
    } else if (!asciiOnly && isPrintableRune(code)) {
      out += char;
    } else if (code < 0x10000) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else {
      out += `\\U${code.toString(16).padStart(8, "0")}`;
    }
  }
  return out + quote;
}

const nonPrintable = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;

export function isPrintableRune(code: number): boolean {
  if (code === 0x20) return true;
  const char = String.fromCodePoint(code);
  if (/\p{Zs}/u.test(char)) return false;
  return !nonPrintable.test(char);
}
