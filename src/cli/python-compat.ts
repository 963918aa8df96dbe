// Small pieces of Python's string semantics that az's messages depend on: repr() quoting,
// str.strip() whitespace, int() parsing and code-point lengths.

/** Characters for which Python's str.isspace() is true. */
const PYTHON_WHITESPACE = new Set([
  "\t",
  "\n",
  "\x0b",
  "\x0c",
  "\r",
  "\x1c",
  "\x1d",
  "\x1e",
  "\x1f",
  " ",
  "\x85",
  "\xa0",
  "\u1680",
  "\u2000",
  "\u2001",
  "\u2002",
  "\u2003",
  "\u2004",
  "\u2005",
  "\u2006",
  "\u2007",
  "\u2008",
  "\u2009",
  "\u200a",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u205f",
  "\u3000",
]);

export function isPythonWhitespace(character: string): boolean {
  return PYTHON_WHITESPACE.has(character);
}

/** Python's `str.strip()` without arguments. */
export function pythonStrip(text: string): string {
  const characters = Array.from(text);
  let start = 0;
  let end = characters.length;
  while (start < end && isPythonWhitespace(characters[start])) {
    start += 1;
  }
  while (end > start && isPythonWhitespace(characters[end - 1])) {
    end -= 1;
  }
  return characters.slice(start, end).join("");
}

/** Python's len() of a str: code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  return Array.from(text).length;
}

const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

/** Python's repr() of a str, as argparse prints values with `%r`. */
export function pythonRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let text = quote;
  for (const character of value) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character === quote || character === "\\") {
      text += `\\${character}`;
    } else if (character === "\t") {
      text += "\\t";
    } else if (character === "\n") {
      text += "\\n";
    } else if (character === "\r") {
      text += "\\r";
    } else if (codePoint < 0x20 || codePoint === 0x7f) {
      text += `\\x${hex(codePoint, 2)}`;
    } else if (codePoint < 0x7f || character === " " || !NOT_PRINTABLE.test(character)) {
      text += character;
    } else if (codePoint <= 0xff) {
      text += `\\x${hex(codePoint, 2)}`;
    } else if (codePoint <= 0xffff) {
      text += `\\u${hex(codePoint, 4)}`;
    } else {
      text += `\\U${hex(codePoint, 8)}`;
    }
  }
  return text + quote;
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** The value of a Unicode decimal digit: Nd characters come in runs of ten, zero first. */
function decimalDigitValue(character: string): number | undefined {
  if (character >= "0" && character <= "9") {
    return character.charCodeAt(0) - 48;
  }
  if (!DECIMAL_DIGIT.test(character)) {
    return undefined;
  }
  let codePoint = character.codePointAt(0) ?? 0;
  let offset = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - 1))) {
    codePoint -= 1;
    offset += 1;
  }
  return offset % 10;
}

/** Python 3.11 refuses to convert decimal strings longer than this (int_max_str_digits). */
const MAX_INT_DIGITS = 4300;

/**
 * Python's `int(text)`: surrounding whitespace, a sign, any Unicode decimal digits and single
 * underscores between digits. Returns undefined where Python raises ValueError.
 */
export function parsePythonInt(text: string): number | undefined {
  const characters = Array.from(text);
  let index = 0;
  while (index < characters.length && isPythonWhitespace(characters[index])) {
    index += 1;
  }

  let negative = false;
  if (characters[index] === "+" || characters[index] === "-") {
    negative = characters[index] === "-";
    index += 1;
  }

  let digits = "";
  let previousWasDigit = false;
  for (; index < characters.length; index += 1) {
    const character = characters[index];
    const value = decimalDigitValue(character);
    if (value !== undefined) {
      digits += String(value);
      previousWasDigit = true;
      continue;
    }
    if (character === "_" && previousWasDigit) {
      const next = characters[index + 1];
      if (next === undefined || decimalDigitValue(next) === undefined) {
        return undefined;
      }
      previousWasDigit = false;
      continue;
    }
    break;
  }

  while (index < characters.length && isPythonWhitespace(characters[index])) {
    index += 1;
  }
  if (digits === "" || index !== characters.length || digits.length > MAX_INT_DIGITS) {
    return undefined;
  }
  const magnitude = Number(BigInt(digits));
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}
