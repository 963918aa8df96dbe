// Python's json.loads for JMESPath literals: what it accepts decides whether a query compiles,
// and it keeps the int/float distinction (`2` vs `2.0`) that JSON.parse loses.

import { pythonFloat, setKey, type PythonDict } from "../python.js";

export class JsonLiteralError extends Error {}

const JSON_WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class Reader {
  index = 0;

  constructor(readonly text: string) {}

  skipWhitespace(): void {
    while (this.index < this.text.length && JSON_WHITESPACE.has(this.text[this.index])) {
      this.index += 1;
    }
  }

  startsWith(word: string): boolean {
    return this.text.startsWith(word, this.index);
  }

  fail(): never {
    throw new JsonLiteralError(`invalid JSON at ${this.index}`);
  }
}

function readValue(reader: Reader): unknown {
  const character = reader.text[reader.index];
  if (character === '"') {
    return readString(reader);
  }
  if (character === "{") {
    return readObject(reader);
  }
  if (character === "[") {
    return readArray(reader);
  }

  const constants: Array<[string, unknown]> = [
    ["null", null],
    ["true", true],
    ["false", false],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ];
  for (const [word, value] of constants) {
    if (reader.startsWith(word)) {
      reader.index += word.length;
      return value;
    }
  }
  return readNumber(reader);
}

function readNumber(reader: Reader): unknown {
  const match = /^(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(
    reader.text.slice(reader.index),
  );
  if (!match) {
    reader.fail();
  }
  reader.index += match[0].length;
  if (match[2] === undefined && match[3] === undefined) {
    return Number(match[1]);
  }
  return pythonFloat(Number(match[0]));
}

function readString(reader: Reader): string {
  const { text } = reader;
  reader.index += 1;
  let result = "";
  for (;;) {
    if (reader.index >= text.length) {
      reader.fail();
    }
    const character = text[reader.index];
    if (character === '"') {
      reader.index += 1;
      return result;
    }
    if (character.charCodeAt(0) < 0x20) {
      reader.fail();
    }
    if (character !== "\\") {
      result += character;
      reader.index += 1;
      continue;
    }

    const escape = text[reader.index + 1];
    if (escape === "u") {
      const hex = text.slice(reader.index + 2, reader.index + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        reader.fail();
      }
      result += String.fromCharCode(parseInt(hex, 16));
      reader.index += 6;
    } else if (escape !== undefined && SIMPLE_ESCAPES[escape] !== undefined) {
      result += SIMPLE_ESCAPES[escape];
      reader.index += 2;
    } else {
      reader.fail();
    }
  }
}

function readArray(reader: Reader): unknown[] {
  reader.index += 1;
  const items: unknown[] = [];
  reader.skipWhitespace();
  if (reader.text[reader.index] === "]") {
    reader.index += 1;
    return items;
  }
  for (;;) {
    reader.skipWhitespace();
    items.push(readValue(reader));
    reader.skipWhitespace();
    const separator = reader.text[reader.index];
    reader.index += 1;
    if (separator === "]") {
      return items;
    }
    if (separator !== ",") {
      reader.fail();
    }
  }
}

function readObject(reader: Reader): PythonDict {
  reader.index += 1;
  const result: PythonDict = {};
  reader.skipWhitespace();
  if (reader.text[reader.index] === "}") {
    reader.index += 1;
    return result;
  }
  for (;;) {
    reader.skipWhitespace();
    if (reader.text[reader.index] !== '"') {
      reader.fail();
    }
    const key = readString(reader);
    reader.skipWhitespace();
    if (reader.text[reader.index] !== ":") {
      reader.fail();
    }
    reader.index += 1;
    reader.skipWhitespace();
    setKey(result, key, readValue(reader));
    reader.skipWhitespace();
    const separator = reader.text[reader.index];
    reader.index += 1;
    if (separator === "}") {
      return result;
    }
    if (separator !== ",") {
      reader.fail();
    }
  }
}

/** Parses `text` as Python's json.loads would, or throws JsonLiteralError. */
export function loadJson(text: string): unknown {
  const reader = new Reader(text);
  reader.skipWhitespace();
  if (reader.index >= text.length) {
    reader.fail();
  }
  const value = readValue(reader);
  reader.skipWhitespace();
  if (reader.index !== text.length) {
    reader.fail();
  }
  return value;
}
