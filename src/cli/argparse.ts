// A port of the parts of Python 3.11's argparse that az's parsers use. az's error messages,
// abbreviations, `--opt=value` handling and the order in which errors win all come from this
// algorithm, so it is reproduced step by step rather than approximated.

import { pythonRepr } from "./python-compat.js";

export const ZERO_OR_ONE = "?";
export const ZERO_OR_MORE = "*";
export const PARSER = "A...";

/** argparse's nargs: undefined is one value, 0 is none. */
export type Nargs = undefined | 0 | typeof ZERO_OR_ONE | typeof ZERO_OR_MORE | typeof PARSER;

export type Namespace = Record<string, unknown>;

/** A set of allowed values, with argparse's membership test and the listing az prints. */
export interface Choices {
  has(value: string): boolean;
  readonly values: readonly string[];
}

export class ExactChoices implements Choices {
  constructor(readonly values: readonly string[]) {}

  has(value: string): boolean {
    return this.values.includes(value);
  }
}

/** az's CaseInsensitiveList. */
export class CaseInsensitiveChoices implements Choices {
  constructor(readonly values: readonly string[]) {}

  has(value: string): boolean {
    const lowered = value.toLowerCase();
    return this.values.some((choice) => choice.toLowerCase() === lowered);
  }
}

/** Raised by a type function; argparse reports `invalid <typeName> value: <repr>`. */
export class TypeConversionError extends Error {}

export interface ActionOptions {
  optionStrings?: readonly string[];
  dest: string;
  nargs?: Nargs;
  required?: boolean;
  defaultValue?: unknown;
  choices?: Choices;
  /** Converts one argument string; throws TypeConversionError on bad input. */
  type?: (text: string) => unknown;
  /** The Python name of the type function, used in `invalid <name> value` messages. */
  typeName?: string;
  metavar?: string;
  /** What the action does with its converted values. */
  store: (namespace: Namespace, values: unknown, optionString: string | undefined) => void;
}

export class Action {
  readonly optionStrings: readonly string[];
  readonly dest: string;
  readonly nargs: Nargs;
  required: boolean;
  defaultValue: unknown;
  readonly choices?: Choices;
  readonly type?: (text: string) => unknown;
  readonly typeName: string;
  readonly metavar?: string;
  readonly store: ActionOptions["store"];

  constructor(options: ActionOptions) {
    this.optionStrings = options.optionStrings ?? [];
    this.dest = options.dest;
    this.nargs = options.nargs;
    this.required = options.required ?? false;
    this.defaultValue = options.defaultValue;
    this.choices = options.choices;
    this.type = options.type;
    this.typeName = options.typeName ?? "str";
    this.metavar = options.metavar;
    this.store = options.store;
  }
}

/** argparse's `_get_action_name`: how an argument is named in error messages. */
export function actionName(action: Action): string {
  if (action.optionStrings.length > 0) {
    return action.optionStrings.join("/");
  }
  return action.metavar ?? action.dest;
}

/** ArgumentError: reported by the parser that was parsing as `argument <name>: <message>`. */
export class ArgumentError extends Error {
  constructor(
    readonly action: Action | undefined,
    readonly detail: string,
  ) {
    super(action ? `argument ${actionName(action)}: ${detail}` : detail);
  }
}

/** The parser called `error(message)`: argparse would print usage and exit 2. */
export class ParserError extends Error {
  constructor(
    readonly parser: ArgumentParser,
    message: string,
  ) {
    super(message);
  }
}

/** The parser's `_check_value` rejected a value (az overrides this to print its own message). */
export class InvalidChoiceError extends Error {
  constructor(
    readonly parser: ArgumentParser,
    readonly action: Action,
    readonly value: string,
  ) {
    super(`invalid choice: ${pythonRepr(value)}`);
  }
}

const UNRECOGNIZED_ARGUMENTS = "_unrecognized_args";

// Python's `$` also matches before a final newline.
const NEGATIVE_NUMBER = /^-\p{Nd}+\n?$|^-\p{Nd}*\.\p{Nd}+\n?$/u;

type OptionTuple = [Action | undefined, string, string | undefined];

function nargsPattern(action: Action): string {
  let pattern: string;
  switch (action.nargs) {
    case undefined:
      pattern = "(-*A-*)";
      break;
    case ZERO_OR_ONE:
      pattern = "(-*A?-*)";
      break;
    case ZERO_OR_MORE:
      pattern = "(-*[A-]*)";
      break;
    case PARSER:
      pattern = "(-*A[-AO]*)";
      break;
    default:
      pattern = "(-*-*)";
  }

  // Options never take a `--` as one of their values.
  if (action.optionStrings.length > 0) {
    pattern = pattern.replaceAll("-*", "").replaceAll("-", "");
  }
  return pattern;
}

export interface ParserOptions {
  prog: string;
}

export class ArgumentParser {
  readonly prog: string;
  readonly actions: Action[] = [];
  readonly optionStringActions = new Map<string, Action>();
  /** Defaults set on the parser rather than on an action (set_defaults). */
  readonly defaults: Namespace = {};

  constructor(options: ParserOptions) {
    this.prog = options.prog;
  }

  addAction(action: Action): Action {
    this.actions.push(action);
    for (const optionString of action.optionStrings) {
      this.optionStringActions.set(optionString, action);
    }
    return action;
  }

  /** Called with the arguments before each parse of this parser (az keeps them for messages). */
  protected beginParse(_args: readonly string[]): void {}

  /** Called with the namespace and leftovers after a successful parse of this parser. */
  protected endParse(_namespace: Namespace, _extras: readonly string[]): void {}

  /** Subclasses decide how a rejected value is reported. */
  protected checkValue(action: Action, value: unknown): void {
    if (action.choices && typeof value === "string" && !action.choices.has(value)) {
      throw new InvalidChoiceError(this, action, value);
    }
  }

  error(message: string): never {
    throw new ParserError(this, message);
  }

  parseArgs(args: readonly string[]): Namespace {
    const [namespace, extras] = this.parseKnownArgs(args);
    if (extras.length > 0) {
      this.error(`unrecognized arguments: ${extras.join(" ")}`);
    }
    return namespace;
  }

  parseKnownArgs(args: readonly string[]): [Namespace, string[]] {
    this.beginParse(args);
    const namespace: Namespace = {};

    for (const action of this.actions) {
      if (!(action.dest in namespace)) {
        namespace[action.dest] = action.defaultValue;
      }
    }
    for (const [dest, value] of Object.entries(this.defaults)) {
      if (!(dest in namespace)) {
        namespace[dest] = value;
      }
    }

    let extras: string[];
    try {
      extras = this.parseKnownArgsInto([...args], namespace);
    } catch (error) {
      if (error instanceof ArgumentError) {
        this.error(error.message);
      }
      throw error;
    }

    const unrecognized = namespace[UNRECOGNIZED_ARGUMENTS];
    if (Array.isArray(unrecognized)) {
      extras.push(...(unrecognized as string[]));
      delete namespace[UNRECOGNIZED_ARGUMENTS];
    }
    this.endParse(namespace, extras);
    return [namespace, extras];
  }

  private parseKnownArgsInto(argStrings: string[], namespace: Namespace): string[] {
    // Classify every argument first: 'O' option, 'A' argument, '-' for the `--` separator.
    // Ambiguous abbreviations are reported here, before any action runs.
    const optionIndices = new Map<number, OptionTuple>();
    let pattern = "";
    for (let index = 0; index < argStrings.length; index += 1) {
      const argString = argStrings[index];
      if (argString === "--") {
        pattern += "-" + "A".repeat(argStrings.length - index - 1);
        break;
      }
      const optionTuple = this.parseOptional(argString);
      if (optionTuple === undefined) {
        pattern += "A";
      } else {
        optionIndices.set(index, optionTuple);
        pattern += "O";
      }
    }

    const seenActions = new Set<Action>();
    const extras: string[] = [];

    const takeAction = (action: Action, values: string[], optionString?: string) => {
      seenActions.add(action);
      const converted = this.getValues(action, values);
      action.store(namespace, converted, optionString);
    };

    const consumeOptional = (startIndex: number): number => {
      let [action, optionString, explicitArgument] = optionIndices.get(startIndex) as OptionTuple;
      const actionTuples: [Action, string[], string][] = [];
      let stop: number;

      for (;;) {
        if (action === undefined) {
          extras.push(argStrings[startIndex]);
          return startIndex + 1;
        }

        if (explicitArgument !== undefined) {
          const argumentCount = this.matchArgument(action, "A");

          if (argumentCount === 0 && optionString[1] !== "-" && explicitArgument !== "") {
            // A single-dash flag followed by more characters: `-yn` is `-y -n`.
            actionTuples.push([action, [], optionString]);
            const [nextCharacter, ...rest] = Array.from(explicitArgument);
            optionString = optionString[0] + nextCharacter;
            const nextExplicit = rest.join("") || undefined;
            const nextAction = this.optionStringActions.get(optionString);
            if (nextAction) {
              action = nextAction;
              explicitArgument = nextExplicit;
            } else {
              throw new ArgumentError(
                action,
                `ignored explicit argument ${pythonRepr(explicitArgument)}`,
              );
            }
          } else if (argumentCount === 1) {
            stop = startIndex + 1;
            actionTuples.push([action, [explicitArgument], optionString]);
            break;
          } else {
            throw new ArgumentError(
              action,
              `ignored explicit argument ${pythonRepr(explicitArgument)}`,
            );
          }
        } else {
          const start = startIndex + 1;
          const argumentCount = this.matchArgument(action, pattern.slice(start));
          stop = start + argumentCount;
          actionTuples.push([action, argStrings.slice(start, stop), optionString]);
          break;
        }
      }

      for (const [tupleAction, values, tupleOptionString] of actionTuples) {
        takeAction(tupleAction, values, tupleOptionString);
      }
      return stop;
    };

    const positionals = this.actions.filter((action) => action.optionStrings.length === 0);

    const consumePositionals = (startIndex: number): number => {
      const counts = this.matchArgumentsPartial(positionals, pattern.slice(startIndex));
      let index = startIndex;
      counts.forEach((count, position) => {
        const values = argStrings.slice(index, index + count);
        index += count;
        takeAction(positionals[position], values);
      });
      positionals.splice(0, counts.length);
      return index;
    };

    let startIndex = 0;
    const maxOptionIndex = optionIndices.size > 0 ? Math.max(...optionIndices.keys()) : -1;
    while (startIndex <= maxOptionIndex) {
      const nextOptionIndex = Math.min(
        ...[...optionIndices.keys()].filter((index) => index >= startIndex),
      );
      if (startIndex !== nextOptionIndex) {
        const positionalsEnd = consumePositionals(startIndex);
        if (positionalsEnd > startIndex) {
          startIndex = positionalsEnd;
          continue;
        }
        startIndex = positionalsEnd;
      }

      if (!optionIndices.has(startIndex)) {
        extras.push(...argStrings.slice(startIndex, nextOptionIndex));
        startIndex = nextOptionIndex;
      }
      startIndex = consumeOptional(startIndex);
    }

    const stopIndex = consumePositionals(startIndex);
    extras.push(...argStrings.slice(stopIndex));

    const missing: string[] = [];
    for (const action of this.actions) {
      if (seenActions.has(action)) {
        continue;
      }
      if (action.required) {
        missing.push(actionName(action));
      } else if (
        typeof action.defaultValue === "string" &&
        namespace[action.dest] === action.defaultValue
      ) {
        // String defaults go through the type function (not the choices check) at the end.
        namespace[action.dest] = this.getValue(action, action.defaultValue);
      }
    }
    if (missing.length > 0) {
      this.error(`the following arguments are required: ${missing.join(", ")}`);
    }
    return extras;
  }

  private matchArgument(action: Action, patternText: string): number {
    const match = new RegExp(`^${nargsPattern(action)}`).exec(patternText);
    if (!match) {
      const messages: Partial<Record<string, string>> = {
        undefined: "expected one argument",
        [ZERO_OR_ONE]: "expected at most one argument",
      };
      throw new ArgumentError(action, messages[String(action.nargs)] ?? "expected one argument");
    }
    return match[1].length;
  }

  private matchArgumentsPartial(actions: readonly Action[], patternText: string): number[] {
    for (let count = actions.length; count > 0; count -= 1) {
      const combined = actions.slice(0, count).map(nargsPattern).join("");
      const match = new RegExp(`^${combined}`).exec(patternText);
      if (match) {
        return match.slice(1).map((group) => group.length);
      }
    }
    return [];
  }

  private parseOptional(argString: string): OptionTuple | undefined {
    if (!argString || argString[0] !== "-") {
      return undefined;
    }

    const exact = this.optionStringActions.get(argString);
    if (exact) {
      return [exact, argString, undefined];
    }
    if (argString.length === 1) {
      return undefined;
    }

    if (argString.includes("=")) {
      const separator = argString.indexOf("=");
      const optionString = argString.slice(0, separator);
      const action = this.optionStringActions.get(optionString);
      if (action) {
        return [action, optionString, argString.slice(separator + 1)];
      }
    }

    const optionTuples = this.getOptionTuples(argString);
    if (optionTuples.length > 1) {
      const matches = optionTuples.map(([, optionString]) => optionString).join(", ");
      this.error(`ambiguous option: ${argString} could match ${matches}`);
    }
    if (optionTuples.length === 1) {
      return optionTuples[0];
    }

    // No option looks like a negative number in az, so negative numbers are values.
    if (NEGATIVE_NUMBER.test(argString)) {
      return undefined;
    }
    if (argString.includes(" ")) {
      return undefined;
    }
    return [undefined, argString, undefined];
  }

  private getOptionTuples(optionString: string): OptionTuple[] {
    const result: OptionTuple[] = [];

    if (optionString[1] === "-") {
      // Long options are abbreviated to any unique prefix and only split at "=".
      let prefix = optionString;
      let explicitArgument: string | undefined;
      if (optionString.includes("=")) {
        const separator = optionString.indexOf("=");
        prefix = optionString.slice(0, separator);
        explicitArgument = optionString.slice(separator + 1);
      }
      for (const [candidate, action] of this.optionStringActions) {
        if (candidate.startsWith(prefix)) {
          result.push([action, candidate, explicitArgument]);
        }
      }
    } else {
      // A single-dash option may carry its value attached: `-rmyregistry`.
      const characters = Array.from(optionString);
      const shortPrefix = characters.slice(0, 2).join("");
      const shortExplicit = characters.slice(2).join("");
      for (const [candidate, action] of this.optionStringActions) {
        if (candidate === shortPrefix) {
          result.push([action, candidate, shortExplicit]);
        } else if (candidate.startsWith(optionString)) {
          result.push([action, candidate, undefined]);
        }
      }
    }
    return result;
  }

  private getValues(action: Action, argStrings: string[]): unknown {
    if (action.nargs !== PARSER) {
      const separator = argStrings.indexOf("--");
      if (separator >= 0) {
        argStrings.splice(separator, 1);
      }
    }

    if (argStrings.length === 0 && action.nargs === ZERO_OR_ONE) {
      // Options with nargs='?' store their const (always None in az) when given bare.
      return action.optionStrings.length > 0 ? undefined : action.defaultValue;
    }
    if (argStrings.length === 0 && action.nargs === ZERO_OR_MORE && !action.optionStrings.length) {
      return action.defaultValue ?? argStrings;
    }
    if (argStrings.length === 1 && (action.nargs === undefined || action.nargs === ZERO_OR_ONE)) {
      const value = this.getValue(action, argStrings[0]);
      this.checkValue(action, value);
      return value;
    }
    if (action.nargs === PARSER) {
      const values = argStrings.map((text) => this.getValue(action, text));
      this.checkValue(action, values[0]);
      return values;
    }
    if (action.nargs === 0) {
      return [];
    }
    const values = argStrings.map((text) => this.getValue(action, text));
    for (const value of values) {
      this.checkValue(action, value);
    }
    return values;
  }

  private getValue(action: Action, text: string): unknown {
    if (!action.type) {
      return text;
    }
    try {
      return action.type(text);
    } catch (error) {
      if (error instanceof TypeConversionError) {
        throw new ArgumentError(action, `invalid ${action.typeName} value: ${pythonRepr(text)}`);
      }
      throw error;
    }
  }
}

/** The subparsers action of a group parser: its first value names the child parser. */
export function subparsersAction(
  dest: string,
  choices: Choices,
  childParser: (name: string) => ArgumentParser,
): Action {
  return new Action({
    dest,
    nargs: PARSER,
    required: true,
    choices,
    store: (namespace, values) => {
      const [name, ...rest] = values as string[];
      namespace[dest] = name;
      const [childNamespace, leftovers] = childParser(name).parseKnownArgs(rest);
      Object.assign(namespace, childNamespace);
      if (leftovers.length > 0) {
        const existing = (namespace[UNRECOGNIZED_ARGUMENTS] as string[] | undefined) ?? [];
        namespace[UNRECOGNIZED_ARGUMENTS] = [...existing, ...leftovers];
      }
    },
  });
}
