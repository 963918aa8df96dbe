// `-h/--help` in az's layout (knack's help printer): the same sections, columns, markers and
// wrapping at 100 columns, filled with the descriptions from our own command specs.

import { examplesEndInNewline } from "./az-tree.js";
import { GLOBAL_ARGUMENTS_GROUP, globalHelpEntries, type HelpEntry } from "./globals.js";
import { argumentPreviewNotice, positionalMetavar, PREVIEW_REFERENCE } from "./parser.js";
import { pythonStrip } from "./python-compat.js";
import { printIndent } from "./textwrap.js";
import type { ArgumentSpec, CommandSpec, ExampleSpec } from "./spec.js";

const FIRST_LINE_PREFIX = " : ";
const REQUIRED_TAG = "[Required]";
const PREVIEW_TAG = "[Preview]";

/** az's HelpObject._normalize_text: capital first letter, final full stop. */
export function normalizeText(text: string | undefined): string {
  if (!text || text.length < 2) {
    return text ?? "";
  }
  const stripped = pythonStrip(text);
  if (stripped === "") {
    return "";
  }
  const [first, ...rest] = Array.from(stripped);
  const last = rest.length ? rest[rest.length - 1] : first;
  return first.toUpperCase() + rest.join("") + (".!?".includes(last) ? "" : ".");
}

function compareCodePoints(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function length(text: string): number {
  return Array.from(text).length;
}

interface Item {
  name: string;
  tags: string[];
  summary: string;
}

function tagsText(item: Item): { tags: string; tagsLength: number } {
  const tags = item.tags.join(" ");
  return { tags, tagsLength: length(tags) };
}

function lineLength(item: Item): number {
  const { tagsLength } = tagsText(item);
  return length(item.name) + tagsLength + (tagsLength ? 2 : 1);
}

function itemLine(item: Item, maxLineLength: number, separatorWhenEmpty = false): string {
  const { tags, tagsLength } = tagsText(item);
  const padding = " ".repeat(maxLineLength - lineLength(item) + (tagsLength ? 1 : 0));
  const separator = item.summary || separatorWhenEmpty ? FIRST_LINE_PREFIX : "";
  return `${item.name}${padding}${tags}${separator}${item.summary}`;
}

function hangingIndent(maxLineLength: number, indent: number): number {
  return maxLineLength + indent * 4 + FIRST_LINE_PREFIX.length - 1;
}

function header(kind: "Command" | "Group", path: string, summary: string, long: string): string {
  let text = printIndent("");
  text += printIndent(kind);
  const line = `az${path ? ` ${path}` : ""}${summary ? FIRST_LINE_PREFIX + summary : ""}`;
  text += printIndent(line, 1);
  text += printIndent(long, 2);
  return text;
}

/**
 * az's example commands are YAML blocks ending in a newline, which prints as one more empty
 * line before the one every example ends with; only login's are plain one-line texts. The
 * spec's own trailing newlines do not matter.
 */
function exampleText(path: string, command: string): string {
  const text = command.replace(/\n+$/, "");
  return examplesEndInNewline(path) ? `${text}\n` : text;
}

function examplesSection(path: string, examples: readonly ExampleSpec[]): string {
  if (examples.length === 0) {
    return "";
  }
  let text = printIndent("Examples");
  for (const example of examples) {
    text += printIndent(example.title, 1);
    text += printIndent(exampleText(path, example.command), 2);
    text += "\n";
  }
  return text;
}

function findMessage(path: string): string {
  return printIndent(`To search AI knowledge base for examples, use: az find "az ${path}"\n`);
}

function previewMessage(subject: string): string {
  return `WARNING: ${subject} is in preview and under development. ${PREVIEW_REFERENCE}`;
}

/** What the help of one command needs to know beyond its spec. */
export interface CommandHelpContext {
  path: string;
  spec: CommandSpec;
  /** Whether az's parser for the command has the global --subscription. */
  globalSubscription: boolean;
  /** The preview group a command belongs to, named in its notice ("acr taskrun"). */
  previewGroup?: string;
  defaultOutput: string;
  configuredDefault: (name: string) => string | undefined;
}

interface Parameter extends Item {
  required: boolean;
  group: string | undefined;
  longSummary: string;
}

function groupTitle(spec: ArgumentSpec): string | undefined {
  if (spec.kind === "positional") {
    return "Positional";
  }
  if (!spec.group || spec.group === "Arguments") {
    return undefined;
  }
  return spec.group.endsWith(" Arguments") ? spec.group : `${spec.group} Arguments`;
}

function defaultText(value: ArgumentSpec["defaultValue"]): string | undefined {
  // az prints Python's value: True is an int default there, shown as 1; falsy values not at all.
  if (value === undefined || value === false || value === 0 || value === "") {
    return undefined;
  }
  return value === true ? "1" : String(value);
}

function annotatedSummary(
  help: string,
  choices: readonly string[] | undefined,
  defaultLabel: string,
  defaultValue: string | undefined,
): string {
  let summary = normalizeText(help);
  const possibleValues = summary.indexOf(" Possible values include");
  if (possibleValues >= 0) {
    summary = summary.slice(0, possibleValues);
  }
  if (choices && choices.length) {
    summary += `  Allowed values: ${[...choices].sort(compareCodePoints).join(", ")}.`;
  }
  if (defaultValue) {
    summary += `  ${defaultLabel}: ${defaultValue}.`;
  }
  return pythonStrip(summary);
}

function commandParameter(spec: ArgumentSpec, context: CommandHelpContext): Parameter {
  const configured = spec.configuredDefault
    ? context.configuredDefault(spec.configuredDefault)
    : undefined;
  const isPositional = spec.kind === "positional";
  const name = isPositional
    ? positionalMetavar(spec)
    : [...spec.options].sort(compareCodePoints).join(" ");
  const required = !isPositional && (spec.required ?? false) && configured === undefined;
  const choices = spec.kind === "threeState" ? ["true", "false"] : spec.choices;
  const summary = annotatedSummary(
    spec.help,
    choices,
    configured !== undefined ? "Config" : "Default",
    configured ?? defaultText(spec.defaultValue),
  );

  const tags = [spec.preview ? PREVIEW_TAG : "", required ? REQUIRED_TAG : ""].filter(Boolean);
  const longSummary = spec.preview ? argumentPreviewNotice(spec) : "";
  return { name, tags, summary, required, group: groupTitle(spec), longSummary };
}

function globalParameter(entry: HelpEntry): Parameter {
  return {
    name: [...entry.options].sort(compareCodePoints).join(" "),
    tags: [],
    summary: annotatedSummary(entry.summary, entry.choices, "Default", entry.defaultText),
    required: false,
    group: GLOBAL_ARGUMENTS_GROUP,
    longSummary: "",
  };
}

function groupPriorities(groups: readonly (string | undefined)[]): Map<string | undefined, number> {
  const priorities = new Map<string | undefined, number>([
    [undefined, 0],
    ["Resource Id Arguments", 1],
    ["Generic Update Arguments", 998],
    [GLOBAL_ARGUMENTS_GROUP, 1000],
  ]);
  const others = [...new Set(groups.filter((group): group is string => !!group))]
    .filter((group) => !priorities.has(group))
    .sort(compareCodePoints);
  others.forEach((group, position) => priorities.set(group, position + 2));
  return priorities;
}

function argumentsSection(parameters: Parameter[]): string {
  const priorities = groupPriorities(parameters.map((parameter) => parameter.group));
  const key = (parameter: Parameter) =>
    String(priorities.get(parameter.group) ?? 0).padStart(6, "0") +
    (parameter.required ? "False" : "True") +
    parameter.name;
  const sorted = [...parameters].sort((left, right) => compareCodePoints(key(left), key(right)));
  const maxLineLength = Math.max(0, ...sorted.map(lineLength));

  let text = printIndent("Arguments");
  let lastGroup: string | undefined = "";
  for (const parameter of sorted) {
    if (parameter.group !== lastGroup) {
      if (parameter.group) {
        text += `\n${parameter.group}\n`;
      }
      lastGroup = parameter.group;
    }
    text += printIndent(itemLine(parameter, maxLineLength), 1, hangingIndent(maxLineLength, 1));
    if (parameter.longSummary) {
      text += printIndent(parameter.longSummary, 2);
    }
  }
  return text + printIndent("");
}

export function renderCommandHelp(context: CommandHelpContext): string {
  const { spec } = context;
  const longLines = [normalizeText(spec.description)].filter(Boolean);
  if (context.previewGroup) {
    longLines.push(previewMessage(`Command group '${context.previewGroup}'`));
  }
  const hasLongSummary = normalizeText(spec.description) !== "";

  let text = header("Command", context.path, normalizeText(spec.summary), longLines.join("\n"));
  if (hasLongSummary) {
    text += printIndent("");
  }

  const parameters = [
    ...spec.arguments.map((argument) => commandParameter(argument, context)),
    ...globalHelpEntries(context.defaultOutput, context.globalSubscription).map(globalParameter),
  ];
  text += argumentsSection(parameters);
  text += examplesSection(context.path, spec.examples);
  return text + findMessage(context.path);
}

export interface GroupChild {
  name: string;
  summary: string;
  isGroup: boolean;
  /** Marked `[Preview]` in the listing (a preview of its own, not inherited). */
  preview: boolean;
}

export interface GroupHelpContext {
  path: string;
  summary: string;
  /** The group itself is in preview. */
  preview: boolean;
  /** An enclosing group is in preview (its notice replaces the group's own). */
  previewGroup?: string;
  children: readonly GroupChild[];
}

function listing(title: string, items: Item[], maxLineLength: number): string {
  if (items.length === 0) {
    return "";
  }
  let text = printIndent(`${title}:`);
  for (const item of items) {
    text += printIndent(itemLine(item, maxLineLength), 1, hangingIndent(maxLineLength, 1));
  }
  return text + printIndent("");
}

export function renderGroupHelp(context: GroupHelpContext): string {
  let longSummary = "";
  if (context.previewGroup) {
    longSummary = previewMessage(`Command group '${context.previewGroup}'`);
  } else if (context.preview) {
    longSummary = previewMessage("This command group");
  }
  let text = header("Group", context.path, normalizeText(context.summary), longSummary);

  const toItem = (child: GroupChild): Item => ({
    name: child.name,
    tags: child.preview ? [PREVIEW_TAG] : [],
    summary: normalizeText(child.summary).replaceAll("\n", " "),
  });
  const byName = (left: GroupChild, right: GroupChild) => compareCodePoints(left.name, right.name);
  const groups = context.children
    .filter((child) => child.isGroup)
    .sort(byName)
    .map(toItem);
  const commands = context.children
    .filter((child) => !child.isGroup)
    .sort(byName)
    .map(toItem);
  const maxLineLength = Math.max(0, ...[...groups, ...commands].map(lineLength));

  text += listing("Subgroups", groups, maxLineLength);
  text += listing("Commands", commands, maxLineLength);
  return text + findMessage(context.path);
}
