/**
 * Task aliases (version v1.1.0 and later): the version gate, the `alias:` block, `$name`
 * replacement over the task text and the expansion of image aliases in `cmd`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { GoDecoder, GoYamlError, parseGoYaml } from "./go-yaml.js";
import type { GoNode } from "./go-yaml.js";

/** The banner acb logs when the alias gate is on. */
export const ALIAS_BANNER =
  "Alias support enabled for version >= 1.1.0, please see " +
  "https://aka.ms/acr/tasks/task-aliases for more information.";

/** Aliases every Linux task gets unless it defines the same names. */
export const DEFAULT_LINUX_ALIASES: Readonly<Record<string, string>> = {
  ID: "{{.Run.ID}}",
  SharedVolume: "{{.Run.SharedVolume}}",
  Registry: "{{.Run.Registry}}",
  RegistryName: "{{.Run.RegistryName}}",
  Date: "{{.Run.Date}}",
  OS: "{{.Run.OS}}",
  Architecture: "{{.Run.Architecture}}",
  Commit: "{{.Run.Commit}}",
  Branch: "{{.Run.Branch}}",
  acr: "mcr.microsoft.com/acr/acr-cli:0.19",
  az: "mcr.microsoft.com/acr/azure-cli:2ff604c",
  bash: "mcr.microsoft.com/acr/bash:2ff604c",
  curl: "mcr.microsoft.com/acr/curl:2ff604c",
  cssc: "mcr.microsoft.com/acr/cssc:2ff604c",
};

/** An alias problem; the message is acb's, without the `unable to search/replace …` prefix. */
export class AliasError extends Error {}

/**
 * The version a task declares, found by a line scan of the raw text: the first column-0 line
 * (after leading quotes) whose key before the first `:` is `version`. Empty when there is none.
 */
export function findVersion(text: string): string {
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;

    const unquoted = line.replace(/^['"]+/, "");
    if (!unquoted.startsWith("version")) continue;

    const colon = unquoted.indexOf(":");
    if (colon < 0) continue;
    const key = trimQuotesAndSpaces(unquoted.slice(0, colon));
    if (key !== "version") continue;
    return trimQuotesAndSpaces(unquoted.slice(colon + 1));
  }
  return "";
}

function trimQuotesAndSpaces(text: string): string {
  return text.replace(/^[\s'"]+|[\s'"]+$/g, "");
}

/** Aliases are on when the declared version is at least `v1.1.0` by plain string comparison. */
export function aliasesEnabled(version: string): boolean {
  return version >= "v1.1.0";
}

/**
 * Splits the `alias:` block (from a column-0 `alias:` line to the next line that starts a new
 * top-level key) from the rest of the text. Column-0 comment lines are dropped from both.
 */
export function separateAliasBlock(text: string): { aliasText: string; rest: string } {
  const aliasLines: string[] = [];
  const restLines: string[] = [];
  let inside = false;

  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  for (const line of lines) {
    if (line.startsWith("#")) continue;
    if (!inside && /^alias\s*:/.test(line)) {
      inside = true;
    } else if (inside && /^[^\s:][^:]*:/.test(line)) {
      inside = false;
    }
    (inside ? aliasLines : restLines).push(line);
  }

  const join = (block: string[]) => block.map((line) => line + "\n").join("");
  return { aliasText: join(aliasLines), rest: join(restLines) };
}

export interface AliasDefinition {
  /** Alias name → replacement text. */
  values: Map<string, string>;
  /** The directive character (one code point). */
  directive: string;
}

export interface AliasSourceOptions {
  /** Directory that relative `src` paths are read from. */
  baseDirectory: string;
  /** Fetches a remote `src` (http/https); resolves the body or rejects with acb's error text. */
  fetchText?: (url: string) => Promise<string>;
  /** Built-in aliases; defaults to DEFAULT_LINUX_ALIASES. */
  defaults?: Readonly<Record<string, string>>;
}

/**
 * Builds the alias map from the rendered `alias:` block: inline values, then `src` files from
 * last to first, then built-ins, each adding only names not yet defined; then validates.
 */
export async function resolveAliases(
  renderedAliasText: string,
  options: AliasSourceOptions,
): Promise<AliasDefinition> {
  const block = decodeAliasBlock(renderedAliasText);
  const values = new Map<string, string>(block.values);

  for (let index = block.src.length - 1; index >= 0; index--) {
    const source = block.src[index];
    const text = await readAliasSource(source, options);
    for (const [name, value] of decodeAliasSource(text)) {
      if (!values.has(name)) values.set(name, value);
    }
  }

  for (const [name, value] of Object.entries(options.defaults ?? DEFAULT_LINUX_ALIASES)) {
    if (!values.has(name)) values.set(name, value);
  }

  let directive = "$";
  if (block.directive !== "") {
    const codePoints = [...block.directive];
    if (codePoints.length !== 1) {
      throw new AliasError("$ directive can only be overwritten by a single character");
    }
    if (/^[a-zA-Z0-9]$/.test(block.directive)) {
      throw new AliasError("overwritten directives may not be alphanumeric characters");
    }
    directive = block.directive;
  }

  for (const name of values.keys()) {
    if (!/^[a-zA-Z0-9]+$/.test(name)) {
      throw new AliasError("alias key names only support alphanumeric characters");
    }
  }

  return { values, directive };
}

interface AliasBlock {
  src: string[];
  values: Array<[string, string]>;
  directive: string;
}

function decodeAliasBlock(text: string): AliasBlock {
  const block: AliasBlock = { src: [], values: [], directive: "" };
  try {
    const root = parseGoYaml(text);
    if (root === null) return block;

    const decoder = new GoDecoder();
    decoder.struct(root, "graph.Wrapper", (name, value) => {
      if (name !== "alias") return;
      decoder.struct(value, "graph.Alias", (field, fieldValue) => {
        if (field === "src") block.src = decoder.stringList(fieldValue);
        else if (field === "values") block.values = decoder.stringMap(fieldValue);
        else if (field === "directive") block.directive = decoder.string(fieldValue);
      });
    });
    decoder.finish();
  } catch (error) {
    throw new AliasError(`error during alias unmarshaling: ${messageOf(error)}`);
  }
  return block;
}

async function readAliasSource(source: string, options: AliasSourceOptions): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const fetchText = options.fetchText ?? fetchAliasSource;
    return await fetchText(source);
  }
  try {
    return await readFile(path.resolve(options.baseDirectory, source), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : messageOf(error);
    throw new AliasError(`open ${source}: ${reason}`);
  }
}

/** GET with a 2-second limit; a status above 299 fails with the response body as the message. */
async function fetchAliasSource(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  } catch (error) {
    throw new AliasError(`Get "${url}": ${messageOf(error)}`);
  }
  const body = await response.text();
  if (response.status > 299) throw new AliasError(body);
  return body;
}

/** An alias source is a YAML mapping of names to strings. */
function decodeAliasSource(text: string): Array<[string, string]> {
  try {
    const root: GoNode | null = parseGoYaml(text);
    if (root === null) return [];
    const decoder = new GoDecoder();
    let entries: Array<[string, string]> = [];
    if (root.kind === "mapping") {
      entries = decoder.stringMap(root);
    } else {
      decoder.typeError(root, root.kind === "sequence" ? "!!seq" : "!!str", "map[string]string");
    }
    decoder.finish();
    return entries;
  } catch (error) {
    if (error instanceof GoYamlError) throw new AliasError(error.message);
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Replaces every `<directive><name>` whose name is a defined alias; `<directive><directive>`
 * yields one literal directive; unknown names are left as written.
 */
export function replaceAliases(text: string, aliases: AliasDefinition): string {
  const { directive, values } = aliases;
  let output = "";
  let name = "";
  let inAlias = false;

  for (const character of text + " ") {
    if (!inAlias) {
      if (character === directive) inAlias = true;
      else output += character;
      continue;
    }

    if (character === directive && name === "") {
      output += directive;
      inAlias = false;
    } else if (/^[a-zA-Z0-9]$/.test(character)) {
      name += character;
    } else {
      const value = values.get(name);
      if (value === undefined) {
        output += directive + name + character;
        inAlias = false;
      } else {
        output += value;
        if (character !== directive) {
          output += character;
          inAlias = false;
        }
      }
      name = "";
    }
  }

  return output.endsWith(" ") ? output.slice(0, -1) : output;
}

/**
 * Replaces the first word of a `cmd` (after trimming, split on single spaces) when it is an
 * alias name.
 */
export function expandImageAlias(cmd: string, aliases: AliasDefinition): string {
  const parts = cmd.trim().split(" ");
  const value = aliases.values.get(parts[0]);
  if (value === undefined) return cmd;
  parts[0] = value;
  return parts.join(" ");
}
