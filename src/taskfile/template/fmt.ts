/** A subset of Go's fmt.Sprintf: the verbs, flags, widths and precisions templates use. */
import {
  GoNumber,
  byteLength,
  formatFloat,
  formatValue,
  goQuote,
  goTypeName,
  isGoObject,
  isMap,
  kindOf,
  numberValue,
} from "./values.js";

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf("%", i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const spec: Spec = {
      minus: false,
      plus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      precision: undefined,
    };
    flags: for (; i < format.length; i++) {
      switch (format[i]) {
        case "-":
          spec.minus = true;
          spec.zero = false;
          continue;
        case "+":
          spec.plus = true;
          continue;
        case "#":
          spec.sharp = true;
          continue;
        case " ":
          spec.space = true;
          continue;
        case "0":
          spec.zero = !spec.minus;
          continue;
      }
      break flags;
    }
    if (format[i] === "*") {
      i++;
      const width = args[argIndex++];
      if (typeof width === "number" && Number.isInteger(width)) {
        spec.width = Math.abs(width);
        if (width < 0) spec.minus = true;
      } else {
        out += "%!(BADWIDTH)";
      }
    } else {
      const match = /^\d+/.exec(format.slice(i));
      if (match) {
        spec.width = Number(match[0]);
        i += match[0].length;
      }
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const precision = args[argIndex++];
        if (typeof precision === "number" && Number.isInteger(precision) && precision >= 0) {
          spec.precision = precision;
        } else {
          out += "%!(BADPREC)";
        }
      } else {
        const match = /^\d+/.exec(format.slice(i));
        spec.precision = match ? Number(match[0]) : 0;
        if (match) i += match[0].length;
      }
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argIndex++], verb, spec);
  }
  if (argIndex < args.length) {
    const extra = args
      .slice(argIndex)
      .map((arg) =>
        arg === null || arg === undefined
          ? "<nil>"
          : `${goTypeName(arg)}=${formatValue(arg, false)}`,
      );
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}

function pad(text: string, spec: Spec, zeroAllowed = true): string {
  const length = [...text].length;
  if (spec.width === undefined || length >= spec.width) return text;
  const fill = spec.width - length;
  if (spec.minus) return text + " ".repeat(fill);
  if (spec.zero && zeroAllowed) {
    const sign = /^[+\- ]/.test(text) ? text[0] : "";
    return sign + "0".repeat(fill) + text.slice(sign.length);
  }
  return " ".repeat(fill) + text;
}

function bad(verb: string, arg: unknown): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(arg)}=${formatValue(arg, false)})`;
}

function signed(text: string, negative: boolean, spec: Spec): string {
  if (negative) return `-${text}`;
  if (spec.plus) return `+${text}`;
  if (spec.space) return ` ${text}`;
  return text;
}

function formatInteger(value: number, verb: string, spec: Spec): string {
  const negative = value < 0;
  const abs = BigInt(Math.abs(Math.trunc(value)));
  let digits: string;
  switch (verb) {
    case "d":
    case "v":
      digits = abs.toString(10);
      break;
    case "b":
      digits = abs.toString(2);
      break;
    case "o":
    case "O":
      digits = abs.toString(8);
      break;
    case "x":
      digits = abs.toString(16);
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      break;
    default:
      digits = abs.toString(10);
  }
  if (spec.precision !== undefined) {
    if (spec.precision === 0 && value === 0) digits = "";
    digits = digits.padStart(spec.precision, "0");
  }
  let prefix = "";
  if (verb === "O") prefix = "0o";
  if (spec.sharp) {
    if (verb === "x") prefix = "0x";
    if (verb === "X") prefix = "0X";
    if (verb === "o" && !digits.startsWith("0")) prefix = "0";
    if (verb === "b") prefix = "0b";
  }
  const text = signed(prefix + digits, negative, spec);
  return pad(text, spec, spec.precision === undefined);
}

function formatFloatVerb(value: number, verb: string, spec: Spec): string {
  let text: string;
  const negative = value < 0 || Object.is(value, -0);
  const abs = Math.abs(value);
  switch (verb) {
    case "e":
    case "E":
      text = formatFloat(abs, "e", spec.precision ?? 6);
      break;
    case "f":
    case "F":
      text = formatFloat(abs, "f", spec.precision ?? 6);
      break;
    case "g":
    case "G":
    case "v":
      text = formatFloat(abs, "g", spec.precision ?? -1);
      break;
    default:
      text = formatFloat(abs, "g");
  }
  if (verb === "E" || verb === "G") text = text.toUpperCase();
  if (Number.isNaN(value)) return pad(spec.plus ? "+NaN" : "NaN", spec, false);
  if (!Number.isFinite(value)) {
    return pad(negative ? "-Inf" : spec.plus ? "+Inf" : spec.space ? " Inf" : "Inf", spec, false);
  }
  return pad(signed(text, negative, spec), spec);
}

function hexOfBytes(text: string, verb: string, spec: Spec): string {
  const prefix = spec.sharp ? (verb === "X" ? "0X" : "0x") : "";
  const bytes = [...Buffer.from(text, "utf8")].map((byte) => {
    const hex = byte.toString(16).padStart(2, "0");
    return verb === "X" ? hex.toUpperCase() : hex;
  });
  // The space flag separates bytes (each with its own prefix); otherwise one prefix leads.
  if (spec.space) return bytes.map((hex) => prefix + hex).join(" ");
  return prefix + bytes.join("");
}

function formatArg(arg: unknown, verb: string, spec: Spec): string {
  if (verb === "T")
    return pad(arg === null || arg === undefined ? "<nil>" : goTypeName(arg), spec, false);
  if (arg === null || arg === undefined) {
    return verb === "v" ? pad("<nil>", spec, false) : `%!${verb}(<nil>)`;
  }
  const kind = kindOf(arg);
  if (typeof arg === "string") {
    switch (verb) {
      case "v":
      case "s": {
        const text =
          spec.precision !== undefined ? [...arg].slice(0, spec.precision).join("") : arg;
        return pad(text, spec, false);
      }
      case "q":
        return pad(
          spec.sharp && !arg.includes("`") ? `\`${arg}\`` : goQuote(arg, '"', spec.plus),
          spec,
          false,
        );
      case "x":
      case "X":
        return pad(hexOfBytes(arg, verb, spec), spec, false);
    }
    return bad(verb, arg);
  }
  if (typeof arg === "boolean") {
    if (verb === "v" || verb === "t") return pad(String(arg), spec, false);
    return bad(verb, arg);
  }
  if (kind === "int" || kind === "uint") {
    const value = numberValue(arg);
    switch (verb) {
      case "v":
      case "d":
      case "b":
      case "o":
      case "O":
      case "x":
      case "X":
        return formatInteger(value, verb, spec);
      case "c":
        return pad(String.fromCodePoint(value), spec, false);
      case "q":
        return pad(goQuote(String.fromCodePoint(value), "'"), spec, false);
      case "U": {
        const hex = value.toString(16).toUpperCase().padStart(4, "0");
        return pad(`U+${hex}`, spec, false);
      }
    }
    return bad(verb, arg);
  }
  if (kind === "float") {
    const value = numberValue(arg);
    if ("eEfFgGv".includes(verb)) return formatFloatVerb(value, verb, spec);
    return bad(verb, arg);
  }
  if (isGoObject(arg)) {
    if (verb === "v" || verb === "s") return pad(arg.goString(), spec, false);
    if (verb === "q") return pad(goQuote(arg.goString()), spec, false);
    return bad(verb, arg);
  }
  if (Array.isArray(arg)) {
    if (verb === "v" || verb === "s" || verb === "d" || verb === "q" || verb === "x") {
      const parts = arg.map((item) =>
        item === null || item === undefined
          ? verb === "v"
            ? "<nil>"
            : `%!${verb}(<nil>)`
          : formatArg(item, verb, { ...spec, width: undefined }),
      );
      return pad(`[${parts.join(" ")}]`, spec, false);
    }
    return bad(verb, arg);
  }
  if (isMap(arg)) {
    if (verb === "v" || verb === "s") {
      const keys = Object.keys(arg).sort();
      const parts = keys.map(
        (key) =>
          `${formatArg(key, verb, { ...spec, width: undefined })}:${arg[key] === null || arg[key] === undefined ? "<nil>" : formatArg(arg[key], verb, { ...spec, width: undefined })}`,
      );
      return pad(`map[${parts.join(" ")}]`, spec, false);
    }
    return bad(verb, arg);
  }
  if (arg instanceof GoNumber) return formatInteger(arg.value, verb, spec);
  return pad(formatValue(arg, false), spec, false);
}

export { byteLength };
