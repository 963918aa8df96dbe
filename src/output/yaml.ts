// `-o yaml`: the text PyYAML 6.0's safe_dump(default_flow_style=False, allow_unicode=True)
// writes, which is what az prints. Our own emitter reproduces PyYAML's observable rules: sorted
// keys, block collections with flow-style empty ones, anchors for containers that appear twice,
// the YAML 1.1 resolvers that decide when a string needs quotes, plain and single-quoted
// scalars folded at spaces past column 80, double quotes with escapes for special characters,
// and the `...` marker after a plain scalar at the document root.

import {
  ExpressionReference,
  PythonFloat,
  compareStrings,
  floatRepr,
  isDict,
  isNumber,
  isOrderedDict,
  numberText,
  numberValue,
  setKey,
  type PythonDict,
} from "./python.js";

type ScalarTag = "str" | "null" | "bool" | "int" | "float";

type YamlNode =
  | { kind: "scalar"; tag: ScalarTag; value: string }
  | { kind: "sequence"; items: YamlNode[] }
  | { kind: "mapping"; pairs: Array<[YamlNode, YamlNode]> };

// ---------------------------------------------------------------------------------------------
// Representing values as nodes

function floatText(n: number): string {
  if (Number.isNaN(n)) {
    return ".nan";
  }
  if (!Number.isFinite(n)) {
    return n > 0 ? ".inf" : "-.inf";
  }
  const text = floatRepr(n).toLowerCase();
  return !text.includes(".") && text.includes("e") ? text.replace("e", ".0e") : text;
}

class Representer {
  // Containers met before are represented by the same node, which later becomes an alias.
  private readonly represented = new Map<object, YamlNode>();

  represent(value: unknown): YamlNode {
    if (value === null || value === undefined) {
      return { kind: "scalar", tag: "null", value: "null" };
    }
    if (typeof value === "boolean") {
      return { kind: "scalar", tag: "bool", value: value ? "true" : "false" };
    }
    if (typeof value === "string") {
      return { kind: "scalar", tag: "str", value };
    }
    if (
      value instanceof PythonFloat ||
      (typeof value === "number" && !Number.isSafeInteger(value))
    ) {
      return { kind: "scalar", tag: "float", value: floatText(numberValue(value)) };
    }
    if (isNumber(value)) {
      return { kind: "scalar", tag: "int", value: numberText(value) };
    }

    const known = this.represented.get(value as object);
    if (known !== undefined) {
      return known;
    }
    if (Array.isArray(value)) {
      const node: YamlNode = { kind: "sequence", items: [] };
      this.represented.set(value, node);
      for (const item of value) {
        node.items.push(this.represent(item));
      }
      return node;
    }

    const dict = value as PythonDict;
    const node: YamlNode = { kind: "mapping", pairs: [] };
    this.represented.set(dict, node);
    const keys = Object.keys(dict).sort(compareStrings);
    for (const key of keys) {
      node.pairs.push([this.represent(key), this.represent(dict[key])]);
    }
    return node;
  }
}

/** Anchor names (`id001`, …) for the nodes reached more than once, in PyYAML's order. */
function assignAnchors(root: YamlNode): Map<YamlNode, string | null> {
  const anchors = new Map<YamlNode, string | null>();
  let lastAnchor = 0;
  const visit = (node: YamlNode) => {
    if (anchors.has(node)) {
      if (anchors.get(node) === null) {
        lastAnchor += 1;
        anchors.set(node, `id${String(lastAnchor).padStart(3, "0")}`);
      }
      return;
    }
    anchors.set(node, null);
    if (node.kind === "sequence") {
      node.items.forEach(visit);
    } else if (node.kind === "mapping") {
      for (const [key, item] of node.pairs) {
        visit(key);
        visit(item);
      }
    }
  };
  visit(root);
  return anchors;
}

// ---------------------------------------------------------------------------------------------
// YAML 1.1 implicit resolvers: a string that would read back as another type must be quoted.
// Python's `$` also matches before a final newline, hence the `\n?`.

const RESOLVERS: Array<{ first: string; pattern: RegExp }> = [
  {
    first: "yYnNtTfFoO",
    pattern: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\n?$/,
  },
  {
    first: "-+0123456789.",
    pattern:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\n?$/,
  },
  {
    first: "-+0123456789",
    pattern:
      /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\n?$/,
  },
  { first: "<", pattern: /^(?:<<)\n?$/ },
  { first: "~nN", pattern: /^(?:~|null|Null|NULL|)\n?$/ },
  {
    first: "0123456789",
    pattern:
      /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\n?$/,
  },
  { first: "=", pattern: /^(?:=)\n?$/ },
  { first: "!&*", pattern: /^(?:!|&|\*)\n?$/ },
];

/** Whether the plain form of a scalar reads back with its own tag. */
function plainReadsBack(node: Extract<YamlNode, { kind: "scalar" }>): boolean {
  if (node.tag !== "str") {
    return true;
  }
  const { value } = node;
  if (value === "") {
    return false;
  }
  const first = value[0];
  return !RESOLVERS.some(
    ({ first: starts, pattern }) => starts.includes(first) && pattern.test(value),
  );
}

// ---------------------------------------------------------------------------------------------
// Scalar analysis

interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

const BREAKS = "\n\x85\u2028\u2029";
const SPACE_OR_BREAK = "\0 \t\r\n\x85\u2028\u2029";

function isUnicodePrintable(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (
    (code === 0x85 ||
      (code >= 0xa0 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code < 0x10ffff)) &&
    code !== 0xfeff
  );
}

function analyzeScalar(characters: readonly string[]): ScalarAnalysis {
  if (characters.length === 0) {
    return {
      empty: true,
      multiline: false,
      allowFlowPlain: false,
      allowBlockPlain: true,
      allowSingleQuoted: true,
    };
  }

  const text = characters.join("");
  let blockIndicators = text.startsWith("---") || text.startsWith("...");
  let flowIndicators = blockIndicators;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;

  let precededByWhitespace = true;
  let followedByWhitespace = characters.length === 1 || SPACE_OR_BREAK.includes(characters[1]);
  let previousSpace = false;
  let previousBreak = false;

  const last = characters.length - 1;
  for (let index = 0; index < characters.length; index += 1) {
    const character = characters[index];

    if (index === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(character)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (character === "?" || character === ":") {
        flowIndicators = true;
        if (followedByWhitespace) {
          blockIndicators = true;
        }
      }
      if (character === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (",?[]{}".includes(character)) {
        flowIndicators = true;
      }
      if (character === ":") {
        flowIndicators = true;
        if (followedByWhitespace) {
          blockIndicators = true;
        }
      }
      if (character === "#" && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }

    const isBreak = BREAKS.includes(character);
    if (isBreak) {
      lineBreaks = true;
    }
    if (!(character === "\n" || (character >= "\x20" && character <= "\x7e"))) {
      if (!isUnicodePrintable(character)) {
        specialCharacters = true;
      }
    }

    if (character === " ") {
      leadingSpace ||= index === 0;
      trailingSpace ||= index === last;
      breakSpace ||= previousBreak;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak) {
      leadingBreak ||= index === 0;
      trailingBreak ||= index === last;
      spaceBreak ||= previousSpace;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }

    precededByWhitespace = SPACE_OR_BREAK.includes(character);
    followedByWhitespace =
      index + 2 >= characters.length || SPACE_OR_BREAK.includes(characters[index + 2]);
  }

  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    allowFlowPlain = allowBlockPlain = false;
  }
  if (breakSpace) {
    allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  }
  if (spaceBreak || specialCharacters) {
    allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  }
  if (lineBreaks) {
    allowFlowPlain = allowBlockPlain = false;
  }
  if (flowIndicators) {
    allowFlowPlain = false;
  }
  if (blockIndicators) {
    allowBlockPlain = false;
  }
  return {
    empty: false,
    multiline: lineBreaks,
    allowFlowPlain,
    allowBlockPlain,
    allowSingleQuoted,
  };
}

// ---------------------------------------------------------------------------------------------
// Emitting

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\x09": "t",
  "\x0a": "n",
  "\x0b": "v",
  "\x0c": "f",
  "\x0d": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xa0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

interface NodeContext {
  root?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

class Emitter {
  private output = "";
  private indent: number | null = null;
  private readonly indents: Array<number | null> = [];
  private flowLevel = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private readonly emitted = new Set<YamlNode>();

  constructor(private readonly anchors: Map<YamlNode, string | null>) {}

  document(root: YamlNode): string {
    this.node(root, { root: true });
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator("...", true);
      this.writeIndent();
    }
    return this.output;
  }

  private write(text: string, width: number): void {
    this.output += text;
    this.column += width;
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) {
      this.indent = flow ? BEST_INDENT : 0;
    } else if (!indentless) {
      this.indent += BEST_INDENT;
    }
  }

  private restoreIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    whitespace = false,
    indention = false,
  ): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
    this.write(data, Array.from(data).length);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column), indent - this.column);
    }
  }

  private writeLineBreak(data = "\n"): void {
    this.whitespace = true;
    this.indention = true;
    this.output += data;
    this.column = 0;
  }

  private node(node: YamlNode, context: NodeContext): void {
    const anchor = this.anchors.get(node) ?? null;
    if (anchor !== null && this.emitted.has(node)) {
      this.writeIndicator(`*${anchor}`, true);
      return;
    }
    this.emitted.add(node);
    if (anchor !== null) {
      this.writeIndicator(`&${anchor}`, true);
    }

    if (node.kind === "scalar") {
      this.increaseIndent(true);
      this.scalar(node, context);
      this.restoreIndent();
    } else if (node.kind === "sequence") {
      if (this.flowLevel > 0 || node.items.length === 0) {
        this.emptyCollection("[", "]");
      } else {
        this.blockSequence(node.items, context);
      }
    } else if (this.flowLevel > 0 || node.pairs.length === 0) {
      this.emptyCollection("{", "}");
    } else {
      this.blockMapping(node.pairs);
    }
  }

  private emptyCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.flowLevel += 1;
    this.increaseIndent(true);
    this.restoreIndent();
    this.flowLevel -= 1;
    this.writeIndicator(close, false);
  }

  private blockSequence(items: YamlNode[], context: NodeContext): void {
    const indentless = context.mapping === true && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, {});
    }
    this.restoreIndent();
  }

  private blockMapping(pairs: Array<[YamlNode, YamlNode]>): void {
    this.increaseIndent(false);
    for (const [key, value] of pairs) {
      this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(":", false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.restoreIndent();
  }

  private isSimpleKey(key: YamlNode): boolean {
    if (key.kind !== "scalar") {
      return false;
    }
    const characters = Array.from(key.value);
    const analysis = analyzeScalar(characters);
    return characters.length < 128 && !analysis.empty && !analysis.multiline;
  }

  private scalar(node: Extract<YamlNode, { kind: "scalar" }>, context: NodeContext): void {
    const characters = Array.from(node.value);
    const analysis = analyzeScalar(characters);
    const simpleKey = context.simpleKey === true;
    const split = !simpleKey;

    const plainAllowed =
      plainReadsBack(node) &&
      !(simpleKey && (analysis.empty || analysis.multiline)) &&
      (this.flowLevel > 0 ? analysis.allowFlowPlain : analysis.allowBlockPlain);
    if (plainAllowed) {
      this.writePlain(characters, split, context.root === true);
    } else if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) {
      this.writeSingleQuoted(characters, split);
    } else {
      this.writeDoubleQuoted(characters, split);
    }
  }

  private writeText(characters: readonly string[], start: number, end: number): void {
    this.write(characters.slice(start, end).join(""), end - start);
  }

  private writeBreaks(characters: readonly string[], start: number, end: number): void {
    if (characters[start] === "\n") {
      this.writeLineBreak();
    }
    for (const lineBreak of characters.slice(start, end)) {
      this.writeLineBreak(lineBreak === "\n" ? "\n" : lineBreak);
    }
    this.writeIndent();
  }

  private writePlain(characters: readonly string[], split: boolean, root: boolean): void {
    if (root) {
      this.openEnded = true;
    }
    if (characters.length === 0) {
      return;
    }
    if (!this.whitespace) {
      this.write(" ", 1);
    }
    this.whitespace = false;
    this.indention = false;

    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= characters.length; end += 1) {
      const character: string | undefined = characters[end];
      if (spaces) {
        if (character !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.writeText(characters, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (character === undefined || !BREAKS.includes(character)) {
          this.writeBreaks(characters, start, end);
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (character === undefined || ` ${BREAKS}`.includes(character)) {
        this.writeText(characters, start, end);
        start = end;
      }
      if (character !== undefined) {
        spaces = character === " ";
        breaks = BREAKS.includes(character);
      }
    }
  }

  private writeSingleQuoted(characters: readonly string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= characters.length; end += 1) {
      const character: string | undefined = characters[end];
      if (spaces) {
        if (character === undefined || character !== " ") {
          if (
            start + 1 === end &&
            this.column > BEST_WIDTH &&
            split &&
            start !== 0 &&
            end !== characters.length
          ) {
            this.writeIndent();
          } else {
            this.writeText(characters, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (character === undefined || !BREAKS.includes(character)) {
          this.writeBreaks(characters, start, end);
          start = end;
        }
      } else if (character === undefined || ` ${BREAKS}`.includes(character) || character === "'") {
        if (start < end) {
          this.writeText(characters, start, end);
          start = end;
        }
      }
      if (character === "'") {
        this.write("''", 2);
        start = end + 1;
      }
      if (character !== undefined) {
        spaces = character === " ";
        breaks = BREAKS.includes(character);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(characters: readonly string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= characters.length; end += 1) {
      const character: string | undefined = characters[end];
      if (character === undefined || needsEscape(character)) {
        if (start < end) {
          this.writeText(characters, start, end);
          start = end;
        }
        if (character !== undefined) {
          const escape = escapeCharacter(character);
          this.write(escape, escape.length);
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < characters.length - 1 &&
        (character === " " || start >= end) &&
        this.column + (end - start) > BEST_WIDTH &&
        split
      ) {
        const data = `${characters.slice(start, end).join("")}\\`;
        this.write(data, end - start + 1);
        if (start < end) {
          start = end;
        }
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (characters[start] === " ") {
          this.write("\\", 1);
        }
      }
    }
    this.writeIndicator('"', false);
  }
}

function needsEscape(character: string): boolean {
  if ('"\\\x85\u2028\u2029\ufeff'.includes(character)) {
    return true;
  }
  const code = character.codePointAt(0) ?? 0;
  const printable =
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd);
  return !printable;
}

function escapeCharacter(character: string): string {
  const short = DOUBLE_QUOTE_ESCAPES[character];
  if (short !== undefined) {
    return `\\${short}`;
  }
  const code = character.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) {
    return `\\x${hex.padStart(2, "0")}`;
  }
  if (code <= 0xffff) {
    return `\\u${hex.padStart(4, "0")}`;
  }
  return `\\U${hex.padStart(8, "0")}`;
}

// ---------------------------------------------------------------------------------------------

function containsOrderedDict(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(containsOrderedDict);
  }
  if (isDict(value)) {
    return isOrderedDict(value) || Object.values(value).some(containsOrderedDict);
  }
  return false;
}

function containsExpression(value: unknown): boolean {
  if (value instanceof ExpressionReference) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsExpression);
  }
  return isDict(value) && Object.values(value).some(containsExpression);
}

/** json.loads(json.dumps(value)): same data, no ordered dicts, no shared containers. */
function jsonRoundTrip(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(jsonRoundTrip);
  }
  if (isDict(value)) {
    const copy: PythonDict = {};
    for (const [key, item] of Object.entries(value)) {
      setKey(copy, key, jsonRoundTrip(item));
    }
    return copy;
  }
  return value;
}

/** The text `az … -o yaml` prints for `value`. */
export function formatYaml(value: unknown): string {
  // PyYAML's safe representer refuses both; az then retries through JSON, which refuses an
  // expression reference and accepts an ordered dict.
  if (containsExpression(value)) {
    throw new Error("Object of type _Expression is not JSON serializable");
  }
  const data = containsOrderedDict(value) ? jsonRoundTrip(value) : value;

  const root = new Representer().represent(data);
  return new Emitter(assignAnchors(root)).document(root);
}
