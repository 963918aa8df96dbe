/** Sprig v2.22 string functions (with goutils and xstrings behaviour where Sprig uses them). */
import { createHash, randomInt } from "node:crypto";
import type { FunctionDef } from "../exec.js";
import type { ParamType } from "../values.js";
import { byteLength, byteSlice, formatValue, goQuote, newMap, tagGoType } from "../values.js";
import { strval, strslice, stringList } from "./convert.js";

const isUnicodeSpace = (char: string): boolean => /^[\s\u0085\u00a0]$/u.test(char);

function isSeparator(char: string): boolean {
  const code = char.codePointAt(0)!;
  if (code <= 0x7f) return !/[0-9A-Za-z_]/.test(char);
  if (/[\p{L}\p{Nd}]/u.test(char)) return false;
  return isUnicodeSpace(char);
}

export function title(text: string): string {
  let prev = " ";
  let out = "";
  for (const char of text) {
    out += isSeparator(prev) ? char.toUpperCase() : char;
    prev = char;
  }
  return out;
}

function untitle(text: string): string {
  let out = "";
  let next = true;
  for (const char of text) {
    if (isUnicodeSpace(char)) {
      next = true;
      out += char;
    } else if (next) {
      out += char.toLowerCase();
      next = false;
    } else {
      out += char;
    }
  }
  return out;
}

function abbreviateFull(text: string, offset: number, maxWidth: number): string {
  const length = byteLength(text);
  if (text === "" || maxWidth < 4 || length <= maxWidth) return text;
  let start = Math.min(offset, length);
  if (length - start < maxWidth - 3) start = length - (maxWidth - 3);
  if (start <= 4) return `${byteSlice(text, 0, maxWidth - 3)}...`;
  if (maxWidth < 7) return text;
  if (start + maxWidth - 3 < length) {
    return `...${abbreviateFull(byteSlice(text, start), 0, maxWidth - 3)}`;
  }
  return `...${byteSlice(text, length - (maxWidth - 3))}`;
}

function trunc(count: number, text: string): string {
  const length = byteLength(text);
  if (count < 0 && length + count > 0) return byteSlice(text, length + count);
  if (count >= 0 && length > count) return byteSlice(text, 0, count);
  return text;
}

function substring(start: number, end: number, text: string): string {
  const length = byteLength(text);
  const check = (low: number, high: number): void => {
    if (low < 0 || high > length || low > high) {
      throw new Error(`runtime error: slice bounds out of range [${low}:${high}]`);
    }
  };
  if (start < 0) {
    check(0, end);
    return byteSlice(text, 0, end);
  }
  if (end < 0 || end > length) {
    check(start, length);
    return byteSlice(text, start);
  }
  check(start, end);
  return byteSlice(text, start, end);
}

/** strings.Trim(s, cutset). */
function trimCutset(text: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && set.has(chars[start])) start++;
  while (end > start && set.has(chars[end - 1])) end--;
  return chars.slice(start, end).join("");
}

function wrapCustom(
  text: string,
  wrapLength: number,
  newLine: string,
  wrapLongWords: boolean,
): string {
  if (text === "") return "";
  const separator = newLine === "" ? "\n" : newLine;
  const width = wrapLength < 1 ? 1 : wrapLength;
  let offset = 0;
  let out = "";
  while (text.length - offset > width) {
    if (text[offset] === " ") {
      offset++;
      continue;
    }
    const end = width + offset + 1;
    const space = text.slice(offset, end).lastIndexOf(" ") + offset;
    if (space >= offset) {
      out += text.slice(offset, space) + separator;
      offset = space + 1;
    } else if (wrapLongWords) {
      out += text.slice(offset, width + offset) + separator;
      offset += width;
    } else {
      const index = text.slice(width + offset).indexOf(" ");
      if (index === -1) {
        out += text.slice(offset);
        offset = text.length;
      } else {
        const at = index + width + offset;
        out += text.slice(offset, at) + separator;
        offset = at + 1;
      }
    }
  }
  return out + text.slice(offset);
}

function swapCase(text: string): string {
  let out = "";
  for (const char of text) {
    const upper = char.toUpperCase();
    const lower = char.toLowerCase();
    if (char !== lower) out += lower;
    else if (char !== upper) out += upper;
    else out += char;
  }
  return out;
}

function camelcase(text: string): string {
  const chars = [...text];
  if (chars.length === 0) return "";
  let out = "";
  let i = 0;
  while (i < chars.length && chars[i] === "_") out += chars[i++];
  if (i >= chars.length) return out;
  out += chars[i].toUpperCase();
  for (i++; i < chars.length; i++) {
    if (chars[i] === "_" && i + 1 < chars.length && chars[i + 1] !== "_") {
      out += chars[++i].toUpperCase();
    } else {
      out += chars[i];
    }
  }
  return out;
}

/** Words of a camel/snake/kebab/space-separated identifier, in xstrings' manner. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern =
    /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+\d*|\p{Lu}+\d*|\d+\p{Ll}*\d*|[^\s_\-\p{L}\d]+/gu;
  for (const part of text.split(/[\s_-]+/u)) {
    for (const match of part.matchAll(pattern)) words.push(match[0]);
  }
  return words;
}

function joinWords(text: string, connector: string): string {
  return splitWords(text)
    .map((word) => word.toLowerCase())
    .join(connector);
}

function randomString(count: number, alphabet: string): string {
  let out = "";
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const digits = "0123456789";
let ascii = "";
for (let code = 32; code <= 126; code++) ascii += String.fromCharCode(code);

function shuffle(text: string): string {
  const chars = [...text];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function splitToMap(parts: string[]): Record<string, unknown> {
  const map = newMap();
  parts.forEach((part, i) => {
    map[`_${i}`] = part;
  });
  return tagGoType(map, "map[string]string");
}

/** strings.SplitN(s, sep, n). */
export function splitN(text: string, separator: string, count: number): string[] {
  if (count === 0) return [];
  if (separator === "") {
    const chars = [...text];
    if (count < 0 || count >= chars.length) return chars;
    return [...chars.slice(0, count - 1), chars.slice(count - 1).join("")];
  }
  const parts = text.split(separator);
  if (count < 0 || parts.length <= count) return parts;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(separator)];
}

export const stringFunctions: Record<string, FunctionDef> = {
  hello: { params: [], call: () => "Hello!" },
  abbrev: {
    params: ["int", "string"],
    call: (width, text) =>
      (width as number) < 4 ? text : abbreviateFull(text as string, 0, width as number),
  },
  abbrevboth: {
    params: ["int", "int", "string"],
    call: (left, right, text) => {
      const l = left as number;
      const r = right as number;
      if (r < 4 || (l > 0 && r < 7)) return text;
      return abbreviateFull(text as string, l, r);
    },
  },
  trunc: {
    params: ["int", "string"],
    call: (count, text) => trunc(count as number, text as string),
  },
  trim: {
    params: ["string"],
    call: (text) => (text as string).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, ""),
  },
  upper: { params: ["string"], call: (text) => (text as string).toUpperCase() },
  lower: { params: ["string"], call: (text) => (text as string).toLowerCase() },
  title: { params: ["string"], call: (text) => title(text as string) },
  untitle: { params: ["string"], call: (text) => untitle(text as string) },
  substr: {
    params: ["int", "int", "string"],
    call: (start, end, text) => substring(start as number, end as number, text as string),
  },
  repeat: {
    params: ["int", "string"],
    call: (count, text) => {
      if ((count as number) < 0) throw new Error("strings: negative Repeat count");
      return (text as string).repeat(count as number);
    },
  },
  trimall: {
    params: ["string", "string"],
    call: (cutset, text) => trimCutset(text as string, cutset as string),
  },
  trimAll: {
    params: ["string", "string"],
    call: (cutset, text) => trimCutset(text as string, cutset as string),
  },
  trimSuffix: {
    params: ["string", "string"],
    call: (suffix, text) => {
      const s = text as string;
      const x = suffix as string;
      return x !== "" && s.endsWith(x) ? s.slice(0, s.length - x.length) : s;
    },
  },
  trimPrefix: {
    params: ["string", "string"],
    call: (prefix, text) => {
      const s = text as string;
      return s.startsWith(prefix as string) ? s.slice((prefix as string).length) : s;
    },
  },
  nospace: {
    params: ["string"],
    call: (text) => [...(text as string)].filter((c) => !isUnicodeSpace(c)).join(""),
  },
  initials: {
    params: ["string"],
    call: (text) =>
      (text as string)
        .split(/[\s\u0085]+/u)
        .filter((word) => word !== "")
        .map((word) => [...word][0])
        .join(""),
  },
  randAlphaNum: {
    params: ["int"],
    call: (count) => randomString(count as number, letters + digits),
  },
  randAlpha: { params: ["int"], call: (count) => randomString(count as number, letters) },
  randAscii: { params: ["int"], call: (count) => randomString(count as number, ascii) },
  randNumeric: { params: ["int"], call: (count) => randomString(count as number, digits) },
  swapcase: { params: ["string"], call: (text) => swapCase(text as string) },
  shuffle: { params: ["string"], call: (text) => shuffle(text as string) },
  snakecase: { params: ["string"], call: (text) => joinWords(text as string, "_") },
  camelcase: { params: ["string"], call: (text) => camelcase(text as string) },
  kebabcase: { params: ["string"], call: (text) => joinWords(text as string, "-") },
  wrap: {
    params: ["int", "string"],
    call: (width, text) => wrapCustom(text as string, width as number, "", false),
  },
  wrapWith: {
    params: ["int", "string", "string"],
    call: (width, separator, text) =>
      wrapCustom(text as string, width as number, separator as string, true),
  },
  contains: {
    params: ["string", "string"],
    call: (part, text) => (text as string).includes(part as string),
  },
  hasPrefix: {
    params: ["string", "string"],
    call: (part, text) => (text as string).startsWith(part as string),
  },
  hasSuffix: {
    params: ["string", "string"],
    call: (part, text) => (text as string).endsWith(part as string),
  },
  quote: {
    params: [],
    variadic: "any",
    call: (...args) =>
      args
        .filter((arg) => arg !== null && arg !== undefined)
        .map((arg) => goQuote(strval(arg)))
        .join(" "),
  },
  squote: {
    params: [],
    variadic: "any",
    call: (...args) =>
      args
        .filter((arg) => arg !== null && arg !== undefined)
        .map((arg) => `'${strval(arg)}'`)
        .join(" "),
  },
  cat: {
    params: [],
    variadic: "any",
    call: (...args) =>
      args
        .filter((arg) => arg !== null && arg !== undefined)
        .map((arg) => formatValue(arg, false))
        .join(" "),
  },
  indent: {
    params: ["int", "string"],
    call: (spaces, text) => {
      const pad = " ".repeat(Math.max(0, spaces as number));
      return pad + (text as string).split("\n").join(`\n${pad}`);
    },
  },
  nindent: {
    params: ["int", "string"],
    call: (spaces, text) => {
      const pad = " ".repeat(Math.max(0, spaces as number));
      return `\n${pad}${(text as string).split("\n").join(`\n${pad}`)}`;
    },
  },
  replace: {
    params: ["string", "string", "string"],
    call: (old, replacement, text) =>
      replaceAll(text as string, old as string, replacement as string),
  },
  plural: {
    params: ["string", "string", "int"],
    call: (one, many, count) => ((count as number) === 1 ? one : many),
  },
  sha1sum: {
    params: ["string"],
    call: (text) =>
      createHash("sha1")
        .update(text as string, "utf8")
        .digest("hex"),
  },
  sha256sum: {
    params: ["string"],
    call: (text) =>
      createHash("sha256")
        .update(text as string, "utf8")
        .digest("hex"),
  },
  adler32sum: { params: ["string"], call: (text) => String(adler32(text as string)) },
  toString: { params: ["any"] as ParamType[], call: (value: unknown) => strval(value) },
  split: {
    params: ["string", "string"],
    call: (separator, text) => splitToMap(splitN(text as string, separator as string, -1)),
  },
  splitList: {
    params: ["string", "string"],
    call: (separator, text) => stringList(splitN(text as string, separator as string, -1)),
  },
  splitn: {
    params: ["string", "int", "string"],
    call: (separator, count, text) =>
      splitToMap(splitN(text as string, separator as string, count as number)),
  },
  toStrings: { params: ["any"], call: (value) => strslice(value) },
  join: {
    params: ["string", "any"],
    call: (separator, list) => strslice(list).join(separator as string),
  },
  sortAlpha: {
    params: ["any"],
    call: (list) => {
      if (Array.isArray(list)) {
        return stringList(
          strslice(list).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }
      return stringList([strval(list)]);
    },
  },
};

/** strings.Replace(s, old, new, -1), including Go's handling of an empty old string. */
export function replaceAll(text: string, old: string, replacement: string): string {
  if (old === "") {
    const chars = [...text];
    return replacement + chars.map((char) => char + replacement).join("");
  }
  return text.split(old).join(replacement);
}
