// Tokens of a JMESPath expression, split the way jmespath 1.0.1 (az's) splits them: which
// characters it accepts decides which queries compile.

import { pythonLstrip } from "../python.js";
import { JsonLiteralError, loadJson } from "./json-literal.js";

export type TokenType =
  | "dot"
  | "star"
  | "rbracket"
  | "comma"
  | "colon"
  | "current"
  | "lparen"
  | "rparen"
  | "lbrace"
  | "rbrace"
  | "unquoted_identifier"
  | "quoted_identifier"
  | "flatten"
  | "filter"
  | "lbracket"
  | "literal"
  | "or"
  | "pipe"
  | "and"
  | "expref"
  | "number"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "ne"
  | "not"
  | "eq"
  | "eof";

export interface Token {
  type: TokenType;
  value: unknown;
}

export class QuerySyntaxError extends Error {}

const SIMPLE_TOKENS: Record<string, TokenType> = {
  ".": "dot",
  "*": "star",
  "]": "rbracket",
  ",": "comma",
  ":": "colon",
  "@": "current",
  "(": "lparen",
  ")": "rparen",
  "{": "lbrace",
  "}": "rbrace",
};

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

function isIdentifierStart(character: string | undefined): boolean {
  return character !== undefined && /^[A-Za-z_]$/.test(character);
}

function isIdentifierPart(character: string | undefined): boolean {
  return character !== undefined && /^[A-Za-z0-9_]$/.test(character);
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= "0" && character <= "9";
}

class Lexer {
  private readonly characters: string[];
  private position = 0;

  constructor(expression: string) {
    this.characters = Array.from(expression);
  }

  private get current(): string | undefined {
    return this.characters[this.position];
  }

  private next(): string | undefined {
    this.position += 1;
    return this.current;
  }

  tokenize(): Token[] {
    const tokens: Token[] = [];
    for (;;) {
      const character = this.current;
      if (character === undefined) {
        tokens.push({ type: "eof", value: "" });
        return tokens;
      }
      tokens.push(...this.readToken(character));
    }
  }

  private readToken(character: string): Token[] {
    const simple = SIMPLE_TOKENS[character];
    if (simple !== undefined) {
      this.next();
      return [{ type: simple, value: character }];
    }
    if (isIdentifierStart(character)) {
      let identifier = character;
      while (isIdentifierPart(this.next())) {
        identifier += this.current;
      }
      return [{ type: "unquoted_identifier", value: identifier }];
    }
    if (WHITESPACE.has(character)) {
      this.next();
      return [];
    }
    if (isDigit(character) || character === "-") {
      return [this.readNumber(character)];
    }

    switch (character) {
      case "[":
        return [this.readBracket()];
      case "'":
        return [{ type: "literal", value: this.consumeUntil("'").replaceAll("\\'", "'") }];
      case "|":
        return [this.matchOrElse("|", "or", "pipe")];
      case "&":
        return [this.matchOrElse("&", "and", "expref")];
      case "`":
        return [{ type: "literal", value: this.readJsonLiteral() }];
      case '"':
        return [{ type: "quoted_identifier", value: this.readQuotedIdentifier() }];
      case "<":
        return [this.matchOrElse("=", "lte", "lt")];
      case ">":
        return [this.matchOrElse("=", "gte", "gt")];
      case "!":
        return [this.matchOrElse("=", "ne", "not")];
      case "=":
        if (this.next() === "=") {
          this.next();
          return [{ type: "eq", value: "==" }];
        }
        throw new QuerySyntaxError("Unknown token '='");
      default:
        throw new QuerySyntaxError(`Unknown token ${character}`);
    }
  }

  private readNumber(first: string): Token {
    let text = first;
    while (isDigit(this.next())) {
      text += this.current;
    }
    if (text === "-") {
      throw new QuerySyntaxError("Unknown token '-'");
    }
    return { type: "number", value: Number(text) };
  }

  private readBracket(): Token {
    const following = this.next();
    if (following === "]") {
      this.next();
      return { type: "flatten", value: "[]" };
    }
    if (following === "?") {
      this.next();
      return { type: "filter", value: "[?" };
    }
    return { type: "lbracket", value: "[" };
  }

  private matchOrElse(expected: string, matchType: TokenType, elseType: TokenType): Token {
    const first = this.current;
    if (this.next() === expected) {
      this.next();
      return { type: matchType, value: `${first}${expected}` };
    }
    return { type: elseType, value: first };
  }

  /** Reads up to `delimiter`; a backslash keeps itself and the character after it. */
  private consumeUntil(delimiter: string): string {
    let buffer = "";
    this.next();
    while (this.current !== delimiter) {
      if (this.current === "\\") {
        buffer += "\\";
        this.next();
      }
      if (this.current === undefined) {
        throw new QuerySyntaxError(`Unclosed ${delimiter} delimiter`);
      }
      buffer += this.current;
      this.next();
    }
    this.next();
    return buffer;
  }

  private readJsonLiteral(): unknown {
    const lexeme = this.consumeUntil("`").replaceAll("\\`", "`");
    try {
      return loadJson(lexeme);
    } catch (error) {
      if (!(error instanceof JsonLiteralError)) {
        throw error;
      }
    }
    // The deprecated form: anything that is not JSON is read as the body of a JSON string.
    try {
      return loadJson(`"${pythonLstrip(lexeme)}"`);
    } catch {
      throw new QuerySyntaxError(`Bad token ${lexeme}`);
    }
  }

  private readQuotedIdentifier(): string {
    const lexeme = `"${this.consumeUntil('"')}"`;
    try {
      return loadJson(lexeme) as string;
    } catch {
      throw new QuerySyntaxError(`Bad quoted identifier ${lexeme}`);
    }
  }
}

export function tokenize(expression: string): Token[] {
  return new Lexer(expression).tokenize();
}
