// az's parser tree over the command manifest: a root parser, one parser per command group and
// one per command, wired like azure-cli's so that every error is raised by the same parser,
// with the same message, as in az 2.45.

import {
  Action,
  ArgumentParser,
  CaseInsensitiveChoices,
  ExactChoices,
  InvalidChoiceError,
  ParserError,
  TypeConversionError,
  ZERO_OR_MORE,
  ZERO_OR_ONE,
  subparsersAction,
  type Namespace,
} from "./argparse.js";
import { AZ_COMMAND_ORDER, AZ_GROUP_CHILDREN, commandPrelude } from "./az-tree.js";
import { UsageError } from "./errors.js";
import {
  HelpRequested,
  globalActions,
  helpAction,
  subscriptionAction,
  type GlobalArgumentSettings,
  type SubscriptionResolver,
} from "./globals.js";
import { getCloseMatches } from "./difflib.js";
import { parsePythonInt } from "./python-compat.js";
import {
  EXTENSION_REFERENCE,
  QUERY_REFERENCE,
  examplesBlock,
  extractParameterNames,
  parameterMappings,
} from "./recommend.js";
import type { ArgumentSpec, CommandModule, CommandSpec } from "./spec.js";

export interface GroupInfo {
  summary: string;
  preview?: boolean;
}

export type ModuleLoader = () => Promise<CommandModule>;

/** The command manifest as the parser sees it. */
export interface CommandTable {
  groups: Record<string, GroupInfo>;
  commands: Record<string, ModuleLoader>;
}

/** Questions about the tree of command paths ("acr task create"). */
export class CommandIndex {
  private readonly implicitGroups = new Set<string>([""]);
  /** az's commands and acrtask's, in az's table order (acrtask's own ones last). */
  private readonly allCommands: readonly string[];
  private readonly azCommands: ReadonlySet<string>;

  constructor(
    readonly table: CommandTable,
    private readonly azGroups: Readonly<Record<string, readonly string[]>> = AZ_GROUP_CHILDREN,
    azCommandOrder: readonly string[] = AZ_COMMAND_ORDER,
  ) {
    this.azCommands = new Set(azCommandOrder);
    this.allCommands = [
      ...azCommandOrder,
      ...Object.keys(table.commands).filter((path) => !this.azCommands.has(path)),
    ];
    const paths = [...Object.keys(table.commands), ...Object.keys(table.groups)];
    for (const path of paths) {
      const words = path.split(" ");
      for (let length = 1; length < words.length; length += 1) {
        this.implicitGroups.add(words.slice(0, length).join(" "));
      }
    }
    for (const path of Object.keys(table.groups)) {
      this.implicitGroups.add(path);
    }
  }

  isCommand(path: string): boolean {
    return Object.hasOwn(this.table.commands, path);
  }

  isGroup(path: string): boolean {
    return this.implicitGroups.has(path) && !this.isCommand(path);
  }

  /**
   * Whether acrtask implements every command az has in the group, so that an unknown name in it
   * is a misspelling; in any other group (the root, `acr`, `account`) it may be one of az's
   * commands, and the invocation is forwarded. Groups az does not have are acrtask's alone.
   */
  isOwnedGroup(path: string): boolean {
    if (path === "" || !this.isGroup(path)) {
      return false;
    }
    const azChildren = this.azGroups[path];
    if (!azChildren) {
      return true;
    }
    const ours = this.children(path);
    return azChildren.every((name) => ours.includes(name));
  }

  group(path: string): GroupInfo | undefined {
    return this.table.groups[path];
  }

  /** The names one level below a group, commands and subgroups alike, in manifest order. */
  children(path: string): string[] {
    const prefix = path === "" ? "" : `${path} `;
    const names: string[] = [];
    for (const candidate of [...Object.keys(this.table.commands), ...this.implicitGroups]) {
      if (candidate.startsWith(prefix) && candidate.length > prefix.length) {
        const name = candidate.slice(prefix.length).split(" ")[0];
        if (!names.includes(name)) {
          names.push(name);
        }
      }
    }
    return names;
  }

  /**
   * az's `_rudimentary_get_command`: the leading words that prefix a known command path.
   * az lower-cases them, which makes command names case-insensitive.
   */
  commandWordCount(args: readonly string[]): number {
    const words: string[] = [];
    for (const arg of args) {
      if (!arg || arg.startsWith("-")) {
        break;
      }
      words.push(arg);
    }
    while (words.length > 0) {
      const search = words.join(" ").toLowerCase();
      if (this.allCommands.some((path) => path.startsWith(search))) {
        break;
      }
      words.pop();
    }
    return words.length;
  }

  /**
   * The commands az builds its parsers from for these arguments: the command the leading words
   * name, or else, among the commands those words prefix (as a string), the first one for each
   * next word. So a group parser reached past an option may know fewer names than the group has.
   */
  parserTree(args: readonly string[]): ParserTree {
    const prefix = args.slice(0, this.commandWordCount(args)).join(" ").toLowerCase();
    const ownOnly = (path: string) => !this.azCommands.has(path);
    if (this.allCommands.includes(prefix)) {
      return new ParserTree([prefix], (path) => path === prefix || ownOnly(path));
    }

    // acrtask's own commands (those az does not have) keep their whole parsers.
    const kept: string[] = [];
    const nextWords = new Set<string>();
    for (const path of this.allCommands) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      const nextWord = path.slice(prefix.length).trim().split(" ")[0];
      if (ownOnly(path) || !nextWords.has(nextWord)) {
        nextWords.add(nextWord);
        kept.push(path);
      }
    }
    return new ParserTree(kept, ownOnly);
  }
}

/** The command paths one invocation's parsers are built from. */
export class ParserTree {
  constructor(
    private readonly commands: readonly string[],
    /**
     * Whether a command's parser has its arguments: az loads them only for the command the
     * leading words name; any other command in the tree has the global options alone.
     */
    readonly hasArguments: (path: string) => boolean,
  ) {}

  isCommand(path: string): boolean {
    return this.commands.includes(path);
  }

  /** The names one level below a group, in table order. */
  children(path: string): string[] {
    const prefix = path === "" ? "" : `${path} `;
    const names: string[] = [];
    for (const command of this.commands) {
      if (command.startsWith(prefix) && command.length > prefix.length) {
        const name = command.slice(prefix.length).split(" ")[0];
        if (!names.includes(name)) {
          names.push(name);
        }
      }
    }
    return names;
  }
}

/** The parse reached a command module that is not loaded yet. */
export class ModuleNeeded {
  constructor(readonly path: string) {}
}

/** The arguments name a command of az that acrtask does not implement. */
export class ForwardNeeded {}

export const PREVIEW_REFERENCE = "Reference and support levels: https://aka.ms/CLI_refstatus";

export function argumentPreviewNotice(spec: ArgumentSpec): string {
  const target = spec.options.length
    ? [...spec.options].sort((left, right) => left.length - right.length).at(-1)
    : positionalMetavar(spec);
  const subject = spec.options.length ? "Argument" : "Positional argument";
  return (
    `WARNING: ${subject} '${target}' is in preview and under development. ` + `${PREVIEW_REFERENCE}`
  );
}

export function positionalMetavar(spec: ArgumentSpec): string {
  return spec.metavar ?? `<${spec.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}>`;
}

type ParserKind = "root" | "group" | "command";

export interface ParseSettings extends GlobalArgumentSettings {
  index: CommandIndex;
  /** The commands az would build this invocation's parsers from. */
  tree: ParserTree;
  loaded: ReadonlyMap<string, CommandModule>;
  /** Configured `[defaults]` values by name (acr, group). */
  configuredDefault: (name: string) => string | undefined;
  resolveSubscription: SubscriptionResolver;
}

/** State one parse accumulates besides the namespace. */
interface ParseRun {
  settings: ParseSettings;
  warnings: string[];
}

const ARGUMENT_PREVIEWS = "_argument_previews";

export class AzParser extends ArgumentParser {
  /** The arguments this parser was given, then its leftovers after a successful parse. */
  rawArguments: string[] = [];
  parsedNamespace?: Namespace;

  constructor(
    readonly kind: ParserKind,
    readonly path: string,
    private readonly run: ParseRun,
  ) {
    super({ prog: path ? `az ${path}` : "az" });
    this.addAction(helpAction(this));
  }

  get owned(): boolean {
    return this.kind === "command" || this.run.settings.index.isOwnedGroup(this.path);
  }

  protected override beginParse(args: readonly string[]): void {
    this.rawArguments = [...args];
  }

  protected override endParse(namespace: Namespace, extras: readonly string[]): void {
    this.parsedNamespace = namespace;
    this.rawArguments = [...extras];
  }

  protected override checkValue(action: Action, value: unknown): void {
    if (!action.choices || typeof value !== "string" || action.choices.has(value)) {
      return;
    }
    if (action.dest === "_subcommand" || action.dest === "_command_package") {
      if (!this.owned) {
        throw new ForwardNeeded();
      }
    }
    throw new InvalidChoiceError(this, action, value);
  }

  override error(message: string): never {
    if (!this.owned && message.startsWith("the following arguments are required: _")) {
      throw new ForwardNeeded();
    }
    return super.error(message);
  }
}

function childParser(parent: AzParser, name: string, run: ParseRun): AzParser {
  const path = parent.path ? `${parent.path} ${name}` : name;
  const { index, tree, loaded } = run.settings;
  if (tree.isCommand(path)) {
    if (!index.isCommand(path)) {
      // One of az's commands that acrtask does not implement.
      throw new ForwardNeeded();
    }
    const module = loaded.get(path);
    if (!module) {
      throw new ModuleNeeded(path);
    }
    return commandParser(path, module.spec, run);
  }
  return groupParser("group", path, run);
}

function groupParser(kind: ParserKind, path: string, run: ParseRun): AzParser {
  const parser = new AzParser(kind, path, run);
  if (kind === "root") {
    for (const action of globalActions(run.settings)) {
      parser.addAction(action);
    }
  }

  const dest = kind === "root" ? "_command_package" : "_subcommand";
  const names = run.settings.tree.children(path);
  parser.addAction(
    subparsersAction(dest, new ExactChoices(names), (name) => childParser(parser, name, run)),
  );
  return parser;
}

function intType(text: string): number {
  const value = parsePythonInt(text);
  if (value === undefined) {
    throw new TypeConversionError(text);
  }
  return value;
}

const THREE_STATE_CHOICES = new CaseInsensitiveChoices(["true", "false"]);

function canonicalChoice(spec: ArgumentSpec, value: string): string {
  const lowered = value.toLowerCase();
  return spec.choices?.find((choice) => choice.toLowerCase() === lowered) ?? value;
}

function argumentAction(spec: ArgumentSpec, run: ParseRun): Action {
  const configured = spec.configuredDefault
    ? run.settings.configuredDefault(spec.configuredDefault)
    : undefined;
  const choices = spec.choices ? new CaseInsensitiveChoices(spec.choices) : undefined;
  const type = spec.type === "int" ? intType : undefined;
  const typeName = spec.type === "int" ? "int" : undefined;
  const defaultValue = configured ?? spec.defaultValue;
  const required = (spec.required ?? false) && configured === undefined;
  const dest = spec.name;

  const base = { optionStrings: spec.options, dest, type, typeName, defaultValue, required };
  let action: Action;
  switch (spec.kind) {
    case "flag":
      action = new Action({
        ...base,
        nargs: 0,
        defaultValue: spec.defaultValue ?? false,
        store: (namespace) => {
          namespace[dest] = true;
        },
      });
      break;
    case "threeState":
      action = new Action({
        ...base,
        nargs: ZERO_OR_ONE,
        choices: THREE_STATE_CHOICES,
        store: (namespace, value) => {
          namespace[dest] = value === undefined || (value as string).toLowerCase() === "true";
        },
      });
      break;
    case "append":
      action = new Action({
        ...base,
        choices,
        store: (namespace, value) => {
          const existing = (namespace[dest] as unknown[] | undefined) ?? [];
          const item = typeof value === "string" ? canonicalChoice(spec, value) : value;
          namespace[dest] = [...existing, item];
        },
      });
      break;
    case "list":
      action = new Action({
        ...base,
        nargs: ZERO_OR_MORE,
        choices,
        store: (namespace, values) => {
          namespace[dest] = (values as unknown[]).map((value) =>
            typeof value === "string" ? canonicalChoice(spec, value) : value,
          );
        },
      });
      break;
    case "positional":
      action = new Action({
        ...base,
        optionStrings: [],
        // A positional that takes exactly one value is always required in argparse.
        required: true,
        metavar: positionalMetavar(spec),
        choices,
        store: (namespace, value) => {
          namespace[dest] = typeof value === "string" ? canonicalChoice(spec, value) : value;
        },
      });
      break;
    default:
      action = new Action({
        ...base,
        choices,
        store: (namespace, value) => {
          namespace[dest] = typeof value === "string" ? canonicalChoice(spec, value) : value;
        },
      });
  }

  if (!spec.preview) {
    return action;
  }
  // Each use of a preview argument queues its notice, in command-line order.
  const store = action.store;
  const notice = argumentPreviewNotice(spec);
  return new Action({
    ...action,
    optionStrings: action.optionStrings,
    store: (namespace, value, optionString) => {
      const notices = (namespace[ARGUMENT_PREVIEWS] as string[] | undefined) ?? [];
      namespace[ARGUMENT_PREVIEWS] = [...notices, notice];
      store(namespace, value, optionString);
    },
  });
}

/** What a command's parser holds between the global options and the command's own ones. */
export function parserPrelude(path: string, withArguments: boolean) {
  // Without its arguments loaded, a command still gets the global --subscription (it is added
  // to every command), but none of the hidden options its argument loading would add.
  return withArguments ? commandPrelude(path) : { globalSubscription: true, hidden: [] };
}

function commandParser(path: string, spec: CommandSpec, run: ParseRun): AzParser {
  const parser = new AzParser("command", path, run);
  for (const action of globalActions(run.settings)) {
    parser.addAction(action);
  }
  const withArguments = run.settings.tree.hasArguments(path);
  const prelude = parserPrelude(path, withArguments);
  if (prelude.globalSubscription) {
    parser.addAction(
      subscriptionAction(run.settings.resolveSubscription, (message) => run.warnings.push(message)),
    );
  }
  // Hidden options of az's parsers: nobody types them, but they take part in abbreviation
  // matching like any other option.
  for (const hidden of prelude.hidden) {
    parser.addAction(
      new Action({
        optionStrings: [hidden.option],
        dest: `_hidden${hidden.dest}`,
        nargs: ZERO_OR_ONE,
        store: () => undefined,
      }),
    );
  }
  for (const argument of withArguments ? spec.arguments : []) {
    parser.addAction(argumentAction(argument, run));
  }
  parser.defaults.command = path;
  return parser;
}

export interface ParsedCommand {
  kind: "command";
  path: string;
  namespace: Namespace;
  /** Options for the command's run, keyed by ArgumentSpec.name. */
  options: Record<string, unknown>;
  argumentPreviews: string[];
  warnings: string[];
}

export interface HelpOutcome {
  kind: "help";
  path: string;
  isCommand: boolean;
  warnings: string[];
}

export interface ParseFailure {
  kind: "failure";
  error: ParserError | InvalidChoiceError;
  warnings: string[];
}

export interface ForwardOutcome {
  kind: "forward";
  warnings: string[];
}

export type ParseOutcome = ParsedCommand | HelpOutcome | ParseFailure | ForwardOutcome;

/**
 * One parse of the (already expanded) arguments. Throws ModuleNeeded when a command module must
 * be loaded first; the caller loads it and parses again.
 */
export function parseOnce(args: readonly string[], settings: ParseSettings): ParseOutcome {
  const run: ParseRun = { settings, warnings: [] };
  const root = groupParser("root", "", run);
  try {
    const namespace = root.parseArgs(args);
    const path = namespace.command as string;
    const spec = settings.loaded.get(path)?.spec as CommandSpec;
    const options: Record<string, unknown> = {};
    for (const argument of spec.arguments) {
      options[argument.name] = namespace[argument.name];
    }
    return {
      kind: "command",
      path,
      namespace,
      options,
      argumentPreviews: (namespace[ARGUMENT_PREVIEWS] as string[] | undefined) ?? [],
      warnings: run.warnings,
    };
  } catch (error) {
    if (error instanceof HelpRequested) {
      const parser = error.parser as AzParser;
      if (!parser.owned) {
        return { kind: "forward", warnings: run.warnings };
      }
      return {
        kind: "help",
        path: parser.path,
        isCommand: parser.kind === "command",
        warnings: run.warnings,
      };
    }
    if (error instanceof ForwardNeeded) {
      return { kind: "forward", warnings: run.warnings };
    }
    if (error instanceof ParserError || error instanceof InvalidChoiceError) {
      return { kind: "failure", error, warnings: run.warnings };
    }
    throw error;
  }
}

export interface RecommendationSettings {
  index: CommandIndex;
  tree: ParserTree;
  errorRecommendation: boolean;
  dynamicInstallDisabled: boolean;
  /** Loads a command module by path (for its examples and option names). */
  loadCommand: (path: string) => Promise<CommandModule>;
}

async function specFor(
  path: string,
  settings: RecommendationSettings,
): Promise<CommandSpec | undefined> {
  return settings.index.isCommand(path) ? (await settings.loadCommand(path)).spec : undefined;
}

/** The examples of the help entry for exactly this path (groups have none). */
async function examplesOf(path: string, settings: RecommendationSettings) {
  return (await specFor(path, settings))?.examples ?? [];
}

async function recommendationBlock(
  examplesPath: string,
  command: string,
  userArguments: readonly string[],
  settings: RecommendationSettings,
): Promise<string[]> {
  if (!settings.errorRecommendation) {
    return [];
  }
  const path = command.trim();
  const commandSpec = await specFor(path, settings);
  const withArguments = settings.tree.hasArguments(path);
  return examplesBlock({
    command,
    userArguments,
    examples: await examplesOf(examplesPath, settings),
    mappings: parameterMappings(
      commandSpec && {
        prelude: parserPrelude(path, withArguments),
        arguments: withArguments ? commandSpec.arguments : [],
      },
    ),
  });
}

/** Turns a parser failure into az's error: message, suggestion and examples block. */
export async function usageErrorFor(
  failure: ParserError | InvalidChoiceError,
  settings: RecommendationSettings,
): Promise<UsageError> {
  const parser = failure.parser as AzParser;

  if (failure instanceof ParserError) {
    const message = failure.message;
    if (message.includes("--query")) {
      return new UsageError(message, [QUERY_REFERENCE], undefined, false);
    }
    const command = (parser.parsedNamespace?.command as string | undefined) ?? parser.path;
    const block = await recommendationBlock(parser.path, command, parser.rawArguments, settings);
    return new UsageError(message, block, undefined, false);
  }

  const { action, value } = failure;
  const choices = action.choices?.values ?? [];
  const candidates = getCloseMatches(value, choices, 3, 0.7);
  const recommendations = candidates.length ? [`Did you mean '${candidates[0]}' ?`] : [];
  const rawArguments = parser.rawArguments;

  let message: string;
  let examplesPath = parser.path;
  let command = parser.path;
  if (parser.kind !== "command") {
    message = `'${value}' is misspelled or not recognized by the system.`;
    if (candidates.length) {
      const inferred = [...parser.prog.split(" "), ...rawArguments]
        .map((item) => (item === value ? candidates[0] : item))
        .join(" ")
        .split("-")[0];
      examplesPath = inferred.split(" ").slice(1).join(" ");
    }
    const isSubcommand = action.dest === "_subcommand" || action.dest === "_command_package";
    if (isSubcommand && rawArguments.length > 0) {
      const parameters = extractParameterNames(rawArguments);
      if (!parameters.includes(rawArguments[0])) {
        command = `${command} ${rawArguments[0]}`;
      }
    }
    if (!candidates.length && parser.kind === "root" && settings.dynamicInstallDisabled) {
      recommendations.push(EXTENSION_REFERENCE);
    }
  } else {
    const parameter = action.optionStrings[0] ?? action.dest;
    message =
      `${parser.prog}: '${value}' is not a valid value for '${parameter}'. ` +
      `Allowed values: ${choices.join(", ")}.`;
  }

  const block = await recommendationBlock(examplesPath, command, rawArguments, settings);
  return new UsageError(message, [...recommendations, ...block], undefined, false);
}
