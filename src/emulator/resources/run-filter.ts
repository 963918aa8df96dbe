// The OData subset the runs list accepts in `$filter`: comparisons (`eq`, `ne`, `gt`, `ge`,
// `lt`, `le`) of a run property with a literal, `contains(OutputImageManifests, '…')`, joined by
// `and`/`or`, negated by `not`, grouped by parentheses. az sends
// `TaskName eq 'x' and Status eq 'Succeeded' and contains(OutputImageManifests, 'repo@sha256:…')`.

import { invalidParameter, isObject } from "./shapes.js";
import type { Json } from "./shapes.js";

type Literal = string | number | boolean | null;

type Expression =
  | { kind: "compare"; property: string; operator: string; value: Literal }
  | { kind: "contains"; property: string; value: string }
  | { kind: "not"; operand: Expression }
  | { kind: "and" | "or"; left: Expression; right: Expression };

/** Filterable properties (lower-cased) and the run property each one reads. */
const PROPERTIES: Record<string, string> = {
  runid: "runId",
  runtype: "runType",
  status: "status",
  createtime: "createTime",
  finishtime: "finishTime",
  outputimagemanifests: "outputImages",
  isarchiveenabled: "isArchiveEnabled",
  taskname: "task",
  agentpoolname: "agentPoolName",
};

const OPERATORS = ["eq", "ne", "gt", "ge", "lt", "le"];
const TOKEN =
  /\s*(?:(\()|(\))|(,)|'((?:[^']|'')*)'|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w.]*))/y;

type Token = { kind: "(" | ")" | "," | "string" | "date" | "number" | "word"; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;

  while (TOKEN.lastIndex < filter.length) {
    if (/^\s*$/.test(filter.slice(TOKEN.lastIndex))) {
      break;
    }
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(filter);
    if (match === null) {
      throw syntaxError(filter, `unexpected text at position ${at}`);
    }
    if (match[1] !== undefined) tokens.push({ kind: "(", text: "(" });
    else if (match[2] !== undefined) tokens.push({ kind: ")", text: ")" });
    else if (match[3] !== undefined) tokens.push({ kind: ",", text: "," });
    else if (match[4] !== undefined)
      tokens.push({ kind: "string", text: match[4].replace(/''/g, "'") });
    else if (match[5] !== undefined) tokens.push({ kind: "date", text: match[5] });
    else if (match[6] !== undefined) tokens.push({ kind: "number", text: match[6] });
    else tokens.push({ kind: "word", text: match[7] as string });
  }
  return tokens;
}

function syntaxError(filter: string, reason: string) {
  return invalidParameter(`The $filter '${filter}' is not valid: ${reason}.`, "$filter");
}

/** Parses `$filter`; a 400 InvalidParameter names what is wrong. */
export function parseRunFilter(filter: string): Expression {
  const tokens = tokenize(filter);
  let position = 0;

  const peekWord = (word: string) =>
    tokens[position]?.kind === "word" && tokens[position]?.text.toLowerCase() === word;
  const expect = (kind: Token["kind"]): Token => {
    const token = tokens[position];
    if (token?.kind !== kind) {
      throw syntaxError(filter, `expected '${kind}' but found '${token?.text ?? "the end"}'`);
    }
    position += 1;
    return token;
  };
  const property = (): string => {
    const name = expect("word").text;
    const mapped = PROPERTIES[name.toLowerCase()];
    if (mapped === undefined) {
      throw syntaxError(filter, `'${name}' is not a property runs can be filtered by`);
    }
    return mapped;
  };
  const literal = (): Literal => {
    const token = tokens[position];
    position += 1;
    if (token?.kind === "string" || token?.kind === "date") return token.text;
    if (token?.kind === "number") return Number(token.text);
    if (token?.kind === "word" && ["true", "false"].includes(token.text.toLowerCase())) {
      return token.text.toLowerCase() === "true";
    }
    if (token?.kind === "word" && token.text.toLowerCase() === "null") return null;
    throw syntaxError(filter, `expected a value but found '${token?.text ?? "the end"}'`);
  };

  const primary = (): Expression => {
    if (tokens[position]?.kind === "(") {
      position += 1;
      const inner = or();
      expect(")");
      return inner;
    }
    if (peekWord("not")) {
      position += 1;
      return { kind: "not", operand: primary() };
    }
    if (peekWord("contains") && tokens[position + 1]?.kind === "(") {
      position += 2;
      const name = property();
      expect(",");
      const value = literal();
      expect(")");
      return { kind: "contains", property: name, value: String(value) };
    }
    const name = property();
    const operator = expect("word").text.toLowerCase();
    if (!OPERATORS.includes(operator)) {
      throw syntaxError(filter, `'${operator}' is not a comparison operator`);
    }
    return { kind: "compare", property: name, operator, value: literal() };
  };
  const and = (): Expression => {
    let left = primary();
    while (peekWord("and")) {
      position += 1;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const or = (): Expression => {
    let left = and();
    while (peekWord("or")) {
      position += 1;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };

  const expression = or();
  if (position < tokens.length) {
    throw syntaxError(filter, `unexpected '${tokens[position]?.text}'`);
  }
  return expression;
}

/** The image references a run's outputs can be searched by: `repo:tag` and `repo@digest`. */
function manifestsOf(properties: Json): string[] {
  const images = Array.isArray(properties.outputImages) ? properties.outputImages : [];
  return images.filter(isObject).flatMap((image) => {
    const references: string[] = [];
    if (typeof image.repository === "string") {
      if (typeof image.tag === "string") references.push(`${image.repository}:${image.tag}`);
      if (typeof image.digest === "string") references.push(`${image.repository}@${image.digest}`);
    }
    return references;
  });
}

function compare(actual: unknown, operator: string, expected: Literal): boolean {
  if (operator === "eq" || operator === "ne") {
    const equal =
      typeof actual === "string" && typeof expected === "string"
        ? actual.toLowerCase() === expected.toLowerCase()
        : (actual ?? null) === expected;
    return operator === "eq" ? equal : !equal;
  }
  if (actual === undefined || actual === null || expected === null) {
    return false;
  }

  // Times compare as instants, whatever their digits; everything else as it is.
  const left = typeof actual === "string" ? Date.parse(actual) : Number(actual);
  const right = typeof expected === "string" ? Date.parse(expected) : Number(expected);
  if (Number.isNaN(left) || Number.isNaN(right)) {
    return false;
  }
  switch (operator) {
    case "gt":
      return left > right;
    case "ge":
      return left >= right;
    case "lt":
      return left < right;
    default:
      return left <= right;
  }
}

/** Whether a run's properties satisfy a parsed filter. */
export function matchesRunFilter(expression: Expression, properties: Json): boolean {
  switch (expression.kind) {
    case "and":
      return (
        matchesRunFilter(expression.left, properties) &&
        matchesRunFilter(expression.right, properties)
      );
    case "or":
      return (
        matchesRunFilter(expression.left, properties) ||
        matchesRunFilter(expression.right, properties)
      );
    case "not":
      return !matchesRunFilter(expression.operand, properties);
    case "contains": {
      const needle = expression.value.toLowerCase();
      const haystack =
        expression.property === "outputImages"
          ? manifestsOf(properties)
          : [String(properties[expression.property] ?? "")];
      return haystack.some((entry) => entry.toLowerCase().includes(needle));
    }
    case "compare":
      return compare(properties[expression.property], expression.operator, expression.value);
  }
}
