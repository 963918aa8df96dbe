// The acr command specs against az 2.45 itself: every command's `--help` text and the actions of
// az's own argparse parser (test/fixtures/az-help, see PROVENANCE.md there).

import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { ArgumentSpec, CommandSpec } from "../../src/cli/spec.js";
import { acrCommands, acrGroups } from "../../src/commands/manifest/acr.js";

const fixtures = join(__dirname, "..", "fixtures", "az-help");

function helpText(path: string): string {
  return readFileSync(join(fixtures, `${path.replace(/ /g, "_")}.txt`), "utf8");
}

interface ParserAction {
  dest: string;
  optionStrings: string[];
  action: string;
  nargs: number | string | null;
  type: string | null;
  choices: string[] | null;
  default: string;
  required: boolean;
  metavar: string | null;
  group: string | null;
  preview: boolean;
  configuredDefault: string | null;
}

const azParser = JSON.parse(readFileSync(join(fixtures, "az-parser.json"), "utf8")) as Record<
  string,
  ParserAction[]
>;

const commandPaths = Object.keys(azParser);
const groupPaths = ["acr", "acr task", "acr task credential", "acr task timer"]
  .concat(["acr task identity", "acr taskrun"])
  .sort();

async function loadSpec(path: string): Promise<CommandSpec> {
  const module = await acrCommands[path]();
  return module.spec;
}

// ---------------------------------------------------------------------------------------------
// Reading az's help text.

interface HelpArgument {
  name: string;
  section: string;
  required: boolean;
  preview: boolean;
  allowedValues?: string[];
  defaultValue?: string;
}

interface CommandHelp {
  arguments: HelpArgument[];
  examples: { titleLines: string[]; commandLines: string[] }[];
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Sections by heading: the lines between a heading at column 0 and the next one. */
function sections(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    if (line !== "" && indentOf(line) === 0) {
      current = [];
      result.set(line.replace(/:$/, ""), current);
    } else if (current) {
      current.push(line);
    }
  }
  return result;
}

// An entry line: four spaces, the names, padding, optional tags, " : " and the description.
const ENTRY = /^ {4}(\S.*?)\s+((?:\[[A-Za-z]+\]\s*)*): ?(.*)$/;

function parseEntries(lines: string[], section: string): HelpArgument[] {
  const entries: (HelpArgument & { description: string })[] = [];
  let inNotice = false;

  for (const line of lines) {
    if (line.trim() === "") {
      continue;
    }
    const indent = indentOf(line);
    if (indent === 4) {
      const match = ENTRY.exec(line);
      if (!match) {
        throw new Error(`unreadable help entry: ${line}`);
      }
      const tags = match[2];
      entries.push({
        name: match[1].trim(),
        section,
        required: tags.includes("[Required]"),
        preview: tags.includes("[Preview]"),
        description: match[3],
      });
      inNotice = false;
    } else if (indent === 8) {
      // The preview notice under an argument, and its continuation lines.
      inNotice = true;
    } else if (!inNotice) {
      entries[entries.length - 1].description += ` ${line.trim()}`;
    }
  }

  return entries.map(({ description, ...entry }) => {
    const allowed = /\s+Allowed values: ([^.]*)\./.exec(description);
    const defaultValue = /\s+Default: (.*)\.$/.exec(description);
    return {
      ...entry,
      allowedValues: allowed ? allowed[1].split(", ") : undefined,
      defaultValue: defaultValue ? defaultValue[1] : undefined,
    };
  });
}

function parseExamples(lines: string[]): CommandHelp["examples"] {
  const examples: CommandHelp["examples"] = [];
  let previousIndent = 0;
  for (const line of lines) {
    if (line.trim() === "") {
      previousIndent = 0;
      continue;
    }
    const indent = indentOf(line);
    if (indent === 4 && previousIndent !== 4) {
      examples.push({ titleLines: [], commandLines: [] });
    }
    const example = examples[examples.length - 1];
    if (indent === 4) {
      example.titleLines.push(line.trim());
    } else {
      example.commandLines.push(line.trim());
    }
    previousIndent = indent;
  }
  return examples;
}

function parseCommandHelp(text: string): CommandHelp {
  const help: CommandHelp = { arguments: [], examples: [] };
  for (const [heading, lines] of sections(text)) {
    if (heading === "Examples") {
      help.examples = parseExamples(lines);
    } else if (heading === "Arguments" || heading === "Positional" || / Arguments$/.test(heading)) {
      if (heading !== "Global Arguments") {
        help.arguments.push(...parseEntries(lines, heading));
      }
    }
  }
  return help;
}

/** The names of a group listing ("Subgroups" and "Commands"), with their tags. */
function parseGroupHelp(text: string): Map<string, { isGroup: boolean; preview: boolean }> {
  const children = new Map<string, { isGroup: boolean; preview: boolean }>();
  for (const [heading, lines] of sections(text)) {
    if (heading !== "Subgroups" && heading !== "Commands") {
      continue;
    }
    for (const line of lines) {
      const match = /^ {4}(\S+)\s+((?:\[[A-Za-z]+\]\s*)*):/.exec(line);
      if (match) {
        children.set(match[1], {
          isGroup: heading === "Subgroups",
          preview: match[2].includes("[Preview]"),
        });
      }
    }
  }
  return children;
}

// ---------------------------------------------------------------------------------------------
// What our spec makes of an argument, in the help's terms.

function helpName(argument: ArgumentSpec): string {
  if (argument.kind === "positional") {
    return argument.metavar ?? "";
  }
  return [...argument.options].sort().join(" ");
}

function helpSection(argument: ArgumentSpec): string {
  if (argument.kind === "positional") {
    return "Positional";
  }
  const group = argument.group ?? "Arguments";
  return group.endsWith("Arguments") ? group : `${group} Arguments`;
}

// az prints Python's value of a default; True shows as 1 and falsy defaults not at all.
function helpDefault(argument: ArgumentSpec): string | undefined {
  const value = argument.defaultValue;
  if (value === undefined || value === false || value === 0 || value === "") {
    return undefined;
  }
  return value === true ? "1" : String(value);
}

function helpAllowedValues(argument: ArgumentSpec): string[] | undefined {
  if (argument.kind === "threeState") {
    return ["false", "true"];
  }
  return argument.choices ? [...argument.choices].sort() : undefined;
}

// ---------------------------------------------------------------------------------------------
// What az's parser makes of an argument, in our spec's terms.

function expectedKind(action: ParserAction): ArgumentSpec["kind"] {
  if (action.optionStrings.length === 0) {
    return "positional";
  }
  if (action.action === "ThreeStateAction") {
    return "threeState";
  }
  if (action.action === "_AppendAction") {
    return "append";
  }
  if (action.nargs === 0) {
    // store_true, also behind az's preview wrapper: `--flag=x` is "ignored explicit argument".
    return "flag";
  }
  if (action.nargs === "*") {
    return "list";
  }
  return "value";
}

function expectedDefault(action: ParserAction): ArgumentSpec["defaultValue"] {
  const repr = action.default;
  if (repr === "None") {
    return undefined;
  }
  if (repr === "True" || repr === "1") {
    // az's three-state defaults of True reach the parser as 1.
    return true;
  }
  if (repr === "False") {
    return false;
  }
  if (/^-?\d+$/.test(repr)) {
    return Number(repr);
  }
  const quoted = /^'(.*)'$/.exec(repr);
  if (quoted) {
    return quoted[1];
  }
  throw new Error(`unexpected default ${repr}`);
}

/** The actions that stand for a command's own arguments. */
function commandActions(path: string): ParserAction[] {
  // Global arguments (dest starting with "_") belong to the global layer; "cmd" is az's hidden
  // `--__cmd__` option, which its acr argument context adds to every acr command and which the
  // spec types cannot describe (see src/commands/acr/arguments.ts).
  return azParser[path].filter((action) => !action.dest.startsWith("_") && action.dest !== "cmd");
}

// ---------------------------------------------------------------------------------------------

test("the manifest registers exactly the commands captured from az", () => {
  expect(Object.keys(acrCommands).sort()).toEqual([...commandPaths].sort());
  expect(commandPaths).toHaveLength(28);
});

test("the manifest registers exactly the command groups of those commands", () => {
  expect(Object.keys(acrGroups).sort()).toEqual(groupPaths);
  for (const path of groupPaths) {
    expect(acrGroups[path].summary).toMatch(/\S/);
  }
});

describe.each(commandPaths)("az %s", (path) => {
  test("every manifest entry loads a spec with a summary and examples", async () => {
    const spec = await loadSpec(path);
    expect(spec.summary).toMatch(/\S/);
    expect(spec.arguments.length).toBeGreaterThan(0);
    expect(spec.examples.length).toBeGreaterThan(0);
  });

  test(
    "arguments: the same option strings, kinds, types, choices, " + "defaults as az's parser",
    async () => {
      const spec = await loadSpec(path);
      const actions = commandActions(path);

      const ours = spec.arguments.map((argument) => ({
        options: [...argument.options],
        kind: argument.kind,
        type: argument.type ?? null,
        choices: argument.kind === "threeState" ? ["true", "false"] : (argument.choices ?? null),
        required: argument.required ?? false,
        defaultValue:
          argument.kind === "flag" ? (argument.defaultValue ?? false) : argument.defaultValue,
        configuredDefault: argument.configuredDefault ?? null,
        group: argument.group ?? null,
        preview: argument.preview ?? false,
        metavar: argument.metavar ?? null,
      }));
      const theirs = actions.map((action) => ({
        options: action.optionStrings,
        kind: expectedKind(action),
        type: action.type === "int" ? "int" : null,
        choices: action.choices,
        required: action.required,
        defaultValue: expectedDefault(action),
        configuredDefault: action.configuredDefault,
        group: action.group,
        preview: action.preview,
        metavar: action.metavar,
      }));

      // In az's parser order: the order of its "required" and "ambiguous option" messages.
      expect(ours).toEqual(theirs);
    },
  );

  test("the command carries the preview notice exactly when az's help does", async () => {
    const spec = await loadSpec(path);
    const notice = /WARNING: Command group '[^']+' is in preview/.test(helpText(path));
    expect(spec.preview ?? false).toBe(notice);
  });

  test("argument names are unique camelCase keys", async () => {
    const spec = await loadSpec(path);
    const names = spec.arguments.map((argument) => argument.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z][A-Za-z]*$/);
    }
  });

  test("help: the same arguments, markers, allowed values, defaults and headings", async () => {
    const spec = await loadSpec(path);
    const help = parseCommandHelp(helpText(path));

    const byName = (left: { name: string }, right: { name: string }) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
    const ours = spec.arguments
      .map((argument) => ({
        name: helpName(argument),
        section: helpSection(argument),
        required: argument.kind !== "positional" && (argument.required ?? false),
        preview: argument.preview ?? false,
        allowedValues: helpAllowedValues(argument),
        defaultValue: helpDefault(argument),
      }))
      .sort(byName);
    const theirs = help.arguments
      .map((argument) => ({ ...argument, allowedValues: argument.allowedValues?.sort() }))
      .sort(byName);

    expect(ours).toEqual(theirs);
  });

  test("help texts are sentences of our own", async () => {
    const spec = await loadSpec(path);
    const texts = [spec.summary, ...spec.arguments.map((argument) => argument.help)];
    for (const text of texts) {
      expect(text).toMatch(/^[A-Z'`].*[.!?]$/s);
    }
    const azText = helpText(path).replace(/\s+/g, " ");
    for (const argument of spec.arguments) {
      // A help text of ours never equals az's (which the help shows with a full stop added).
      expect(azText).not.toContain(` : ${argument.help}`);
    }
  });

  test("examples: az's command lines, in az's order", async () => {
    const spec = await loadSpec(path);
    const help = parseCommandHelp(helpText(path));

    expect(spec.examples).toHaveLength(help.examples.length);
    spec.examples.forEach((example, index) => {
      const azExample = help.examples[index];
      // The help wraps long lines, at spaces or inside words: the characters other than
      // white space match exactly, and every printed piece is a piece of our command text.
      expect(example.command.replace(/\s+/g, "")).toBe(
        azExample.commandLines.join("").replace(/\s+/g, ""),
      );
      for (const piece of azExample.commandLines) {
        expect(example.command).toContain(piece);
      }
      expect(example.title).toMatch(/\S/);
      expect(example.title.replace(/\s+/g, " ")).not.toBe(azExample.titleLines.join(" "));
    });
  });
});

describe.each(groupPaths)("az %s (group)", (path) => {
  test("lists our commands and subgroups as az lists them", () => {
    const azChildren = parseGroupHelp(helpText(path));
    const prefix = `${path} `;
    const childOf = (candidate: string) =>
      candidate.startsWith(prefix) && !candidate.slice(prefix.length).includes(" ");

    const ours = new Map<string, { isGroup: boolean; preview: boolean }>();
    for (const command of Object.keys(acrCommands).filter(childOf)) {
      ours.set(command.slice(prefix.length), { isGroup: false, preview: false });
    }
    for (const group of Object.keys(acrGroups).filter(childOf)) {
      const preview = acrGroups[group].preview ?? false;
      ours.set(group.slice(prefix.length), { isGroup: true, preview });
    }

    expect(ours.size).toBeGreaterThan(0);
    if (path === "acr") {
      // az has many more acr commands; those are forwarded to az, only ours are listed here.
      for (const [name, child] of ours) {
        expect({ name, ...azChildren.get(name) }).toEqual({ name, ...child });
      }
    } else {
      expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(azChildren));
    }
  });

  test("the preview marker of the group itself", () => {
    const isPreview = /This command group is in preview/.test(helpText(path));
    expect(acrGroups[path].preview ?? false).toBe(isPreview);
  });
});
