/**
 * Decoding of task files with the semantics of the YAML library acb is built on (gopkg.in/yaml.v2,
 * non-strict): YAML 1.1 scalar resolution, unknown keys ignored, a scalar's source text accepted
 * for string fields, type mismatches collected as "unmarshal errors" with their line numbers, and
 * syntax errors reported as `yaml: line N: <problem>` in that library's words.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { Document, Node as YamlNode, YAMLError } from "yaml";

/**
 * A node as the Go decoder sees it: the source text of scalars, resolved aliases, 1-based lines.
 */
export type GoNode = GoScalar | GoMapping | GoSequence;

export interface GoScalar {
  kind: "scalar";
  line: number;
  /** The scalar's text after unquoting/folding. */
  value: string;
  /** Explicit tag in short form (`!!str`), or empty. */
  tag: string;
  /** True for plain scalars, whose type is resolved from their text. */
  implicit: boolean;
}

export interface GoMapping {
  kind: "mapping";
  line: number;
  tag: string;
  pairs: Array<[GoNode, GoNode]>;
}

export interface GoSequence {
  kind: "sequence";
  line: number;
  tag: string;
  items: GoNode[];
}

/** A YAML syntax or type error, with the message yaml.v2 gives (`yaml: …`). */
export class GoYamlError extends Error {}

const LONG_TAG_PREFIX = "tag:yaml.org,2002:";

function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? "!!" + tag.slice(LONG_TAG_PREFIX.length) : tag;
}

/**
 * Parses the first YAML document of `text`. Returns null for an empty document (no content),
 * which decodes to zero values.
 */
export function parseGoYaml(text: string): GoNode | null {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    version: "1.1",
    lineCounter,
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
  });
  if ("empty" in documents) {
    if (documents.errors.length > 0) {
      throw syntaxError(documents.errors[0], lineCounter, text);
    }
    return null;
  }
  const document = documents[0] as Document | undefined;
  if (!document) return null;

  if (document.errors.length > 0) {
    throw syntaxError(document.errors[0], lineCounter, text);
  }

  if (document.contents === null) {
    return null;
  }
  const converter = new NodeConverter(document, lineCounter);
  return converter.convert(document.contents as YamlNode);
}

/** More nodes than any real task file has: past it, aliases are being used to blow the tree up. */
const MAX_CONVERTED_NODES = 1_000_000;

class NodeConverter {
  private readonly resolving = new Set<unknown>();
  private converted = 0;

  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  private lineOf(offset: number | undefined): number {
    return this.lineCounter.linePos(offset ?? 0).line;
  }

  convert(node: YamlNode | null | undefined, fallbackOffset = 0): GoNode {
    if (++this.converted > MAX_CONVERTED_NODES) {
      throw new GoYamlError("yaml: document contains excessive aliasing");
    }
    if (node === null || node === undefined) {
      return {
        kind: "scalar",
        line: this.lineOf(fallbackOffset),
        value: "",
        tag: "",
        implicit: true,
      };
    }

    if (isAlias(node)) {
      const target = node.resolve(this.document);
      if (!target) {
        throw new GoYamlError(`yaml: unknown anchor '${node.source}' referenced`);
      }
      if (this.resolving.has(target)) {
        throw new GoYamlError(`yaml: anchor '${node.source}' value contains itself`);
      }
      this.resolving.add(target);
      const converted = this.convert(target as YamlNode);
      this.resolving.delete(target);
      return converted;
    }

    const line = this.lineOf(node.range?.[0]);
    const tag = node.tag ? shortTag(node.tag) : "";

    if (isScalar(node)) {
      const source = (node as { source?: unknown }).source;
      const value = typeof source === "string" ? source : String(node.value ?? "");
      return { kind: "scalar", line, value, tag, implicit: node.type === "PLAIN" };
    }

    if (isMap(node)) {
      const pairs: Array<[GoNode, GoNode]> = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyOffset = (pair.key as YamlNode | null)?.range?.[0] ?? node.range?.[0];
        const key = this.convert(pair.key as YamlNode | null, keyOffset);
        const valueOffset = (pair.value as YamlNode | null)?.range?.[0] ?? keyOffset;
        const value = this.convert(pair.value as YamlNode | null, valueOffset);
        pairs.push([key, value]);
      }
      return { kind: "mapping", line, tag, pairs };
    }

    if (isSeq(node)) {
      const items = node.items.map((item) =>
        this.convert(item as YamlNode | null, node.range?.[0] ?? 0),
      );
      return { kind: "sequence", line, tag, items };
    }

    return { kind: "scalar", line, value: "", tag: "", implicit: true };
  }
}

/**
 * Words of libyaml for the common syntax problems. The line follows yaml.v2's rule: scanner
 * errors name the offending line (1-based); parser errors print the 0-based line of the offending
 * token, which reads as the line before it. Either is left out when it would be 0.
 */
function syntaxError(error: YAMLError, lineCounter: LineCounter, text: string): GoYamlError {
  const offset = error.pos[0];
  const position = lineCounter.linePos(offset);
  const lines = text.split("\n");
  const lineText = lines[position.line - 1] ?? "";
  const indentation = lineText.slice(0, lineText.length - lineText.trimStart().length);

  if (indentation.includes("\t")) {
    // A tab where indentation is expected: a token libyaml cannot start at the top level, an
    // indentation violation inside an indented block.
    const problem =
      lineText.startsWith("\t") && !/^\s/.test(previousContentLine(lines, position.line))
        ? "found character that cannot start any token"
        : "found a tab character that violates indentation";
    return scannerError(position.line, problem);
  }

  if (/Missing closing ("|')quote/.test(error.message)) {
    return scannerError(lines.length, "found unexpected end of stream");
  }

  if (error.code === "BLOCK_AS_IMPLICIT_KEY" && /Nested mappings/.test(error.message)) {
    // `key: value` continued by a more indented `other: value`: libyaml's scanner stops at the
    // second colon.
    const rest = text.slice(offset);
    const colon = /\n[^\n]*?:(?=\s|$)/.exec(rest);
    const colonLine = colon
      ? lineCounter.linePos(offset + colon.index + colon[0].length - 1).line
      : position.line;
    return scannerError(colonLine, "mapping values are not allowed in this context");
  }

  const keyWithoutColon =
    error.code === "MULTILINE_IMPLICIT_KEY" &&
    !/^\s*-(\s|$)/.test(lineText) &&
    !lineText.includes(":");
  if (
    keyWithoutColon ||
    (error.code === "MISSING_CHAR" && /Implicit map keys need to be followed/.test(error.message))
  ) {
    // A key without its colon: libyaml notices on the line after it.
    return scannerError(position.line + 1, "could not find expected ':'");
  }

  if (error.code === "BLOCK_AS_IMPLICIT_KEY" || error.code === "MULTILINE_IMPLICIT_KEY") {
    return parserError(position.line - 1, "did not find expected key");
  }

  if (error.code === "BAD_INDENT" && /same column/.test(error.message)) {
    return parserError(
      position.line - 1,
      expectedAfterDedent(lines, position.line, indentation.length),
    );
  }

  if (error.code === "MISSING_CHAR" && /Sequence item without - indicator/.test(error.message)) {
    return parserError(position.line - 1, "did not find expected '-' indicator");
  }

  if (/flow sequence/i.test(error.message) && error.code !== "BLOCK_IN_FLOW") {
    return parserError(position.line - 1, "did not find expected ',' or ']'");
  }
  if (/flow map/i.test(error.message) && error.code !== "BLOCK_IN_FLOW") {
    return parserError(position.line - 1, "did not find expected ',' or '}'");
  }
  if (/reserved character|directive indicator/.test(error.message)) {
    return scannerError(position.line, "found character that cannot start any token");
  }
  if (error.code === "BLOCK_IN_FLOW") {
    return parserError(position.line - 1, "did not find expected node content");
  }

  return scannerError(position.line, error.message.split("\n")[0]);
}

/**
 * What libyaml expected where a line is dedented into the middle of a block: the next `-` of the
 * enclosing sequence, or a key when there is no sequence or it is an indentless one (its dashes in
 * the column of its parent's keys).
 */
function expectedAfterDedent(lines: string[], line: number, width: number): string {
  let index = line - 2;
  for (; index >= 0; index--) {
    const candidate = lines[index];
    const candidateWidth = candidate.length - candidate.trimStart().length;
    if (candidate.trim() !== "" && candidateWidth <= width && /^\s*-(\s|$)/.test(candidate)) break;
  }
  if (index < 0) return "did not find expected key";

  const dashWidth = lines[index].length - lines[index].trimStart().length;
  for (index--; index >= 0; index--) {
    const candidate = lines[index];
    const candidateWidth = candidate.length - candidate.trimStart().length;
    if (candidate.trim() === "" || candidateWidth > dashWidth) continue;
    if (/^\s*-(\s|$)/.test(candidate)) continue;
    return candidateWidth === dashWidth
      ? "did not find expected key"
      : "did not find expected '-' indicator";
  }
  return "did not find expected '-' indicator";
}

function previousContentLine(lines: string[], line: number): string {
  for (let index = line - 2; index >= 0; index--) {
    if (lines[index].trim() !== "") return lines[index];
  }
  return "";
}

function scannerError(line: number, problem: string): GoYamlError {
  return new GoYamlError(line > 1 ? `yaml: line ${line}: ${problem}` : `yaml: ${problem}`);
}

function parserError(zeroBasedLine: number, problem: string): GoYamlError {
  return new GoYamlError(
    zeroBasedLine > 0 ? `yaml: line ${zeroBasedLine}: ${problem}` : `yaml: ${problem}`,
  );
}

/** Resolution of a plain scalar's text, as yaml.v2 does it (YAML 1.1 booleans, octal, …). */
export type Resolved =
  | { tag: "!!null"; value: null }
  | { tag: "!!bool"; value: boolean }
  | { tag: "!!int"; value: number }
  | { tag: "!!float"; value: number }
  | { tag: "!!timestamp"; value: string }
  | { tag: "!!str"; value: string }
  | { tag: "!!merge"; value: string };

const BOOLEAN_WORDS = new Map<string, boolean>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map(
    (word) => [word, true] as [string, boolean],
  ),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map(
    (word) => [word, false] as [string, boolean],
  ),
]);
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

export function resolveScalar(node: GoScalar): Resolved {
  if (node.tag === "!!str" || node.tag === "!!binary" || (!node.implicit && node.tag === "")) {
    return { tag: "!!str", value: node.value };
  }
  if (node.tag === "!!null") {
    return { tag: "!!null", value: null };
  }
  if (["!!bool", "!!int", "!!float", "!!timestamp"].includes(node.tag)) {
    // An explicit tag must agree with what the text resolves to (an int may be read as a float).
    const resolved = resolveScalar({ ...node, tag: "", implicit: true });
    if (resolved.tag === node.tag) return resolved;
    if (node.tag === "!!float" && resolved.tag === "!!int")
      return { tag: "!!float", value: resolved.value };
    throw new GoYamlError(`yaml: cannot decode ${resolved.tag} \`${node.value}\` as a ${node.tag}`);
  }

  const text = node.value;
  if (NULL_WORDS.has(text)) return { tag: "!!null", value: null };
  const bool = BOOLEAN_WORDS.get(text);
  if (bool !== undefined) return { tag: "!!bool", value: bool };
  if (text === "<<") return { tag: "!!merge", value: text };
  if ([".nan", ".NaN", ".NAN"].includes(text)) return { tag: "!!float", value: NaN };
  if ([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].includes(text)) {
    return { tag: "!!float", value: Infinity };
  }
  if (["-.inf", "-.Inf", "-.INF"].includes(text)) return { tag: "!!float", value: -Infinity };

  const first = text[0];
  if (first === ".") {
    const float = goParseFloat(text);
    if (float !== undefined) return { tag: "!!float", value: float };
  } else if (first === "+" || first === "-" || (first >= "0" && first <= "9")) {
    if (TIMESTAMP.test(text)) return { tag: "!!timestamp", value: text };

    const plain = text.replace(/_/g, "");
    const integer = goParseInt(plain);
    if (integer !== undefined) return { tag: "!!int", value: integer };
    if (YAML_STYLE_FLOAT.test(plain)) return { tag: "!!float", value: Number(plain) };
    const binary = /^(-?)0b([01]+)$/.exec(plain);
    if (binary)
      return { tag: "!!int", value: Number.parseInt(binary[2], 2) * (binary[1] ? -1 : 1) };
  }
  return { tag: "!!str", value: text };
}

/** strconv.ParseInt(text, 0, 64) (and ParseUint): sign, 0x/0o/0b prefixes, leading-0 octal. */
function goParseInt(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(
    text,
  );
  if (!match) return undefined;
  const digits = match[2];
  let magnitude: bigint;
  if (/^0[xXoObB]/.test(digits)) {
    magnitude = BigInt(digits.toLowerCase());
  } else if (digits.length > 1 && digits.startsWith("0")) {
    magnitude = BigInt("0o" + digits.slice(1));
  } else {
    magnitude = BigInt(digits);
  }
  const value = match[1] === "-" ? -magnitude : magnitude;
  if (value > 18446744073709551615n || value < -9223372036854775808n) return undefined;
  return Number(value);
}

function goParseFloat(text: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/**
 * A decoder of GoNodes into typed values that collects type mismatches the way yaml.v2 does
 * (`line N: cannot unmarshal !!str `x` into int`) and reports them together at the end.
 */
export class GoDecoder {
  readonly typeErrors: string[] = [];

  /** Throws the collected type errors, if any, as yaml.v2's "unmarshal errors". */
  finish(): void {
    if (this.typeErrors.length > 0) {
      throw new GoYamlError("yaml: unmarshal errors:\n  " + this.typeErrors.join("\n  "));
    }
  }

  typeError(node: GoNode, resolvedTag: string, goType: string): void {
    const tag = node.tag !== "" ? node.tag : resolvedTag;
    let value = "";
    if (tag !== "!!seq" && tag !== "!!map") {
      const text = node.kind === "scalar" ? node.value : "";
      value =
        Buffer.byteLength(text) > 10 ? " `" + goPrefixBytes(text, 7) + "...`" : " `" + text + "`";
    }
    this.typeErrors.push(`line ${node.line}: cannot unmarshal ${tag}${value} into ${goType}`);
  }

  private isNull(node: GoNode): boolean {
    return node.kind === "scalar" && resolveScalar(node).tag === "!!null";
  }

  string(node: GoNode | undefined, fallback = ""): string {
    if (!node || this.isNull(node)) return fallback;
    if (node.kind === "scalar") return node.value;
    this.typeError(node, node.kind === "mapping" ? "!!map" : "!!seq", "string");
    return fallback;
  }

  int(node: GoNode | undefined): number {
    if (!node || this.isNull(node)) return 0;
    if (node.kind !== "scalar") {
      this.typeError(node, node.kind === "mapping" ? "!!map" : "!!seq", "int");
      return 0;
    }
    const resolved = resolveScalar(node);
    if (resolved.tag === "!!int" && Number.isFinite(resolved.value)) {
      return resolved.value;
    }
    if (resolved.tag === "!!float" && Math.abs(resolved.value) < 2 ** 63) {
      return Math.trunc(resolved.value);
    }
    this.typeError(node, resolved.tag, "int");
    return 0;
  }

  bool(node: GoNode | undefined): boolean {
    if (!node || this.isNull(node)) return false;
    if (node.kind !== "scalar") {
      this.typeError(node, node.kind === "mapping" ? "!!map" : "!!seq", "bool");
      return false;
    }
    const resolved = resolveScalar(node);
    if (resolved.tag === "!!bool") return resolved.value;
    this.typeError(node, resolved.tag, "bool");
    return false;
  }

  /** A Go slice: each item decoded by `item`; a non-sequence is a type error naming `goType`. */
  list<T>(node: GoNode | undefined, goType: string, item: (node: GoNode) => T | undefined): T[] {
    if (!node || this.isNull(node)) return [];
    if (node.kind !== "sequence") {
      const tag = node.kind === "mapping" ? "!!map" : resolveScalar(node).tag;
      this.typeError(node, tag, goType);
      return [];
    }
    const values: T[] = [];
    for (const child of node.items) {
      const value = item(child);
      if (value !== undefined) values.push(value);
    }
    return values;
  }

  stringList(node: GoNode | undefined): string[] {
    return this.list(node, "[]string", (child) => this.string(child));
  }

  intList(node: GoNode | undefined): number[] {
    return this.list(node, "[]int", (child) => this.int(child));
  }

  /**
   * A Go struct: calls `field` for each key/value pair whose key is a known field name, in
   * document order (a repeated key is decoded again, the later value winning). Merge keys (`<<`)
   * bring in the fields of the mapping(s) they name.
   */
  struct(
    node: GoNode | undefined,
    goType: string,
    field: (name: string, value: GoNode) => void,
  ): boolean {
    if (!node || this.isNull(node)) return false;
    if (node.kind !== "mapping") {
      const tag = node.kind === "sequence" ? "!!seq" : resolveScalar(node).tag;
      this.typeError(node, tag, goType);
      return false;
    }
    for (const [key, value] of node.pairs) {
      if (key.kind === "scalar" && key.implicit && key.value === "<<") {
        this.merge(value, goType, field);
        continue;
      }
      const name = this.string(key);
      field(name, value);
    }
    return true;
  }

  private merge(value: GoNode, goType: string, field: (name: string, value: GoNode) => void): void {
    if (value.kind === "mapping") {
      this.struct(value, goType, field);
      return;
    }
    if (value.kind === "sequence") {
      for (let index = value.items.length - 1; index >= 0; index--) {
        const item = value.items[index];
        if (item.kind !== "mapping") {
          throw new GoYamlError("yaml: map merge requires map or sequence of maps as the value");
        }
        this.struct(item, goType, field);
      }
      return;
    }
    throw new GoYamlError("yaml: map merge requires map or sequence of maps as the value");
  }

  /** A Go map[string]string, keeping document order. */
  stringMap(node: GoNode | undefined): Array<[string, string]> {
    if (!node || this.isNull(node)) return [];
    if (node.kind !== "mapping") {
      const tag = node.kind === "sequence" ? "!!seq" : resolveScalar(node).tag;
      this.typeError(node, tag, "map[string]string");
      return [];
    }
    const entries = new Map<string, string>();
    for (const [key, value] of node.pairs) {
      const name = this.string(key);
      if (value.kind !== "scalar") {
        this.string(value);
        continue;
      }
      entries.set(name, this.string(value));
    }
    return [...entries];
  }
}

/** The first `count` bytes of a UTF-8 string, as Go's byte slicing would print them. */
function goPrefixBytes(text: string, count: number): string {
  return Buffer.from(text).subarray(0, count).toString("utf8");
}

/**
 * Converts a decoded mapping into the plain value yaml.v2 produces for `interface{}`
 * (used for values files): numbers, booleans, null, strings, lists and nested objects.
 */
export function toPlainValue(node: GoNode): unknown {
  if (node.kind === "scalar") {
    const resolved = resolveScalar(node);
    return resolved.tag === "!!merge" ? "<<" : resolved.value;
  }
  if (node.kind === "sequence") {
    return node.items.map(toPlainValue);
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of node.pairs) {
    result[key.kind === "scalar" ? key.value : JSON.stringify(toPlainValue(key))] =
      toPlainValue(value);
  }
  return result;
}
