/**
 * Lexer and parser of Go's text/template language (delimiters {{ }}), producing the same
 * tree shapes, node positions and error messages as Go's text/template/parse package.
 */

export class TemplateParseError extends Error {
  override name = "TemplateParseError";
}

// ---------------------------------------------------------------------------------------
// Lexer

const enum Item {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

interface Token {
  type: Item;
  pos: number;
  val: string;
  line: number;
}

const keywords: Record<string, Item> = {
  ".": Item.Dot,
  block: Item.Block,
  break: Item.Break,
  continue: Item.Continue,
  define: Item.Define,
  else: Item.Else,
  end: Item.End,
  if: Item.If,
  range: Item.Range,
  nil: Item.Nil,
  template: Item.Template,
  with: Item.With,
};

const leftDelim = "{{";
const rightDelim = "}}";

function isSpace(char: string): boolean {
  return char === " " || char === "\t" || char === "\r" || char === "\n";
}

const letterOrDigit = /^[\p{L}\p{Nd}]$/u;

function isAlphaNumeric(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) {
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f
    );
  }
  return letterOrDigit.test(char);
}

function isAsciiPrintable(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= 0x20 && code < 0x7f;
}

/** Go's %#U of a rune: U+0041 'A'. */
function formatRune(char: string): string {
  if (char === "") return "U+FFFFFFFFFFFFFFFF";
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) || char === " " ? `U+${hex} '${char}'` : `U+${hex}`;
}

class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  readonly tokens: Token[] = [];
  private lineStarts: number[] = [];

  constructor(private readonly input: string) {
    for (let i = input.indexOf("\n"); i >= 0; i = input.indexOf("\n", i + 1)) {
      this.lineStarts.push(i);
    }
  }

  lineAt(pos: number): number {
    // Binary search over newline offsets: the line is 1 + the newlines before pos.
    let low = 0;
    let high = this.lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.lineStarts[mid] < pos) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  }

  run(): Token[] {
    let state: (() => unknown) | null = () => this.lexText();
    while (state) state = state() as (() => unknown) | null;
    return this.tokens;
  }

  private emit(type: Item): void {
    this.tokens.push({
      type,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.lineAt(this.start),
    });
    this.start = this.pos;
  }

  private error(message: string): null {
    this.tokens.push({
      type: Item.Error,
      pos: this.start,
      val: message,
      line: this.lineAt(this.start),
    });
    return null;
  }

  private next(): string {
    const char = this.peek();
    this.pos += char.length;
    return char;
  }

  private peek(): string {
    if (this.pos >= this.input.length) return "";
    const code = this.input.charCodeAt(this.pos);
    if (code < 0xd800 || code > 0xdbff) return this.input[this.pos];
    return String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }

  private backup(char: string): void {
    this.pos -= char.length;
  }

  private accept(valid: string): boolean {
    const char = this.next();
    if (char !== "" && valid.includes(char)) return true;
    this.backup(char);
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const char = this.next();
      if (char === "" || !valid.includes(char)) {
        this.backup(char);
        return;
      }
    }
  }

  private hasLeftTrimMarker(at: number): boolean {
    return this.input[at] === "-" && at + 1 < this.input.length && isSpace(this.input[at + 1]);
  }

  private hasRightTrimMarker(at: number): boolean {
    return at + 1 < this.input.length && isSpace(this.input[at]) && this.input[at + 1] === "-";
  }

  private atRightDelim(): [boolean, boolean] {
    if (this.hasRightTrimMarker(this.pos) && this.input.startsWith(rightDelim, this.pos + 2)) {
      return [true, true];
    }
    return [this.input.startsWith(rightDelim, this.pos), false];
  }

  private lexText(): (() => unknown) | null {
    const found = this.input.indexOf(leftDelim, this.pos);
    if (found >= 0) {
      if (found > this.pos || found > this.start) {
        this.pos = found;
        let end = found;
        if (this.hasLeftTrimMarker(found + leftDelim.length)) {
          while (end > this.start && isSpace(this.input[end - 1])) end--;
        }
        if (end > this.start) {
          this.tokens.push({
            type: Item.Text,
            pos: this.start,
            val: this.input.slice(this.start, end),
            line: this.lineAt(this.start),
          });
        }
        this.start = this.pos;
      }
      return () => this.lexLeftDelim();
    }
    this.pos = this.input.length;
    if (this.pos > this.start) this.emit(Item.Text);
    this.emit(Item.EOF);
    return null;
  }

  private lexLeftDelim(): (() => unknown) | null {
    this.pos += leftDelim.length;
    const trim = this.hasLeftTrimMarker(this.pos);
    const afterMarker = trim ? 2 : 0;
    if (this.input.startsWith("/*", this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.start = this.pos;
      return () => this.lexComment();
    }
    this.tokens.push({
      type: Item.LeftDelim,
      pos: this.start,
      val: leftDelim,
      line: this.lineAt(this.start),
    });
    this.pos += afterMarker;
    this.start = this.pos;
    this.parenDepth = 0;
    return () => this.lexInsideAction();
  }

  private lexComment(): (() => unknown) | null {
    this.pos += 2;
    const end = this.input.indexOf("*/", this.pos);
    if (end < 0) return this.error("unclosed comment");
    this.pos = end + 2;
    const [delim, trim] = this.atRightDelim();
    if (!delim) return this.error("comment ends before closing delimiter");
    if (trim) this.pos += 2;
    this.pos += rightDelim.length;
    if (trim) while (this.pos < this.input.length && isSpace(this.input[this.pos])) this.pos++;
    this.start = this.pos;
    return () => this.lexText();
  }

  private lexRightDelim(trim: boolean): (() => unknown) | null {
    if (trim) {
      this.pos += 2;
      this.start = this.pos;
    }
    this.pos += rightDelim.length;
    this.emit(Item.RightDelim);
    if (trim) {
      while (this.pos < this.input.length && isSpace(this.input[this.pos])) this.pos++;
      this.start = this.pos;
    }
    return () => this.lexText();
  }

  private lexInsideAction(): (() => unknown) | null {
    const [delim, trim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim(trim);
      return this.error("unclosed left paren");
    }
    const char = this.next();
    if (char === "") return this.error("unclosed action");
    if (isSpace(char)) {
      this.backup(char);
      return this.lexSpace();
    }
    switch (char) {
      case "=":
        this.emit(Item.Assign);
        return () => this.lexInsideAction();
      case ":":
        if (this.next() !== "=") return this.error("expected :=");
        this.emit(Item.Declare);
        return () => this.lexInsideAction();
      case "|":
        this.emit(Item.Pipe);
        return () => this.lexInsideAction();
      case '"':
        return this.lexQuote();
      case "`":
        return this.lexRawQuote();
      case "$":
        return this.lexVariable();
      case "'":
        return this.lexChar();
      case "(":
        this.emit(Item.LeftParen);
        this.parenDepth++;
        return () => this.lexInsideAction();
      case ")":
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error("unexpected right paren");
        this.emit(Item.RightParen);
        return () => this.lexInsideAction();
    }
    if (char === ".") {
      const following = this.input[this.pos];
      if (this.pos < this.input.length && (following < "0" || following > "9")) {
        return this.lexFieldOrVariable(Item.Field);
      }
    }
    if (char === "." || char === "+" || char === "-" || (char >= "0" && char <= "9")) {
      this.backup(char);
      return this.lexNumber();
    }
    if (isAlphaNumeric(char)) {
      this.backup(char);
      return this.lexIdentifier();
    }
    if (isAsciiPrintable(char)) {
      this.emit(Item.Char);
      return () => this.lexInsideAction();
    }
    return this.error(`unrecognized character in action: ${formatRune(char)}`);
  }

  private lexSpace(): (() => unknown) | null {
    let count = 0;
    while (this.pos < this.input.length && isSpace(this.input[this.pos])) {
      this.pos++;
      count++;
    }
    // A space directly before "-}}" belongs to the trim marker.
    if (this.hasRightTrimMarker(this.pos - 1) && this.input.startsWith(rightDelim, this.pos + 1)) {
      this.pos--;
      if (count === 1) return () => this.lexInsideAction();
    }
    this.emit(Item.Space);
    return () => this.lexInsideAction();
  }

  private lexIdentifier(): (() => unknown) | null {
    for (;;) {
      const char = this.next();
      if (char !== "" && isAlphaNumeric(char)) continue;
      this.backup(char);
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.error(`bad character ${formatRune(char)}`);
      const keyword = keywords[word];
      if (keyword !== undefined && Object.prototype.hasOwnProperty.call(keywords, word)) {
        this.emit(keyword);
      } else if (word[0] === ".") {
        this.emit(Item.Field);
      } else if (word === "true" || word === "false") {
        this.emit(Item.Bool);
      } else {
        this.emit(Item.Identifier);
      }
      return () => this.lexInsideAction();
    }
  }

  private lexVariable(): (() => unknown) | null {
    if (this.atTerminator()) {
      this.emit(Item.Variable);
      return () => this.lexInsideAction();
    }
    return this.lexFieldOrVariable(Item.Variable);
  }

  private lexFieldOrVariable(type: Item): (() => unknown) | null {
    if (this.atTerminator()) {
      this.emit(type === Item.Variable ? Item.Variable : Item.Dot);
      return () => this.lexInsideAction();
    }
    let char: string;
    for (;;) {
      char = this.next();
      if (char === "" || !isAlphaNumeric(char)) {
        this.backup(char);
        break;
      }
    }
    if (!this.atTerminator()) return this.error(`bad character ${formatRune(char)}`);
    this.emit(type);
    return () => this.lexInsideAction();
  }

  private atTerminator(): boolean {
    const char = this.peek();
    if (char === "" || isSpace(char)) return true;
    switch (char) {
      case ".":
      case ",":
      case "|":
      case ":":
      case ")":
      case "(":
        return true;
    }
    return char === rightDelim[0];
  }

  private lexQuoted(quote: string, message: string): (() => unknown) | null {
    for (;;) {
      let char = this.next();
      if (char === "\\") {
        char = this.next();
        if (char !== "" && char !== "\n") continue;
        return this.error(message);
      }
      if (char === "" || char === "\n") return this.error(message);
      if (char === quote) break;
    }
    this.emit(quote === '"' ? Item.String : Item.CharConstant);
    return () => this.lexInsideAction();
  }

  private lexQuote(): (() => unknown) | null {
    return this.lexQuoted('"', "unterminated quoted string");
  }

  private lexChar(): (() => unknown) | null {
    return this.lexQuoted("'", "unterminated character constant");
  }

  private lexRawQuote(): (() => unknown) | null {
    const end = this.input.indexOf("`", this.pos);
    if (end < 0) return this.error("unterminated raw quoted string");
    this.pos = end + 1;
    this.emit(Item.RawString);
    return () => this.lexInsideAction();
  }

  private lexNumber(): (() => unknown) | null {
    if (!this.scanNumber()) {
      return this.error(`bad number syntax: ${quoteGo(this.input.slice(this.start, this.pos))}`);
    }
    const sign = this.peek();
    if (sign === "+" || sign === "-") {
      if (!this.scanNumber() || this.input[this.pos - 1] !== "i") {
        return this.error(`bad number syntax: ${quoteGo(this.input.slice(this.start, this.pos))}`);
      }
      this.emit(Item.Complex);
    } else {
      this.emit(Item.Number);
    }
    return () => this.lexInsideAction();
  }

  private scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    const following = this.peek();
    if (following !== "" && isAlphaNumeric(following)) {
      this.next();
      return false;
    }
    return true;
  }
}

/** %q of a string, for messages. */
function quoteGo(text: string): string {
  return JSON.stringify(text)
    .replace(/\\u007f/gi, "\\x7f")
    .replace(/\\u00([0-1][0-9a-f])/gi, (_all, hex: string) => `\\x${hex.toLowerCase()}`);
}

// ---------------------------------------------------------------------------------------
// Nodes

export interface TreeInfo {
  /** Name of the top-level template being parsed (ParseName). */
  parseName: string;
  text: string;
}

interface NodeBase {
  pos: number;
  tree: TreeInfo;
}

export interface TextNode extends NodeBase {
  type: "text";
  text: string;
}
export interface ActionNode extends NodeBase {
  type: "action";
  line: number;
  pipe: PipeNode;
}
export interface PipeNode extends NodeBase {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends NodeBase {
  type: "command";
  args: ArgNode[];
}
export interface FieldNode extends NodeBase {
  type: "field";
  ident: string[];
}
export interface VariableNode extends NodeBase {
  type: "variable";
  ident: string[];
}
export interface ChainNode extends NodeBase {
  type: "chain";
  node: ArgNode;
  field: string[];
}
export interface IdentifierNode extends NodeBase {
  type: "identifier";
  ident: string;
}
export interface DotNode extends NodeBase {
  type: "dot";
}
export interface NilNode extends NodeBase {
  type: "nil";
}
export interface BoolNode extends NodeBase {
  type: "bool";
  value: boolean;
}
export interface StringNode extends NodeBase {
  type: "string";
  quoted: string;
  text: string;
}
export interface NumberNode extends NodeBase {
  type: "number";
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  float: number;
}
export interface ListNode extends NodeBase {
  type: "list";
  nodes: Node[];
}
export interface BranchNode extends NodeBase {
  type: "if" | "range" | "with";
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends NodeBase {
  type: "template";
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode extends NodeBase {
  type: "break" | "continue";
  line: number;
}
interface EndNode extends NodeBase {
  type: "end" | "else";
  line: number;
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | StringNode
  | NumberNode
  | PipeNode;

export type Node =
  TextNode | ActionNode | BranchNode | TemplateNode | BreakNode | ListNode | ArgNode | CommandNode;

/** Node.String() as Go prints it (used in error contexts). */
export function nodeString(node: Node | EndNode): string {
  switch (node.type) {
    case "text":
      return node.text;
    case "action":
      return `{{${nodeString(node.pipe)}}}`;
    case "pipe": {
      let out = "";
      if (node.decl.length > 0) {
        out = node.decl.map(nodeString).join(", ") + (node.isAssign ? " = " : " := ");
      }
      return out + node.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return node.args
        .map((arg) => (arg.type === "pipe" ? `(${nodeString(arg)})` : nodeString(arg)))
        .join(" ");
    case "field":
      return node.ident.map((ident) => `.${ident}`).join("");
    case "variable":
      return node.ident.join(".");
    case "chain": {
      const head = node.node.type === "pipe" ? `(${nodeString(node.node)})` : nodeString(node.node);
      return head + node.field.map((field) => `.${field}`).join("");
    }
    case "identifier":
      return node.ident;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return node.value ? "true" : "false";
    case "string":
      return node.quoted;
    case "number":
      return node.text;
    case "list":
      return node.nodes.map(nodeString).join("");
    case "if":
    case "range":
    case "with": {
      const elsePart = node.elseList ? `{{else}}${nodeString(node.elseList)}` : "";
      return `{{${node.type} ${nodeString(node.pipe)}}}${nodeString(node.list)}${elsePart}{{end}}`;
    }
    case "template":
      return node.pipe
        ? `{{template ${quoteGo(node.name)} ${nodeString(node.pipe)}}}`
        : `{{template ${quoteGo(node.name)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
  }
}

// ---------------------------------------------------------------------------------------
// Go literal decoding

/** strconv.Unquote for "..." and `...` literals. */
export function unquoteString(text: string): string {
  if (text[0] === "`") {
    // Raw strings drop carriage returns.
    return text.slice(1, -1).replace(/\r/g, "");
  }
  if (!text.includes("\\") && text.indexOf('"', 1) === text.length - 1 && !text.includes("\n")) {
    return text.slice(1, -1);
  }
  const [value, rest] = unquoteChars(text.slice(1), '"');
  if (rest !== '"') throw new Error("invalid syntax");
  return value;
}

/** Decodes escapes until the closing quote; returns the value and the remaining text. */
function unquoteChars(text: string, quote: string): [string, string] {
  const bytes: number[] = [];
  let i = 0;
  const pushString = (value: string): void => {
    for (const byte of Buffer.from(value, "utf8")) bytes.push(byte);
  };
  while (i < text.length && text[i] !== quote) {
    const char = text[i];
    if (char !== "\\") {
      const code = text.codePointAt(i)!;
      const len = code > 0xffff ? 2 : 1;
      if (char === "\n") throw new Error("invalid syntax");
      pushString(text.slice(i, i + len));
      i += len;
      continue;
    }
    const escape = text[i + 1];
    i += 2;
    const simple: Record<string, number> = {
      a: 7,
      b: 8,
      f: 12,
      n: 10,
      r: 13,
      t: 9,
      v: 11,
      "\\": 92,
      "'": 39,
      '"': 34,
    };
    if (escape in simple) {
      if ((escape === "'" || escape === '"') && escape !== quote) throw new Error("invalid syntax");
      bytes.push(simple[escape]);
      continue;
    }
    if (escape === "x") {
      const hex = text.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error("invalid syntax");
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (escape === "u" || escape === "U") {
      const size = escape === "u" ? 4 : 8;
      const hex = text.slice(i, i + size);
      if (!new RegExp(`^[0-9a-fA-F]{${size}}$`).test(hex)) throw new Error("invalid syntax");
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) throw new Error("invalid syntax");
      pushString(String.fromCodePoint(code));
      i += size;
      continue;
    }
    if (escape >= "0" && escape <= "7") {
      const octal = text.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(octal)) throw new Error("invalid syntax");
      const value = parseInt(octal, 8);
      if (value > 255) throw new Error("invalid syntax");
      bytes.push(value);
      i += 2;
      continue;
    }
    throw new Error("invalid syntax");
  }
  return [Buffer.from(bytes).toString("utf8"), text.slice(i)];
}

function parseGoInt(text: string): number | undefined {
  let body = text;
  let negative = false;
  if (body[0] === "+" || body[0] === "-") {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  let base = 10;
  if (/^0[xX]/.test(body)) {
    base = 16;
    body = body.slice(2);
  } else if (/^0[oO]/.test(body)) {
    base = 8;
    body = body.slice(2);
  } else if (/^0[bB]/.test(body)) {
    base = 2;
    body = body.slice(2);
  } else if (/^0\d/.test(body) || /^0_/.test(body)) {
    base = 8;
    body = body.slice(1);
  }
  if (body.includes("_")) {
    // Underscores only between digits (or after a base prefix).
    if (/__|_$/.test(body) || (base === 10 && body.startsWith("_"))) return undefined;
    body = body.replace(/_/g, "");
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(body)) return undefined;
  const value = BigInt((base === 10 ? "" : { 2: "0b", 8: "0o", 16: "0x" }[base]) + body);
  const signed = negative ? -value : value;
  if (signed > 9223372036854775807n || signed < -9223372036854775808n) return undefined;
  return Number(signed);
}

// ---------------------------------------------------------------------------------------
// Parser

export interface ParsedTemplates {
  /** Trees by template name; the main one is under the name given to parse(). */
  trees: Map<string, ListNode>;
}

const lineOf = (tree: TreeInfo, pos: number): number => {
  let line = 1;
  for (let i = tree.text.indexOf("\n"); i >= 0 && i < pos; i = tree.text.indexOf("\n", i + 1)) {
    line++;
  }
  return line;
};

export { lineOf };

class Parser {
  private tokens: Token[];
  private index = 0;
  private furthest = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly tree: TreeInfo;
  readonly trees = new Map<string, ListNode>();

  constructor(
    private readonly name: string,
    text: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.tree = { parseName: name, text };
    this.tokens = new Lexer(text).run();
  }

  private errorf(message: string): never {
    const token = this.tokens[Math.min(this.furthest, this.tokens.length - 1)];
    throw new TemplateParseError(`template: ${this.name}:${token.line}: ${message}`);
  }

  private next(): Token {
    const token = this.tokens[Math.min(this.index, this.tokens.length - 1)];
    if (this.index > this.furthest) this.furthest = this.index;
    this.index++;
    return token;
  }

  private backup(count = 1): void {
    this.index -= count;
  }

  private peek(): Token {
    const token = this.next();
    this.backup();
    return token;
  }

  private nextNonSpace(): Token {
    let token: Token;
    do token = this.next();
    while (token.type === Item.Space);
    return token;
  }

  /** Like Go's: the spaces stay consumed, only the token itself is put back. */
  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  private tokenString(token: Token): string {
    if (token.type === Item.EOF) return "EOF";
    if (token.type === Item.Error) return token.val;
    if (token.type > Item.Keyword) return `<${token.val}>`;
    // %.10q limits the quoted output to 10 runes of the value.
    if (Buffer.byteLength(token.val) > 10)
      return `${quoteGo([...token.val].slice(0, 10).join(""))}...`;
    return quoteGo(token.val);
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === Item.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${this.tokenString(token)} in ${context}`);
  }

  private expect(type: Item, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  parse(): void {
    const root: ListNode = { type: "list", pos: this.peek().pos, tree: this.tree, nodes: [] };
    while (this.peek().type !== Item.EOF) {
      if (this.peek().type === Item.LeftDelim) {
        const start = this.index;
        this.next();
        if (this.nextNonSpace().type === Item.Define) {
          this.parseDefinition();
          continue;
        }
        this.index = start;
      }
      const node = this.textOrAction();
      if (node.type === "end" || node.type === "else")
        this.errorf(`unexpected ${nodeString(node)}`);
      root.nodes.push(node as Node);
    }
    this.add(this.name, root);
  }

  private add(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (!existing || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) {
      this.errorf(`template: multiple definition of template ${quoteGo(name)}`);
    }
  }

  private parseDefinition(): void {
    const context = "define clause";
    const token = this.nextNonSpace();
    if (token.type !== Item.String && token.type !== Item.RawString)
      this.unexpected(token, context);
    const name = this.unquote(token.val);
    this.expect(Item.RightDelim, context);
    const savedVars = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = savedVars;
    this.add(name, list);
  }

  private unquote(text: string): string {
    try {
      return unquoteString(text);
    } catch {
      return this.errorf("invalid syntax");
    }
  }

  private itemList(): [ListNode, EndNode] {
    const list: ListNode = {
      type: "list",
      pos: this.peekNonSpace().pos,
      tree: this.tree,
      nodes: [],
    };
    while (this.peekNonSpace().type !== Item.EOF) {
      const node = this.textOrAction();
      if (node.type === "end" || node.type === "else") return [list, node];
      list.nodes.push(node as Node);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node | EndNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Item.Text:
        return { type: "text", pos: token.pos, tree: this.tree, text: token.val };
      case Item.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
    }
    this.unexpected(token, "input");
  }

  private action(): Node | EndNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
      case Item.Continue:
        return this.breakControl(token);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return this.endControl();
      case Item.If:
        return this.branchControl("if");
      case Item.Range:
        return this.branchControl("range");
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branchControl("with");
    }
    this.backup();
    const first = this.peek();
    const pipe = this.pipeline("command", Item.RightDelim);
    return { type: "action", pos: first.pos, line: first.line, tree: this.tree, pipe };
  }

  private breakControl(token: Token): BreakNode {
    const keyword = token.type === Item.Break ? "break" : "continue";
    const following = this.nextNonSpace();
    if (following.type !== Item.RightDelim) this.unexpected(following, `{{${keyword}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${keyword}}} outside {{range}}`);
    return { type: keyword, pos: token.pos, line: token.line, tree: this.tree };
  }

  private elseControl(): EndNode {
    const peek = this.peekNonSpace();
    if (peek.type === Item.If || peek.type === Item.With) {
      return { type: "else", pos: peek.pos, line: peek.line, tree: this.tree };
    }
    const token = this.expect(Item.RightDelim, "else");
    return { type: "else", pos: token.pos, line: token.line, tree: this.tree };
  }

  private endControl(): EndNode {
    const token = this.expect(Item.RightDelim, "end");
    return { type: "end", pos: token.pos, line: token.line, tree: this.tree };
  }

  private branchControl(context: "if" | "range" | "with"): BranchNode {
    const savedVars = this.vars.length;
    const pipe = this.pipeline(context, Item.RightDelim);
    if (context === "range") this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === "range") this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === "else") {
      if (context === "if" && this.peek().type === Item.If) {
        this.next();
        elseList = {
          type: "list",
          pos: next.pos,
          tree: this.tree,
          nodes: [this.branchControl("if")],
        };
      } else if (context === "with" && this.peek().type === Item.With) {
        this.next();
        elseList = {
          type: "list",
          pos: next.pos,
          tree: this.tree,
          nodes: [this.branchControl("with")],
        };
      } else {
        const [list2, end] = this.itemList();
        if (end.type !== "end") this.errorf(`expected end; found ${nodeString(end)}`);
        elseList = list2;
      }
    }
    this.vars.length = savedVars;
    return { type: context, pos: pipe.pos, line: pipe.line, tree: this.tree, pipe, list, elseList };
  }

  private parseTemplateName(token: Token, context: string): string {
    if (token.type !== Item.String && token.type !== Item.RawString)
      this.unexpected(token, context);
    return this.unquote(token.val);
  }

  private templateControl(): TemplateNode {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    return { type: "template", pos: token.pos, line: token.line, tree: this.tree, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ["$"];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    this.add(name, list);
    return { type: "template", pos: token.pos, line: token.line, tree: this.tree, name, pipe };
  }

  private pipeline(context: string, end: Item): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: first.pos,
      line: first.line,
      tree: this.tree,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    decls: for (;;) {
      const mark = this.index;
      const variable = this.peekNonSpace();
      if (variable.type !== Item.Variable) break;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === Item.Assign || next.type === Item.Declare) {
        pipe.isAssign = next.type === Item.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(variable.pos, variable.val));
        this.vars.push(variable.val);
        break;
      }
      if (next.type === Item.Char && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(variable.pos, variable.val));
        this.vars.push(variable.val);
        if (context === "range" && pipe.decl.length < 2) {
          const following = this.peekNonSpace().type;
          if (
            following === Item.Variable ||
            following === Item.RightDelim ||
            following === Item.RightParen
          ) {
            continue decls;
          }
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.index = mark;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case Item.Bool:
        case Item.CharConstant:
        case Item.Complex:
        case Item.Dot:
        case Item.Field:
        case Item.Identifier:
        case Item.Number:
        case Item.Nil:
        case Item.RawString:
        case Item.String:
        case Item.Variable:
        case Item.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          continue;
      }
      this.unexpected(token, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      switch (cmd.args[0].type) {
        case "bool":
        case "dot":
        case "nil":
        case "number":
        case "string":
          this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = {
      type: "command",
      pos: this.peekNonSpace().pos,
      tree: this.tree,
      args: [],
    };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === Item.Space) continue;
      if (token.type === Item.RightDelim || token.type === Item.RightParen) {
        this.backup();
      } else if (token.type !== Item.Pipe) {
        this.unexpected(token, "operand");
      }
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== Item.Field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === Item.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos: chainPos, tree: this.tree, ident: [...node.ident, ...fields] };
      case "variable":
        return {
          type: "variable",
          pos: chainPos,
          tree: this.tree,
          ident: [...node.ident, ...fields],
        };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${quoteGo(nodeString(node))}`);
    }
    return { type: "chain", pos: chainPos, tree: this.tree, node, field: fields };
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: "variable", pos, tree: this.tree, ident: name.split(".") };
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Item.Identifier:
        if (!this.hasFunction(token.val)) this.errorf(`function ${quoteGo(token.val)} not defined`);
        return { type: "identifier", pos: token.pos, tree: this.tree, ident: token.val };
      case Item.Dot:
        return { type: "dot", pos: token.pos, tree: this.tree };
      case Item.Nil:
        return { type: "nil", pos: token.pos, tree: this.tree };
      case Item.Variable: {
        const variable = this.newVariable(token.pos, token.val);
        if (!this.vars.includes(variable.ident[0])) {
          this.errorf(`undefined variable ${quoteGo(variable.ident[0])}`);
        }
        return variable;
      }
      case Item.Field:
        return { type: "field", pos: token.pos, tree: this.tree, ident: [token.val.slice(1)] };
      case Item.Bool:
        return { type: "bool", pos: token.pos, tree: this.tree, value: token.val === "true" };
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number:
        return this.newNumber(token);
      case Item.LeftParen:
        return this.pipeline("parenthesized pipeline", Item.RightParen);
      case Item.String:
      case Item.RawString:
        return {
          type: "string",
          pos: token.pos,
          tree: this.tree,
          quoted: token.val,
          text: this.unquote(token.val),
        };
    }
    this.backup();
    return null;
  }

  private newNumber(token: Token): NumberNode {
    const text = token.val;
    const node: NumberNode = {
      type: "number",
      pos: token.pos,
      tree: this.tree,
      text,
      isInt: false,
      isUint: false,
      isFloat: false,
      isComplex: false,
      int: 0,
      float: 0,
    };
    if (token.type === Item.CharConstant) {
      let value: string;
      let rest: string;
      try {
        [value, rest] = unquoteChars(text.slice(1), "'");
      } catch {
        return this.errorf("invalid syntax");
      }
      if (rest !== "'" || [...value].length !== 1) {
        this.errorf(`malformed character constant: ${text}`);
      }
      const code = value.codePointAt(0)!;
      Object.assign(node, { isInt: true, isUint: true, isFloat: true, int: code, float: code });
      return node;
    }
    if (token.type === Item.Complex || text.endsWith("i")) {
      this.errorf(`complex numbers are not supported: ${quoteGo(text)}`);
    }
    const asInt = parseGoInt(text);
    if (asInt !== undefined) {
      node.isInt = true;
      node.int = asInt;
      node.isUint = asInt >= 0;
      node.isFloat = true;
      node.float = asInt;
      return node;
    }
    const unsigned = /^\+?\d+$/.test(text) ? BigInt(text.replace("+", "")) : undefined;
    if (unsigned !== undefined && unsigned <= 18446744073709551615n) {
      node.isUint = true;
      node.isFloat = true;
      node.float = Number(unsigned);
      return node;
    }
    const asFloat = parseGoFloat(text);
    if (asFloat !== undefined) {
      if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${quoteGo(text)}`);
      node.isFloat = true;
      node.float = asFloat;
      if (Number.isInteger(asFloat) && Math.abs(asFloat) < 2 ** 63) {
        node.isInt = true;
        node.int = asFloat;
        node.isUint = asFloat >= 0;
      }
      return node;
    }
    this.errorf(`illegal number syntax: ${quoteGo(text)}`);
  }
}

function parseGoFloat(text: string): number | undefined {
  const body = text.replace(/(\d)_(?=\d)/g, "$1");
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return Number(body);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(body);
  if (hex && (hex[2] || hex[3])) {
    const mantissa =
      parseInt(hex[2] || "0", 16) + (hex[3] ? parseInt(hex[3], 16) / 16 ** hex[3].length : 0);
    const value = mantissa * 2 ** Number(hex[4]);
    return hex[1] === "-" ? -value : value;
  }
  return undefined;
}

/** A tree is empty when it holds only whitespace text (and so can be redefined). */
function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((node) => node.type === "text" && node.text.trim() === "");
}

/** Parses a template; `{{define}}` and `{{block}}` add further named trees. */
export function parseTemplate(
  name: string,
  text: string,
  hasFunction: (name: string) => boolean,
): ParsedTemplates {
  const parser = new Parser(name, text, hasFunction);
  parser.parse();
  return { trees: parser.trees };
}
