// Python's textwrap.TextWrapper.fill with the settings az's help printer uses
// (replace_whitespace=False; everything else default), so help wraps exactly where az wraps.

import { isPythonWhitespace } from "./python-compat.js";

export interface WrapOptions {
  width: number;
  initialIndent: string;
  subsequentIndent: string;
}

// textwrap's wordsep_re: whitespace runs, em-dashes between words, and words that may break
// after a hyphen. Python's \w is Unicode-aware; the character classes are parameters so that
// ASCII text, nearly all help text, can use a pattern V8 compiles in a fraction of the time
// the Unicode property classes take at start-up.
function wordSeparator(word: string, wordPunctuation: string, letter: string, flags: string) {
  const whitespace = String.raw`[\t\n\x0b\x0c\r ]`;
  const notWhitespace = String.raw`[^\t\n\x0b\x0c\r ]`;
  return new RegExp(
    `(${whitespace}+` +
      `|(?<=${wordPunctuation})-{2,}(?=${word})` +
      `|${notWhitespace}+?(?:` +
      `-(?:(?<=${letter}{2}-)|(?<=${letter}-${letter}-))(?=${letter}-?${letter})` +
      `|(?=${whitespace}|$)` +
      `|(?<=${wordPunctuation})(?=-{2,}${word})` +
      `))`,
    flags,
  );
}

let unicodeSeparator: RegExp | undefined;
let asciiSeparator: RegExp | undefined;

function separatorFor(text: string): RegExp {
  // eslint-disable-next-line no-control-regex -- the test is exactly "every code unit is ASCII"
  if (/^[\x00-\x7f]*$/.test(text)) {
    asciiSeparator ??= wordSeparator("[A-Za-z0-9_]", `[A-Za-z0-9_!"'&.,?]`, "[A-Za-z_]", "g");
    return asciiSeparator;
  }
  unicodeSeparator ??= wordSeparator(
    String.raw`[\p{L}\p{N}_]`,
    String.raw`[\p{L}\p{N}_!"'&.,?]`,
    String.raw`[\p{L}\p{Nl}\p{No}_]`,
    "gu",
  );
  return unicodeSeparator;
}

/** str.expandtabs(8): columns restart after every newline or carriage return. */
function expandTabs(text: string): string {
  let result = "";
  let column = 0;
  for (const character of text) {
    if (character === "\t") {
      const spaces = 8 - (column % 8);
      result += " ".repeat(spaces);
      column += spaces;
    } else if (character === "\n" || character === "\r") {
      result += character;
      column = 0;
    } else {
      result += character;
      column += 1;
    }
  }
  return result;
}

/**
 * re.split with the capturing separator: the matches and the text between them, empties dropped.
 */
function splitChunks(text: string): string[] {
  const chunks: string[] = [];
  const separator = separatorFor(text);
  let position = 0;
  separator.lastIndex = 0;
  for (let match = separator.exec(text); match; match = separator.exec(text)) {
    chunks.push(text.slice(position, match.index), match[0]);
    position = match.index + match[0].length;
  }
  chunks.push(text.slice(position));
  return chunks.filter((chunk) => chunk !== "").map((chunk) => chunk);
}

function isBlank(chunk: string): boolean {
  return Array.from(chunk).every(isPythonWhitespace);
}

/** A chunk as code points, so lengths and cuts match Python's. */
type Chunk = string[];

function handleLongWord(chunks: Chunk[], line: Chunk[], lineLength: number, width: number) {
  const spaceLeft = width < 1 ? 1 : width - lineLength;
  const chunk = chunks[chunks.length - 1];
  let end = spaceLeft;

  // Break after the last hyphen that fits, if something other than hyphens precedes it.
  if (chunk.length > spaceLeft) {
    const hyphen = chunk.slice(0, spaceLeft).lastIndexOf("-");
    if (hyphen > 0 && chunk.slice(0, hyphen).some((character) => character !== "-")) {
      end = hyphen + 1;
    }
  }
  line.push(chunk.slice(0, end));
  chunks[chunks.length - 1] = chunk.slice(end);
}

/** TextWrapper.wrap: the lines of one paragraph, indents included. */
export function wrap(text: string, options: WrapOptions): string[] {
  const chunks: Chunk[] = splitChunks(expandTabs(text))
    .map((chunk) => Array.from(chunk))
    .reverse();
  const lines: string[] = [];

  while (chunks.length > 0) {
    const line: Chunk[] = [];
    let lineLength = 0;
    const indent = lines.length > 0 ? options.subsequentIndent : options.initialIndent;
    const width = options.width - Array.from(indent).length;

    if (isBlank(chunks[chunks.length - 1].join("")) && lines.length > 0) {
      chunks.pop();
    }

    while (chunks.length > 0) {
      const length = chunks[chunks.length - 1].length;
      if (lineLength + length > width) {
        break;
      }
      line.push(chunks.pop() as Chunk);
      lineLength += length;
    }

    if (chunks.length > 0 && chunks[chunks.length - 1].length > width) {
      handleLongWord(chunks, line, lineLength, width);
      lineLength = line.reduce((sum, chunk) => sum + chunk.length, 0);
    }

    if (line.length > 0 && isBlank(line[line.length - 1].join(""))) {
      lineLength -= line[line.length - 1].length;
      line.pop();
    }

    if (line.length > 0) {
      lines.push(indent + line.map((chunk) => chunk.join("")).join(""));
    }
  }
  return lines;
}

/** TextWrapper.fill. */
export function fill(text: string, options: WrapOptions): string {
  return wrap(text, options).join("\n");
}

/**
 * knack's `_print_indent`: every newline-separated paragraph wrapped on its own, each line
 * ending in a newline (print adds one per paragraph, even an empty one).
 */
export function printIndent(text: string, indent = 0, subsequentSpaces = -1, width = 100): string {
  const initialIndent = "    ".repeat(indent);
  const subsequentIndent = subsequentSpaces === -1 ? initialIndent : " ".repeat(subsequentSpaces);
  return text
    .split("\n")
    .map((paragraph) => fill(paragraph, { width, initialIndent, subsequentIndent }) + "\n")
    .join("");
}
