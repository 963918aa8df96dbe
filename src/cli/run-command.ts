// One invocation after the logging switches are known: @file expansion, parsing (or help),
// preview notices, the command's run and its output, in az's order.

import { acrtaskConfigDir, type CliConfig } from "./config.js";
import type {
  Context,
  GlobalOptions,
  Logger,
  OutputFormat,
  Services,
  TextSink,
} from "./context.js";
import { expandFileArguments, expandWholeTokenFiles, readsStdin } from "./expand.js";
import { GLOBAL_DESTINATIONS, type SubscriptionResolver } from "./globals.js";
import { renderCommandHelp, renderGroupHelp, type GroupChild } from "./help.js";
import {
  CommandIndex,
  ModuleNeeded,
  parseOnce,
  parserPrelude,
  usageErrorFor,
  type CommandTable,
  type ParseOutcome,
  type ParserTree,
} from "./parser.js";
import type { CommandModule } from "./spec.js";

export interface OutputRenderer {
  (
    value: unknown,
    options: {
      output: OutputFormat;
      query?: string;
      tableTransformer?: (result: unknown) => Record<string, unknown>[];
    },
  ): string | Promise<string>;
}

export interface Invocation {
  argv: readonly string[];
  table: CommandTable;
  config: CliConfig;
  stdout: TextSink;
  stderr: TextSink;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  services: Services;
  readStdin: () => string;
  /** Logging switches, decided from the raw argv as az decides them. */
  debug: boolean;
  verbose: boolean;
  onlyShowErrors: boolean;
  forward: (argv: readonly string[]) => Promise<number>;
  resolveSubscription: SubscriptionResolver;
  loadQueryCompiler: () => Promise<(text: string) => unknown>;
  loadRenderer: () => Promise<OutputRenderer>;
}

const LOGGING_FLAGS = new Set(["--debug", "--verbose", "--only-show-errors"]);

/** Loads modules on demand: a command's own module for its parse, a group's for its help. */
class ModuleCache {
  readonly loaded = new Map<string, CommandModule>();

  constructor(private readonly table: CommandTable) {}

  async load(path: string): Promise<CommandModule> {
    let module = this.loaded.get(path);
    if (!module) {
      module = await this.table.commands[path]();
      this.loaded.set(path, module);
    }
    return module;
  }
}

function prepareArguments(
  invocation: Invocation,
  index: CommandIndex,
  readStdin: () => string,
): string[] {
  const fileOptions = { readStdin, env: invocation.env, cwd: invocation.cwd };
  const args = expandFileArguments(invocation.argv, fileOptions);

  // Command words are case-insensitive: az lower-cases the ones that name a known command.
  const wordCount = index.commandWordCount(args);
  for (let position = 0; position < wordCount; position += 1) {
    args[position] = args[position].toLowerCase();
  }
  if (args[0]?.toLowerCase() === "help") {
    args[0] = "--help";
  }
  return expandWholeTokenFiles(args, fileOptions);
}

async function parseWithModules(
  args: readonly string[],
  invocation: Invocation,
  index: CommandIndex,
  modules: ModuleCache,
): Promise<{ outcome: ParseOutcome; tree: ParserTree }> {
  // The query compiler comes from the output layer; load it only if --query can be present.
  const compileQuery = args.some((arg) => arg.startsWith("--q"))
    ? await invocation.loadQueryCompiler()
    : () => undefined;

  const tree = index.parserTree(args);

  // Usually the command's module is known from the leading words; load it before parsing.
  const wordCount = index.commandWordCount(args);
  const leading = args.slice(0, wordCount).join(" ");
  if (index.isCommand(leading)) {
    await modules.load(leading);
  }

  for (;;) {
    try {
      const outcome = parseOnce(args, {
        index,
        tree,
        loaded: modules.loaded,
        defaultOutput: invocation.config.defaultOutput,
        compileQuery,
        configuredDefault: (name) => invocation.config.configuredDefault(name),
        resolveSubscription: invocation.resolveSubscription,
      });
      return { outcome, tree };
    } catch (error) {
      if (error instanceof ModuleNeeded) {
        await modules.load(error.path);
        continue;
      }
      throw error;
    }
  }
}

/** The enclosing group whose preview notice a command or group carries, if any. */
function previewGroupOf(path: string, index: CommandIndex): string | undefined {
  const words = path.split(" ");
  for (let length = words.length - 1; length > 0; length -= 1) {
    const ancestor = words.slice(0, length).join(" ");
    if (index.group(ancestor)?.preview) {
      return ancestor;
    }
  }
  return undefined;
}

function commandPreviewGroup(path: string, module: CommandModule, index: CommandIndex) {
  const enclosing = previewGroupOf(path, index);
  if (enclosing || !module.spec.preview) {
    return enclosing;
  }
  // A command marked preview on its own carries its group's notice, as `acr taskrun` does.
  return path.split(" ").slice(0, -1).join(" ");
}

async function renderHelp(
  path: string,
  isCommand: boolean,
  invocation: Invocation,
  index: CommandIndex,
  tree: ParserTree,
  modules: ModuleCache,
): Promise<string> {
  const { config } = invocation;
  if (isCommand) {
    const module = await modules.load(path);
    // A command reached past an option has no arguments of its own in az's parser, nor in help.
    const withArguments = tree.hasArguments(path);
    return renderCommandHelp({
      path,
      spec: withArguments ? module.spec : { ...module.spec, arguments: [] },
      globalSubscription: parserPrelude(path, withArguments).globalSubscription,
      previewGroup: commandPreviewGroup(path, module, index),
      defaultOutput: config.defaultOutput,
      configuredDefault: (name) => config.configuredDefault(name),
    });
  }

  const children: GroupChild[] = [];
  let anyPreviewCommand = false;
  for (const name of tree.children(path)) {
    const childPath = path ? `${path} ${name}` : name;
    if (index.isCommand(childPath)) {
      const spec = (await modules.load(childPath)).spec;
      anyPreviewCommand ||= spec.preview === true;
      children.push({ name, summary: spec.summary, isGroup: false, preview: false });
    } else {
      const group = index.group(childPath);
      const inherited = previewGroupOf(childPath, index) !== undefined;
      children.push({
        name,
        summary: group?.summary ?? "",
        isGroup: true,
        preview: group?.preview === true && !inherited,
      });
    }
  }

  const enclosing = previewGroupOf(path, index);
  return renderGroupHelp({
    path,
    summary: index.group(path)?.summary ?? "",
    preview: !enclosing && (index.group(path)?.preview === true || anyPreviewCommand),
    previewGroup: enclosing,
    children,
  });
}

function globalOptions(namespace: Record<string, unknown>, invocation: Invocation): GlobalOptions {
  const query = namespace[GLOBAL_DESTINATIONS.query];
  const subscription = namespace[GLOBAL_DESTINATIONS.subscription];
  return {
    output: namespace[GLOBAL_DESTINATIONS.output] as OutputFormat,
    query: typeof query === "string" ? query : undefined,
    subscription: typeof subscription === "string" ? subscription : undefined,
    debug: invocation.debug,
    verbose: invocation.verbose,
    onlyShowErrors: invocation.onlyShowErrors,
  };
}

/** Runs the invocation to its exit code; failures are thrown for the caller to report. */
export async function runCommandLine(invocation: Invocation): Promise<number> {
  const { argv } = invocation;

  // The version switch, the welcome screen and root help belong to az itself.
  if (argv[0] === "--version" || argv[0] === "-v") {
    return invocation.forward(argv);
  }
  if (argv.every((arg) => LOGGING_FLAGS.has(arg))) {
    return invocation.forward(argv);
  }

  const index = new CommandIndex(invocation.table);
  const modules = new ModuleCache(invocation.table);

  // Standard input is read only once we know acrtask runs the command, so that a forwarded
  // command still finds it unread.
  const needsStdin = argv.some(readsStdin);
  let { outcome, tree } = await parseWithModules(
    prepareArguments(invocation, index, needsStdin ? () => "" : invocation.readStdin),
    invocation,
    index,
    modules,
  );
  if (outcome.kind !== "forward" && needsStdin) {
    ({ outcome, tree } = await parseWithModules(
      prepareArguments(invocation, index, invocation.readStdin),
      invocation,
      index,
      modules,
    ));
  }

  for (const warning of outcome.warnings) {
    invocation.logger.warning(warning);
  }

  switch (outcome.kind) {
    case "forward":
      return invocation.forward(argv);
    case "help":
      invocation.stdout.write(
        await renderHelp(outcome.path, outcome.isCommand, invocation, index, tree, modules),
      );
      return 0;
    case "failure":
      throw await usageErrorFor(outcome.error, {
        index,
        tree,
        errorRecommendation: invocation.config.errorRecommendation,
        dynamicInstallDisabled: invocation.config.dynamicInstallDisabled,
        loadCommand: (path) => modules.load(path),
      });
    case "command":
      break;
  }

  const module = await modules.load(outcome.path);
  if (!module.run) {
    return invocation.forward(argv);
  }

  if (!invocation.onlyShowErrors) {
    const notices = [...outcome.argumentPreviews];
    const previewGroup = commandPreviewGroup(outcome.path, module, index);
    if (previewGroup) {
      notices.push(
        `WARNING: Command group '${previewGroup}' is in preview and under development. ` +
          "Reference and support levels: https://aka.ms/CLI_refstatus",
      );
    }
    for (const notice of notices) {
      invocation.stderr.write(`${notice}\n`);
    }
  }

  const globals = globalOptions(outcome.namespace, invocation);
  const context: Context = {
    commandName: outcome.path,
    globals,
    stdout: invocation.stdout,
    stderr: invocation.stderr,
    logger: invocation.logger,
    env: invocation.env,
    cwd: invocation.cwd,
    configDir: acrtaskConfigDir(invocation.env),
    now: invocation.now,
    services: invocation.services,
  };

  const result = await module.run(outcome.options, context);
  if (result !== undefined && result !== null) {
    const render = await invocation.loadRenderer();
    invocation.stdout.write(
      await render(result, {
        output: globals.output,
        query: globals.query,
        tableTransformer: module.tableTransformer,
      }),
    );
  }
  return 0;
}
