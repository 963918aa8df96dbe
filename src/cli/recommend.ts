// The "Examples from AI knowledge base" block az prints after a parse error. Offline, az ranks
// the help examples of the parser that failed against the options the user typed.

import { isPythonWhitespace } from "./python-compat.js";
import type { ArgumentSpec, ExampleSpec } from "./spec.js";

export const REFERENCE_LINK = "https://aka.ms/cli_ref";
export const QUERY_REFERENCE =
  "To learn more about --query, please visit: " +
  "'https://docs.microsoft.com/cli/azure/query-azure-cli'";
export const EXTENSION_REFERENCE =
  "If the command is from an extension, please make sure the corresponding extension is " +
  "installed. To learn more about extensions, please visit " +
  "'https://docs.microsoft.com/cli/azure/azure-cli-extensions-overview'";

/**
 * The option names among argv tokens (values are dropped for privacy in az): tokens starting
 * with `-` but not `---`, `--x=y` cut at `=`, single-dash options cut to two characters.
 */
export function extractParameterNames(tokens: readonly string[]): string[] {
  return tokens
    .filter((token) => token.startsWith("-") && !token.startsWith("---") && token.length > 1)
    .map((token) =>
      token.startsWith("--") ? token.split("=", 1)[0] : Array.from(token).slice(0, 2).join(""),
    );
}

const STATIC_MAPPINGS: readonly [string, string][] = [
  ["-h", "--help"],
  ["-o", "--output"],
  ["--only-show-errors", "--only-show-errors"],
  ["--help", "--help"],
  ["--output", "--output"],
  ["--query", "--query"],
  ["--debug", "--debug"],
  ["--verbose", "--verbose"],
  ["--yes", "--yes"],
  ["--no-wait", "--no-wait"],
];

/**
 * Every option name a command knows, mapped to its longest spelling (`-n` → `--name`). Without
 * a command (an unknown path) only the global options are known.
 */
export function parameterMappings(
  command:
    | {
        prelude: { globalSubscription: boolean; hidden: readonly { option: string }[] };
        arguments: readonly ArgumentSpec[];
      }
    | undefined,
): Map<string, string> {
  const mappings = new Map<string, string>(STATIC_MAPPINGS);
  if (!command) {
    return mappings;
  }
  const { prelude } = command;
  const optionLists = [
    [prelude.globalSubscription ? "--subscription" : "--___SUBSCRIPTION"],
    ...prelude.hidden.map((hidden) => [hidden.option]),
    ...command.arguments.map((spec) => [...spec.options]),
  ];
  for (const options of optionLists) {
    if (options.length === 0) {
      continue;
    }
    const byLength = [...options].sort((left, right) => right.length - left.length);
    const standard = byLength[0];
    for (const option of byLength.slice(1)) {
      mappings.set(option, standard);
    }
    mappings.set(standard, standard);
  }
  return mappings;
}

function normalizeParameters(tokens: readonly string[], mappings: Map<string, string>): string[] {
  return extractParameterNames(tokens)
    .filter((name) => mappings.has(name))
    .map((name) => mappings.get(name) as string)
    .sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}

/** az's strip_command: line continuations removed, runs of spaces collapsed. */
export function flattenExampleCommand(command: string): string {
  return command
    .replaceAll("\\\n", "")
    .split(" ")
    .filter((item) => item !== "")
    .join(" ")
    .trim();
}

export interface RankInput {
  /** The command the user was running, as az names it for the recommender ("acr task lst"). */
  command: string;
  /** The raw arguments of the parser that failed. */
  userArguments: readonly string[];
  examples: readonly ExampleSpec[];
  mappings: Map<string, string>;
}

/** The three examples az shows: those naming the command first, then most shared options. */
export function rankExamples(input: RankInput): { command: string; description: string }[] {
  const target = normalizeParameters(input.userArguments, input.mappings);
  const prefix = `az ${input.command.trim()}`;

  const candidates = input.examples
    .filter((example) => example.command && example.title)
    .map((example) => {
      const command = flattenExampleCommand(example.command);
      const parameters = normalizeParameters(command.split(" "), input.mappings);
      const matches = command.startsWith(prefix)
        ? parameters.filter((parameter) => target.includes(parameter)).length
        : -1;
      // Printing re-joins the words of the command, so every run of whitespace, newlines
      // included, becomes one space.
      const display = Array.from(command)
        .map((character) => (isPythonWhitespace(character) ? " " : character))
        .join("")
        .split(" ")
        .filter((word) => word !== "")
        .join(" ");
      return { display, description: example.title, matches, count: parameters.length };
    });

  candidates.sort((left, right) => right.matches - left.matches || left.count - right.count);
  return candidates
    .slice(0, 3)
    .map(({ display, description }) => ({ command: display, description }));
}

/** The block's lines, from the blank line that opens it to the reference link at its end. */
export function examplesBlock(input: RankInput): string[] {
  const lines = ["", "Examples from AI knowledge base:"];
  for (const example of rankExamples(input)) {
    lines.push(example.command, example.description, "");
  }
  lines.push(REFERENCE_LINK, "Read more about the command in reference docs");
  return lines;
}
