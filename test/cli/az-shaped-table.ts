// A command table shaped exactly like az 2.45's parsers for the acr task/taskrun/run/build
// commands, read from the dump in test/fixtures/parse-corpus/az-commands.json (argument order,
// kinds, choices, defaults, help texts and examples). It exercises the CLI core with az's own
// data; its commands fail like az without a login, so a parse that succeeds ends the way az's
// does in the corpus.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { CliError } from "../../src/cli/errors.js";
import type { CommandTable } from "../../src/cli/parser.js";
import type { ArgumentKind, ArgumentSpec, CommandModule } from "../../src/cli/spec.js";

export const CORPUS_DIR = join(__dirname, "..", "fixtures", "parse-corpus");

interface DumpedArgument {
  dest: string;
  options: string[];
  kind: ArgumentKind;
  required: boolean;
  group: string | null;
  preview: boolean;
  hidden: boolean;
  type?: "int";
  choices?: string[];
  default?: string | number;
  metavar?: string;
  help: string;
}

interface DumpedCommand {
  summary: string;
  description: string;
  arguments: DumpedArgument[];
  examples: { title: string; command: string }[];
  preview: boolean;
}

interface Dump {
  commands: Record<string, DumpedCommand>;
  groups: Record<string, { summary: string; preview: boolean }>;
}

export function readDump(): Dump {
  return JSON.parse(readFileSync(join(CORPUS_DIR, "az-commands.json"), "utf8")) as Dump;
}

function argumentSpec(argument: DumpedArgument): ArgumentSpec {
  let defaultValue: ArgumentSpec["defaultValue"] = argument.default;
  if (argument.kind === "threeState" && argument.default !== undefined) {
    defaultValue = argument.default === 1;
  }
  let configuredDefault: ArgumentSpec["configuredDefault"];
  if (argument.options.includes("--registry")) {
    configuredDefault = "acr";
  } else if (argument.options.includes("--resource-group")) {
    configuredDefault = "group";
  }
  return {
    name: argument.dest,
    options: argument.options,
    kind: argument.kind,
    type: argument.type,
    choices: argument.choices,
    required: argument.required,
    defaultValue,
    configuredDefault,
    help: argument.help,
    group: argument.group ?? undefined,
    preview: argument.preview,
    metavar: argument.metavar,
  };
}

export function commandModule(command: DumpedCommand): CommandModule {
  return {
    spec: {
      summary: command.summary,
      description: command.description,
      arguments: command.arguments.filter((argument) => !argument.hidden).map(argumentSpec),
      examples: command.examples,
    },
    run: async () => {
      throw new CliError("Please run 'az login' to setup account.");
    },
  };
}

export function azShapedTable(): CommandTable {
  const dump = readDump();
  const commands: CommandTable["commands"] = {};
  for (const [path, command] of Object.entries(dump.commands)) {
    commands[path] = async () => commandModule(command);
  }
  const groups: CommandTable["groups"] = {};
  for (const [path, group] of Object.entries(dump.groups)) {
    groups[path] = { summary: group.summary, preview: group.preview };
  }
  return { commands, groups };
}
