/**
 * Execution of parsed templates with Go's text/template semantics and missingkey=zero.
 *
 * Values: `undefined` is Go's invalid reflect.Value (what a missing key becomes once a
 * pipeline ends), `null` is a nil interface{} (a missing or null map element while still
 * inside a field chain or an argument). The difference shows in Go's messages, and this
 * engine keeps it.
 */
import {
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
  nodeString,
} from "./parse.js";
import {
  GoNumber,
  type ParamType,
  formatValue,
  goQuote,
  goTypeName,
  hasKey,
  isGoObject,
  isMap,
  isTrue,
  byteLength,
  compareStrings,
  kindOf,
} from "./values.js";

export class TemplateExecError extends Error {
  override name = "TemplateExecError";
}

/** A function callable from templates, with the Go signature that checks its arguments. */
export interface FunctionDef {
  params: ParamType[];
  /** Element type of a trailing variadic parameter. */
  variadic?: ParamType;
  call: (...args: unknown[]) => unknown;
  /** Builtins evaluated specially by the executor (and, or, call). */
  special?: "and" | "or" | "call";
}

/** Thrown by functions for Go errors and panics; becomes "error calling <name>: <message>". */
export class GoError extends Error {}

const MISSING = Symbol("missing");
type Final = unknown | typeof MISSING;

const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");

const maxExecDepth = 100000;

interface Dot {
  value: unknown;
  /** The static type is interface{} (a map element or slice element). */
  iface: boolean;
}

interface Variable {
  name: string;
  value: unknown;
  iface: boolean;
}

export function paramTypeName(type: ParamType): string {
  switch (type) {
    case "any":
      return "interface {}";
    case "value":
      return "reflect.Value";
    case "map":
      return "map[string]interface {}";
    case "time":
      return "time.Time";
    case "version":
      return "*semver.Version";
    default:
      return type;
  }
}

function canBeNil(type: ParamType): boolean {
  return type === "any" || type === "value" || type === "map" || type === "version";
}

export class ExecState {
  private node: Node | null = null;
  private vars: Variable[];
  private out = "";

  constructor(
    private readonly templates: Map<string, ListNode>,
    private readonly functions: Map<string, FunctionDef>,
    private tmplName: string,
    data: unknown,
    private depth = 0,
  ) {
    this.vars = [{ name: "$", value: data, iface: false }];
  }

  execute(root: ListNode, data: unknown): string {
    try {
      this.walk({ value: data, iface: false }, root);
    } catch (error) {
      if (error instanceof RangeError && /call stack/.test(error.message)) {
        this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
      }
      throw error;
    }
    return this.out;
  }

  // --- errors -------------------------------------------------------------------------

  private at(node: Node): void {
    this.node = node;
  }

  errorf(message: string): never {
    const name = this.tmplName;
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${message}`);
    const node = this.node;
    const before = node.tree.text.slice(0, node.pos);
    const lineStart = before.lastIndexOf("\n");
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = byteLength(lineStart < 0 ? before : before.slice(lineStart + 1));
    let context = nodeString(node);
    // Go checks the length in bytes and keeps the first 20 runes.
    if (byteLength(context) > 20) context = `${[...context].slice(0, 20).join("")}...`;
    throw new TemplateExecError(
      `template: ${node.tree.parseName}:${line}:${column}: executing ${goQuote(name)} at ` +
        `<${context}>: ${message}`,
    );
  }

  // --- variables ----------------------------------------------------------------------

  private push(name: string, value: unknown, iface = false): void {
    this.vars.push({ name, value, iface });
  }

  private setVar(name: string, value: unknown, iface = false): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        this.vars[i].iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const variable = this.vars[this.vars.length - n];
    variable.value = value;
    variable.iface = iface;
  }

  private varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i];
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ------------------------------------------------------------------------

  private walk(dot: Dot, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case "if":
      case "with":
        this.walkIfOrWith(dot, node);
        return;
      case "list":
        for (const child of node.nodes) this.walk(dot, child);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "text":
        this.out += node.text;
        return;
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private walkIfOrWith(dot: Dot, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const [truth, ok] = isTrue(value);
      if (!ok) this.errorf(`if/with can't use ${formatValue(value)}`);
      if (truth) {
        this.walk(node.type === "with" ? { value, iface: false } : dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: Dot, node: BranchNode): void {
    this.at(node);
    const outerMark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const mark = this.vars.length;
      const decl = node.pipe.decl;
      const oneIteration = (index: unknown, elem: unknown, elemIface: boolean): void => {
        if (decl.length > 0) {
          if (node.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0].ident[0], index);
            else this.setVar(decl[0].ident[0], elem, elemIface);
          } else {
            this.setTopVar(1, elem, elemIface);
          }
        }
        if (decl.length > 1) {
          if (node.pipe.isAssign) this.setVar(decl[1].ident[0], elem, elemIface);
          else this.setTopVar(2, index, false);
        }
        try {
          this.walk({ value: elem, iface: elemIface }, node.list);
        } catch (signal) {
          if (signal !== CONTINUE) throw signal;
        } finally {
          this.vars.length = mark;
        }
      };
      const loop = (body: () => void): void => {
        try {
          body();
        } catch (signal) {
          if (signal !== BREAK) throw signal;
        }
      };
      const kind = kindOf(value);
      if (value === undefined) {
        // An invalid value (missing key) acts like an empty map.
      } else if (Array.isArray(value) || value instanceof Uint8Array) {
        if (value.length > 0) {
          loop(() => {
            for (let i = 0; i < value.length; i++) oneIteration(i, value[i], Array.isArray(value));
          });
          return;
        }
      } else if (isMap(value)) {
        const keys = Object.keys(value).sort(compareStrings);
        if (keys.length > 0) {
          loop(() => {
            for (const key of keys) oneIteration(key, value[key], true);
          });
          return;
        }
      } else if (kind === "int" || kind === "uint") {
        if (decl.length > 1) {
          this.errorf(`can't use ${formatValue(value)} to iterate over more than one variable`);
        }
        const count = value instanceof GoNumber ? value.value : Number(value);
        if (count > 0) {
          loop(() => {
            for (let i = 0; i < count; i++) oneIteration(undefined, i, false);
          });
          return;
        }
      } else {
        this.errorf(`range can't iterate over ${formatValue(value)}`);
      }
      if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = outerMark;
    }
  }

  private walkTemplate(dot: Dot, node: TemplateNode): void {
    this.at(node);
    const tree = this.templates.get(node.name);
    if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.depth === maxExecDepth)
      this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    const value = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const inner = new ExecState(this.templates, this.functions, node.name, value, this.depth + 1);
    inner.walk({ value, iface: false }, tree);
    this.out += inner.out;
  }

  private printValue(node: Node, value: unknown): void {
    this.at(node);
    if (typeof value === "function") {
      this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(value)}`);
    }
    this.out += formatValue(value);
  }

  // --- evaluation ---------------------------------------------------------------------

  evalPipeline(dot: Dot, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} result is unwrapped: a nil one becomes the invalid value.
      if (value === null) value = undefined;
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value);
      else this.push(variable.ident[0], value);
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
    }
  }

  private evalCommand(dot: Dot, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot.value;
      case "nil":
        this.errorf("nil is not a command");
      // falls through: errorf never returns
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  private idealConstant(node: NumberNode): unknown {
    this.at(node);
    const isHexInt = /^[+-]?0[xX]/.test(node.text) && !/[pP]/.test(node.text);
    const isRune = node.text.startsWith("'");
    if (node.isFloat && !isHexInt && !isRune && /[.eEpP]/.test(node.text)) {
      return new GoNumber("float64", node.float);
    }
    if (node.isInt) return node.int;
    this.errorf(`${node.text} overflows int`);
  }

  private evalFieldNode(dot: Dot, field: FieldNode, args: ArgNode[] | null, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot.value, dot.iface, field, field.ident, args, final);
  }

  private evalChainNode(dot: Dot, chain: ChainNode, args: ArgNode[] | null, final: Final): unknown {
    this.at(chain);
    if (chain.node.type === "nil") {
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    }
    const receiver = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, receiver, false, chain, chain.field, args, final);
  }

  private evalVariableNode(
    dot: Dot,
    variable: VariableNode,
    args: ArgNode[] | null,
    final: Final,
  ): unknown {
    this.at(variable);
    const found = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [variable], final);
      return found.value;
    }
    return this.evalFieldChain(
      dot,
      found.value,
      found.iface,
      variable,
      variable.ident.slice(1),
      args,
      final,
    );
  }

  private evalFieldChain(
    dot: Dot,
    receiver: unknown,
    iface: boolean,
    node: Node,
    idents: string[],
    args: ArgNode[] | null,
    final: Final,
  ): unknown {
    let current = receiver;
    let currentIface = iface;
    for (let i = 0; i < idents.length - 1; i++) {
      current = this.evalField(dot, idents[i], node, null, MISSING, current, currentIface);
      currentIface = this.lastIface;
    }
    return this.evalField(dot, idents[idents.length - 1], node, args, final, current, currentIface);
  }

  /** Whether the last evalField result has static type interface{}. */
  private lastIface = false;

  private evalField(
    dot: Dot,
    fieldName: string,
    node: Node,
    args: ArgNode[] | null,
    final: Final,
    receiver: unknown,
    iface: boolean,
  ): unknown {
    this.lastIface = false;
    if (receiver === undefined) return undefined;
    const typeName = iface || receiver === null ? "interface {}" : goTypeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typeName}.${fieldName}`);
    if (isGoObject(receiver)) {
      const method = receiver.goMethod(fieldName);
      if (method) {
        return this.evalCall(
          dot,
          { params: method.params, call: method.call },
          node,
          fieldName,
          args,
          final,
        );
      }
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (isMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const mapType = goTypeName(receiver);
      if (hasKey(receiver, fieldName)) {
        this.lastIface = mapType.endsWith("interface {}");
        return receiver[fieldName];
      }
      if (mapType === "map[string]string") return "";
      this.lastIface = true;
      return null;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typeName}`);
  }

  private evalFunction(
    dot: Dot,
    node: IdentifierNode,
    cmd: Node,
    args: ArgNode[] | null,
    final: Final,
  ): unknown {
    this.at(node);
    const fn = this.functions.get(node.ident);
    if (!fn) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final);
  }

  private evalCall(
    dot: Dot,
    fn: FunctionDef,
    node: Node,
    name: string,
    allArgs: ArgNode[] | null,
    final: Final,
  ): unknown {
    const args = allArgs ? allArgs.slice(1) : [];
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) {
        this.errorf(
          `wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`,
        );
      }
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    if (fn.special === "and" || fn.special === "or") {
      let value: unknown;
      for (const arg of args) {
        value = this.evalArg(dot, "value", arg);
        if (isTrue(value === null ? undefined : value)[0] === (fn.special === "or")) return value;
      }
      if (final !== MISSING) value = this.validateType(final, "value");
      return value;
    }

    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++)
      argv.push(this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic) {
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]));
    }
    if (final !== MISSING) {
      let type: ParamType;
      if (fn.variadic) type = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      else type = fn.params[fn.params.length - 1];
      argv.push(this.validateType(final, type));
    }

    if (fn.special === "call") return this.callFunction(node, allArgs, argv);

    try {
      return fn.call(...argv);
    } catch (error) {
      if (error instanceof TemplateExecError) throw error;
      this.at(node);
      this.errorf(`error calling ${name}: ${errorMessage(error)}`);
    }
  }

  private callFunction(node: Node, allArgs: ArgNode[] | null, argv: unknown[]): unknown {
    const [fn, ...rest] = argv;
    const calleeName = allArgs && allArgs.length > 1 ? nodeString(allArgs[1]) : "";
    this.at(node);
    if (fn === undefined || fn === null) this.errorf("error calling call: call of nil");
    if (typeof fn !== "function") {
      this.errorf(`error calling call: non-function ${calleeName} of type ${goTypeName(fn)}`);
    }
    try {
      return (fn as (...args: unknown[]) => unknown)(...rest);
    } catch (error) {
      this.errorf(`error calling call: ${errorMessage(error)}`);
    }
  }

  private validateType(value: unknown, type: ParamType | null): unknown {
    if (type === null) return value;
    if (value === undefined) {
      if (type === "any") return null;
      if (type === "value") return undefined;
      if (canBeNil(type)) return null;
      this.errorf(`invalid value; expected ${paramTypeName(type)}`);
    }
    if (type === "any" || type === "value") return value;
    if (value !== null && assignable(value, type)) return value;
    const got = value === null ? "interface {}" : goTypeName(value);
    this.errorf(`wrong type for value; expected ${paramTypeName(type)}; got ${got}`);
  }

  private evalArg(dot: Dot, type: ParamType | null, node: ArgNode): unknown {
    this.at(node);
    switch (node.type) {
      case "dot":
        return this.validateType(dot.value, type);
      case "nil":
        if (type === null || canBeNil(type)) return type === "value" ? undefined : null;
        this.errorf(`cannot assign nil to ${paramTypeName(type)}`);
      // falls through: errorf never returns
      case "field":
        return this.validateType(this.evalFieldNode(dot, node, [node], MISSING), type);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, node, null, MISSING), type);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, node), type);
      case "identifier":
        return this.validateType(this.evalFunction(dot, node, node, null, MISSING), type);
      case "chain":
        return this.validateType(this.evalChainNode(dot, node, null, MISSING), type);
    }
    switch (type) {
      case "bool":
        if (node.type === "bool") return node.value;
        this.errorf(`expected bool; found ${nodeString(node)}`);
      // falls through: errorf never returns
      case "string":
        if (node.type === "string") return node.text;
        this.errorf(`expected string; found ${nodeString(node)}`);
      // falls through: errorf never returns
      case "int":
      case "int64":
        if (node.type === "number" && node.isInt) {
          return type === "int" ? node.int : new GoNumber("int64", node.int);
        }
        this.errorf(`expected integer; found ${nodeString(node)}`);
      // falls through: errorf never returns
      case "uint32":
        if (node.type === "number" && node.isUint) return new GoNumber("uint32", node.float);
        this.errorf(`expected unsigned integer; found ${nodeString(node)}`);
      // falls through: errorf never returns
      case "float64":
        if (node.type === "number" && node.isFloat) return new GoNumber("float64", node.float);
        this.errorf(`expected float; found ${nodeString(node)}`);
      // falls through: errorf never returns
      case "any":
      case "value":
      case null:
        return this.evalEmptyInterface(dot, node);
    }
    this.errorf(`can't handle ${nodeString(node)} for arg of type ${paramTypeName(type)}`);
  }

  private evalEmptyInterface(dot: Dot, node: ArgNode): unknown {
    this.at(node);
    switch (node.type) {
      case "bool":
        return node.value;
      case "number":
        return this.idealConstant(node);
      case "string":
        return node.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(node)} to empty interface argument`);
  }
}

function assignable(value: unknown, type: ParamType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "int":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (value instanceof GoNumber && value.type === "int")
      );
    case "int64":
      return value instanceof GoNumber && value.type === "int64";
    case "uint32":
      return value instanceof GoNumber && value.type === "uint32";
    case "float64":
      return (
        (typeof value === "number" && !Number.isInteger(value)) ||
        (value instanceof GoNumber && value.type === "float64")
      );
    case "map":
      return isMap(value) && goTypeName(value) === "map[string]interface {}";
    case "time":
      return isGoObject(value) && value.goType === "time.Time";
    case "version":
      return isGoObject(value) && value.goType === "*semver.Version";
  }
  return true;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
