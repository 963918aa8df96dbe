// A top-down operator-precedence parser building the same tree shapes as jmespath 1.0.1, so
// that evaluation order, projections and the accepted syntax match az's.

import { QuerySyntaxError, tokenize, type Token, type TokenType } from "./lexer.js";

export type ComparatorName = "eq" | "ne" | "lt" | "gt" | "lte" | "gte";

export type QueryNode =
  | { type: "field"; name: string }
  | { type: "subexpression"; children: QueryNode[] }
  | { type: "comparator"; name: ComparatorName; left: QueryNode; right: QueryNode }
  | { type: "current" }
  | { type: "expref"; expression: QueryNode }
  | { type: "function"; name: string; args: QueryNode[] }
  | { type: "filter_projection"; left: QueryNode; right: QueryNode; condition: QueryNode }
  | { type: "flatten"; child: QueryNode }
  | { type: "identity" }
  | { type: "index"; index: number }
  | { type: "index_expression"; children: QueryNode[] }
  | { type: "slice"; start: number | null; stop: number | null; step: number | null }
  | { type: "literal"; value: unknown }
  | { type: "multi_select_dict"; pairs: Array<[string, QueryNode]> }
  | { type: "multi_select_list"; children: QueryNode[] }
  | { type: "or"; left: QueryNode; right: QueryNode }
  | { type: "and"; left: QueryNode; right: QueryNode }
  | { type: "not"; child: QueryNode }
  | { type: "pipe"; left: QueryNode; right: QueryNode }
  | { type: "projection"; left: QueryNode; right: QueryNode }
  | { type: "value_projection"; left: QueryNode; right: QueryNode };

const BINDING_POWER: Record<TokenType, number> = {
  eof: 0,
  unquoted_identifier: 0,
  quoted_identifier: 0,
  literal: 0,
  rbracket: 0,
  rparen: 0,
  comma: 0,
  rbrace: 0,
  number: 0,
  current: 0,
  expref: 0,
  colon: 0,
  pipe: 1,
  or: 2,
  and: 3,
  eq: 5,
  gt: 5,
  lt: 5,
  gte: 5,
  lte: 5,
  ne: 5,
  flatten: 9,
  star: 20,
  filter: 21,
  dot: 40,
  not: 45,
  lbrace: 50,
  lbracket: 55,
  lparen: 60,
};

// Tokens binding weaker than this end a projection.
const PROJECTION_STOP = 10;

const COMPARATORS = new Set<TokenType>(["eq", "ne", "lt", "gt", "lte", "gte"]);

const IDENTITY: QueryNode = { type: "identity" };

function syntaxError(token: Token, reason: string): never {
  throw new QuerySyntaxError(`${reason}: ${token.type} ${String(token.value)}`);
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    const tree = this.expression(0);
    if (this.currentType() !== "eof") {
      syntaxError(this.lookahead(0), "Unexpected token");
    }
    return tree;
  }

  private currentType(): TokenType {
    return this.tokens[this.index].type;
  }

  private lookahead(offset: number): Token {
    return this.tokens[this.index + offset] ?? this.tokens[this.tokens.length - 1];
  }

  private advance(): void {
    this.index += 1;
  }

  private match(type: TokenType): void {
    if (this.currentType() !== type) {
      syntaxError(this.lookahead(0), `Expecting ${type}`);
    }
    this.advance();
  }

  private expression(bindingPower: number): QueryNode {
    const token = this.lookahead(0);
    this.advance();
    let left = this.nud(token);
    while (bindingPower < BINDING_POWER[this.currentType()]) {
      const type = this.currentType();
      this.advance();
      left = this.led(type, left);
    }
    return left;
  }

  private nud(token: Token): QueryNode {
    switch (token.type) {
      case "literal":
        return { type: "literal", value: token.value };
      case "unquoted_identifier":
        return { type: "field", name: token.value as string };
      case "quoted_identifier":
        if (this.currentType() === "lparen") {
          syntaxError(token, "Quoted identifier not allowed for function names");
        }
        return { type: "field", name: token.value as string };
      case "star": {
        const right =
          this.currentType() === "rbracket" ? IDENTITY : this.projectionRight(BINDING_POWER.star);
        return { type: "value_projection", left: IDENTITY, right };
      }
      case "filter":
        return this.filter(IDENTITY);
      case "lbrace":
        return this.multiSelectHash();
      case "lparen": {
        const inner = this.expression(0);
        this.match("rparen");
        return inner;
      }
      case "flatten":
        return {
          type: "projection",
          left: { type: "flatten", child: IDENTITY },
          right: this.projectionRight(BINDING_POWER.flatten),
        };
      case "not":
        return { type: "not", child: this.expression(BINDING_POWER.not) };
      case "lbracket":
        return this.bracketNud();
      case "current":
        return { type: "current" };
      case "expref":
        return { type: "expref", expression: this.expression(BINDING_POWER.expref) };
      default:
        return syntaxError(token, "Invalid token");
    }
  }

  private bracketNud(): QueryNode {
    const type = this.currentType();
    if (type === "number" || type === "colon") {
      return this.projectIfSlice(IDENTITY, this.indexExpression());
    }
    if (type === "star" && this.lookahead(1).type === "rbracket") {
      this.advance();
      this.advance();
      return {
        type: "projection",
        left: IDENTITY,
        right: this.projectionRight(BINDING_POWER.star),
      };
    }
    return this.multiSelectList();
  }

  private led(type: TokenType, left: QueryNode): QueryNode {
    if (COMPARATORS.has(type)) {
      const right = this.expression(BINDING_POWER[type]);
      return { type: "comparator", name: type as ComparatorName, left, right };
    }

    switch (type) {
      case "dot":
        return this.dot(left);
      case "pipe":
        return { type: "pipe", left, right: this.expression(BINDING_POWER.pipe) };
      case "or":
        return { type: "or", left, right: this.expression(BINDING_POWER.or) };
      case "and":
        return { type: "and", left, right: this.expression(BINDING_POWER.and) };
      case "lparen":
        return this.functionCall(left);
      case "filter":
        return this.filter(left);
      case "flatten":
        return {
          type: "projection",
          left: { type: "flatten", child: left },
          right: this.projectionRight(BINDING_POWER.flatten),
        };
      case "lbracket":
        return this.bracketLed(left);
      default:
        return syntaxError(this.lookahead(-1), "Invalid token");
    }
  }

  private dot(left: QueryNode): QueryNode {
    if (this.currentType() === "star") {
      this.advance();
      return {
        type: "value_projection",
        left,
        right: this.projectionRight(BINDING_POWER.dot),
      };
    }
    const right = this.dotRight(BINDING_POWER.dot);
    if (left.type === "subexpression") {
      left.children.push(right);
      return left;
    }
    return { type: "subexpression", children: [left, right] };
  }

  private functionCall(left: QueryNode): QueryNode {
    if (left.type !== "field") {
      syntaxError(this.lookahead(-2), "Invalid function name");
    }
    const args: QueryNode[] = [];
    while (this.currentType() !== "rparen") {
      const argument = this.expression(0);
      if (this.currentType() === "comma") {
        this.match("comma");
      }
      args.push(argument);
    }
    this.match("rparen");
    return { type: "function", name: left.name, args };
  }

  private filter(left: QueryNode): QueryNode {
    const condition = this.expression(0);
    this.match("rbracket");
    const right =
      this.currentType() === "flatten" ? IDENTITY : this.projectionRight(BINDING_POWER.filter);
    return { type: "filter_projection", left, right, condition };
  }

  private bracketLed(left: QueryNode): QueryNode {
    const type = this.currentType();
    if (type === "number" || type === "colon") {
      const right = this.indexExpression();
      if (left.type === "index_expression") {
        left.children.push(right);
        return left;
      }
      return this.projectIfSlice(left, right);
    }
    this.match("star");
    this.match("rbracket");
    return { type: "projection", left, right: this.projectionRight(BINDING_POWER.star) };
  }

  private indexExpression(): QueryNode {
    if (this.currentType() === "colon" || this.lookahead(1).type === "colon") {
      return this.sliceExpression();
    }
    const node: QueryNode = { type: "index", index: this.lookahead(0).value as number };
    this.advance();
    this.match("rbracket");
    return node;
  }

  private sliceExpression(): QueryNode {
    const parts: Array<number | null> = [null, null, null];
    let position = 0;
    while (this.currentType() !== "rbracket" && position < 3) {
      const type = this.currentType();
      if (type === "colon") {
        position += 1;
        if (position === 3) {
          syntaxError(this.lookahead(0), "syntax error");
        }
        this.advance();
      } else if (type === "number") {
        parts[position] = this.lookahead(0).value as number;
        this.advance();
      } else {
        syntaxError(this.lookahead(0), "syntax error");
      }
    }
    this.match("rbracket");
    return { type: "slice", start: parts[0], stop: parts[1], step: parts[2] };
  }

  private projectIfSlice(left: QueryNode, right: QueryNode): QueryNode {
    const indexed: QueryNode = { type: "index_expression", children: [left, right] };
    if (right.type === "slice") {
      return {
        type: "projection",
        left: indexed,
        right: this.projectionRight(BINDING_POWER.star),
      };
    }
    return indexed;
  }

  private multiSelectList(): QueryNode {
    const children: QueryNode[] = [];
    for (;;) {
      children.push(this.expression(0));
      if (this.currentType() === "rbracket") {
        break;
      }
      this.match("comma");
    }
    this.match("rbracket");
    return { type: "multi_select_list", children };
  }

  private multiSelectHash(): QueryNode {
    const pairs: Array<[string, QueryNode]> = [];
    for (;;) {
      const keyToken = this.lookahead(0);
      if (keyToken.type !== "quoted_identifier" && keyToken.type !== "unquoted_identifier") {
        syntaxError(keyToken, "Expecting an identifier");
      }
      this.advance();
      this.match("colon");
      pairs.push([keyToken.value as string, this.expression(0)]);
      if (this.currentType() === "comma") {
        this.match("comma");
      } else if (this.currentType() === "rbrace") {
        this.match("rbrace");
        break;
      }
    }
    return { type: "multi_select_dict", pairs };
  }

  private projectionRight(bindingPower: number): QueryNode {
    const type = this.currentType();
    if (BINDING_POWER[type] < PROJECTION_STOP) {
      return IDENTITY;
    }
    if (type === "lbracket" || type === "filter") {
      return this.expression(bindingPower);
    }
    if (type === "dot") {
      this.match("dot");
      return this.dotRight(bindingPower);
    }
    return syntaxError(this.lookahead(0), "syntax error");
  }

  private dotRight(bindingPower: number): QueryNode {
    const type = this.currentType();
    if (type === "quoted_identifier" || type === "unquoted_identifier" || type === "star") {
      return this.expression(bindingPower);
    }
    if (type === "lbracket") {
      this.match("lbracket");
      return this.multiSelectList();
    }
    if (type === "lbrace") {
      this.match("lbrace");
      return this.multiSelectHash();
    }
    return syntaxError(this.lookahead(0), "Expecting an identifier, [ or {");
  }
}

/** Parses a JMESPath expression; throws QuerySyntaxError where jmespath 1.0.1 rejects it. */
export function parseQuery(expression: string): QueryNode {
  if (expression.length === 0) {
    throw new QuerySyntaxError("Invalid JMESPath expression: cannot be empty.");
  }
  return new Parser(tokenize(expression)).parse();
}
