// The typed description of a command: what the parser, the help renderer and the error
// recommendations read. A command module exports one `spec` and one `run`.

import type { Context } from "./context.js";

/**
 * How an option consumes argv, in argparse's terms:
 * - value: one value, last occurrence wins
 * - append: one value per occurrence, accumulated in order (`--arg`, `--set`, `-t`)
 * - flag: store_true, takes no value (`--no-logs`)
 * - threeState: `--flag` alone is true, or an explicit `true`/`false` (case-insensitive)
 * - list: nargs='*', takes every following non-option token, possibly none
 * - positional: a positional argument such as `<SOURCE_LOCATION>`
 */
export type ArgumentKind = "value" | "append" | "flag" | "threeState" | "list" | "positional";

export interface ArgumentSpec {
  /** Key of the parsed value in the options object handed to `run`, camelCase. */
  name: string;
  /** Option strings in az's order, as az joins them in errors: `--name/-n`. */
  options: readonly string[];
  kind: ArgumentKind;
  /** `int` parses with Python int() semantics and reports az's invalid int value error. */
  type?: "int";
  /** Allowed values in enum-definition order; matched case-insensitively, canonicalised. */
  choices?: readonly string[];
  required?: boolean;
  /** The default az applies and shows in help as `Default: X.` */
  defaultValue?: string | number | boolean;
  /** `az configure --defaults acr=…` / `group=…` fill this argument and lift `required`. */
  configuredDefault?: "acr" | "group";
  /** One paragraph; the help renderer wraps it. */
  help: string;
  /** Help section; default "Arguments". */
  group?: string;
  /** Prints az's argument preview notice when used. */
  preview?: boolean;
  /** Metavar used for positionals in errors, e.g. `<SOURCE_LOCATION>`. */
  metavar?: string;
}

export interface ExampleSpec {
  title: string;
  command: string;
}

export interface CommandSpec {
  /** First sentence shown in group listings and in the help `Command` block. */
  summary: string;
  /** Further paragraphs shown after the summary in the command help. */
  description?: string;
  /** Prints az's command-group preview notice (`acr taskrun`). */
  preview?: boolean;
  arguments: readonly ArgumentSpec[];
  examples: readonly ExampleSpec[];
}

export type ParsedOptions = Record<string, unknown>;

/**
 * What a command returns: a JSON-able value in az's shape (see src/output), or undefined for
 * no output. The table transformer, if any, turns that value into ordered rows for `-o table`.
 */
export type CommandResult = unknown;

export interface CommandModule {
  spec: CommandSpec;
  run?: (options: ParsedOptions, context: Context) => Promise<CommandResult>;
  tableTransformer?: (result: unknown) => Record<string, unknown>[];
}
