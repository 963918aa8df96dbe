/**
 * Sprig v2.22 regex functions on Go's RE2 syntax, run by translating the pattern to a JS
 * RegExp. Go's match-finding and replacement rules (empty matches next to a previous match,
 * `$name` expansion) are reimplemented rather than borrowed from JS.
 */
import { GoError, type FunctionDef } from "../exec.js";
import { goQuote } from "../values.js";
import { stringList } from "./convert.js";

const posixClasses: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

interface Compiled {
  regex: RegExp;
  names: (string | undefined)[];
}

const cache = new Map<string, Compiled>();

function syntaxError(message: string, fragment: string): never {
  throw new GoError(`error parsing regexp: ${message}: \`${fragment}\``);
}

/** Translates Go RE2 syntax to an equivalent JS pattern and flags. */
function translate(expr: string): { source: string; flags: string; names: (string | undefined)[] } {
  let flags = "";
  let source = "";
  const names: (string | undefined)[] = [undefined];
  let inClass = false;
  let depth = 0;
  let dotAll = false;
  const unicode = /\\[pP]/.test(expr);
  for (let i = 0; i < expr.length; i++) {
    const char = expr[i];
    if (char === "\\") {
      const next = expr[i + 1];
      if (next === undefined) syntaxError("trailing backslash at end of expression", "");
      if (next === "Q") {
        const end = expr.indexOf("\\E", i + 2);
        const literal = end < 0 ? expr.slice(i + 2) : expr.slice(i + 2, end);
        source += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
        i = end < 0 ? expr.length : end + 1;
        continue;
      }
      if (next === "A" && !inClass) {
        source += "(?<![\\s\\S])";
        i++;
        continue;
      }
      if (next === "z" && !inClass) {
        source += "(?![\\s\\S])";
        i++;
        continue;
      }
      if (/[1-9]/.test(next) && !inClass) syntaxError("invalid escape sequence", `\\${next}`);
      // Go's \s is ASCII whitespace only (no \v, no Unicode spaces), unlike JS's.
      if (next === "s" || next === "S") {
        const spaces = "\\t\\n\\f\\r ";
        // Inside a class \S stays JS's (it cannot be spelled as a range there).
        if (inClass) source += next === "s" ? spaces : "\\S";
        else source += next === "s" ? `[${spaces}]` : `[^${spaces}]`;
        i++;
        continue;
      }
      if ((next === "p" || next === "P") && expr[i + 2] !== "{") {
        source += `\\${next}{${expr[i + 2]}}`;
        i += 2;
        continue;
      }
      if (unicode && /[^A-Za-z0-9]/.test(next) && !/[\\^$.*+?()[\]{}|/-]/.test(next)) {
        source += next;
        i++;
        continue;
      }
      source += char + next;
      i++;
      continue;
    }
    if (inClass) {
      if (char === "[" && expr[i + 1] === ":") {
        const end = expr.indexOf(":]", i + 2);
        const name = end < 0 ? "" : expr.slice(i + 2, end);
        const negated = name.startsWith("^");
        const ranges = posixClasses[negated ? name.slice(1) : name];
        if (ranges && !negated) {
          source += ranges;
          i = end + 1;
          continue;
        }
        if (end >= 0) syntaxError("invalid character class range", `[:${name}:]`);
      }
      if (char === "]" && !(source.endsWith("[") || source.endsWith("[^"))) inClass = false;
      source += char === "[" ? "\\[" : char;
      continue;
    }
    switch (char) {
      case "[":
        inClass = true;
        source += char;
        if (expr[i + 1] === "^") {
          source += "^";
          i++;
        }
        if (expr[i + 1] === "]") {
          source += "\\]";
          i++;
        }
        continue;
      case "(": {
        if (expr[i + 1] !== "?") {
          depth++;
          names.push(undefined);
          source += char;
          continue;
        }
        const rest = expr.slice(i + 2);
        const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (named) {
          depth++;
          names.push(named[1]);
          source += `(?<${named[1]}>`;
          i += 1 + named[0].length;
          continue;
        }
        const flagGroup = /^([imsU-]*)(:|\))/.exec(rest);
        if (flagGroup) {
          const [on] = flagGroup[1].split("-");
          if (on.includes("i") && !flags.includes("i")) flags += "i";
          if (on.includes("m") && !flags.includes("m")) flags += "m";
          if (on.includes("s")) dotAll = true;
          if (flagGroup[2] === ":") {
            depth++;
            source += "(?:";
          }
          i += 1 + flagGroup[0].length;
          continue;
        }
        syntaxError("invalid or unsupported Perl syntax", `(?${rest.slice(0, 1)}`);
        continue;
      }
      case ")":
        if (depth === 0) syntaxError("unexpected )", expr);
        depth--;
        source += char;
        continue;
      case ".":
        source += dotAll ? "[\\s\\S]" : "[^\\n]";
        continue;
      case "*":
      case "+":
      case "?": {
        const previous = source[source.length - 1];
        if (
          source === "" ||
          previous === "(" ||
          previous === "|" ||
          (previous === ":" && source.endsWith("(?:"))
        ) {
          syntaxError("missing argument to repetition operator", char);
        }
        source += char;
        continue;
      }
    }
    source += char;
  }
  if (inClass) syntaxError("missing closing ]", expr.slice(expr.lastIndexOf("[")));
  if (depth > 0) syntaxError("missing closing )", expr);
  return { source, flags: flags + (unicode ? "u" : ""), names };
}

export function compile(expr: string): Compiled {
  const cached = cache.get(expr);
  if (cached) return cached;
  const { source, flags, names } = translate(expr);
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}g`);
  } catch {
    syntaxError("invalid regexp", expr);
  }
  const compiled = { regex, names };
  if (cache.size > 500) cache.clear();
  cache.set(expr, compiled);
  return compiled;
}

/** regexp.MustCompile: a bad pattern panics with Go's message. */
function mustCompile(expr: string): Compiled {
  try {
    return compile(expr);
  } catch (error) {
    const canBackquote = [...expr].every(
      (char) => char !== "`" && (char >= " " || char === "\t") && char !== "\x7f",
    );
    const quoted = canBackquote ? `\`${expr}\`` : goQuote(expr);
    throw new GoError(`regexp: Compile(${quoted}): ${(error as Error).message}`);
  }
}

function execAt(compiled: Compiled, text: string, position: number): RegExpExecArray | null {
  compiled.regex.lastIndex = position;
  return compiled.regex.exec(text);
}

function charWidth(text: string, position: number): number {
  const code = text.codePointAt(position);
  return code !== undefined && code > 0xffff ? 2 : 1;
}

/** Go's allMatches: successive matches; an empty match right after a match is skipped. */
function allMatches(compiled: Compiled, text: string, limit: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const max = limit < 0 ? text.length + 1 : limit;
  let position = 0;
  let previousEnd = -1;
  while (out.length < max && position <= text.length) {
    const match = execAt(compiled, text, position);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    let accept = true;
    if (end === position) {
      if (start === previousEnd) accept = false;
      position += position < text.length ? charWidth(text, position) : 1;
    } else {
      position = end;
    }
    previousEnd = end;
    if (accept) out.push(match);
  }
  return out;
}

/** Regexp.Expand of a `$1` / `${name}` template. */
function expand(template: string, match: RegExpExecArray, names: (string | undefined)[]): string {
  let out = "";
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf("$");
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith("$")) {
      out += "$";
      rest = rest.slice(1);
      continue;
    }
    const extracted = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (!extracted) {
      out += "$";
      continue;
    }
    rest = rest.slice(extracted[0].length);
    const name = extracted[1] ?? extracted[2];
    if (/^\d+$/.test(name)) {
      const index = Number(name);
      if (index < match.length) out += match[index] ?? "";
    } else {
      const index = names.indexOf(name);
      if (index > 0) out += match[index] ?? "";
    }
  }
  return out + rest;
}

function replaceAll(
  compiled: Compiled,
  text: string,
  replace: (match: RegExpExecArray) => string,
): string {
  let out = "";
  let lastEnd = 0;
  let position = 0;
  while (position <= text.length) {
    const match = execAt(compiled, text, position);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += text.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += replace(match);
    lastEnd = end;
    const width = position < text.length ? charWidth(text, position) : 0;
    if (position + width > end) position += width;
    else if (position + 1 > end) position++;
    else position = end;
  }
  return out + text.slice(lastEnd);
}

function split(compiled: Compiled, expr: string, text: string, limit: number): string[] {
  if (limit === 0) return [];
  if (expr.length > 0 && text.length === 0) return [""];
  const matches = allMatches(compiled, text, limit);
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const match of matches) {
    if (limit > 0 && out.length === limit - 1) break;
    end = match.index;
    const matchEnd = match.index + match[0].length;
    if (matchEnd !== 0) out.push(text.slice(begin, end));
    begin = matchEnd;
  }
  if (end !== text.length) out.push(text.slice(begin));
  return out;
}

export const regexFunctions: Record<string, FunctionDef> = {
  regexMatch: {
    params: ["string", "string"],
    call: (expr, text) => {
      let compiled: Compiled;
      try {
        compiled = compile(expr as string);
      } catch {
        return false;
      }
      return execAt(compiled, text as string, 0) !== null;
    },
  },
  regexFindAll: {
    params: ["string", "string", "int"],
    call: (expr, text, limit) =>
      stringList(
        allMatches(mustCompile(expr as string), text as string, limit as number).map(
          (match) => match[0],
        ),
      ),
  },
  regexFind: {
    params: ["string", "string"],
    call: (expr, text) => execAt(mustCompile(expr as string), text as string, 0)?.[0] ?? "",
  },
  regexReplaceAll: {
    params: ["string", "string", "string"],
    call: (expr, text, replacement) => {
      const compiled = mustCompile(expr as string);
      return replaceAll(compiled, text as string, (match) =>
        expand(replacement as string, match, compiled.names),
      );
    },
  },
  regexReplaceAllLiteral: {
    params: ["string", "string", "string"],
    call: (expr, text, replacement) =>
      replaceAll(mustCompile(expr as string), text as string, () => replacement as string),
  },
  regexSplit: {
    params: ["string", "string", "int"],
    call: (expr, text, limit) =>
      stringList(
        split(mustCompile(expr as string), expr as string, text as string, limit as number),
      ),
  },
};
