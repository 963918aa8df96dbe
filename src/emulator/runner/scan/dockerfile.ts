// acb's reading of a Dockerfile for its base images (spec: runner §6.2). It is deliberately not a
// Dockerfile parser: one line at a time, split on whitespace, no line continuations, no parser
// directives, no heredocs and no FROM flags, so that the same files fail here as in ACR.

import { goFields, goTrimSpace, trimCharacter } from "./build-string.js";

export interface DockerfileDependencies {
  /** The image the last stage scanned ultimately comes from. */
  runtime: string;
  /** Every other distinct origin, in the order first seen (acb's order is Go map order). */
  buildtime: string[];
}

/** acb's value unquoting: double quotes trimmed, then single quotes. */
function removeSurroundingQuotes(value: string): string {
  return trimCharacter(trimCharacter(value, '"'), "'");
}

/** `NAME=VALUE` split at the first `=`, the value unquoted. */
export function parseAssignment(assignment: string): [string, string] {
  const separator = assignment.indexOf("=");
  if (separator < 0) {
    throw new Error(`${assignment} cannot be split into 2 tokens with '='`);
  }
  return [assignment.slice(0, separator), removeSurroundingQuotes(assignment.slice(separator + 1))];
}

/** The build string's `--build-arg` values as a map; each must be `NAME=VALUE`. */
export function parseBuildArgs(buildArgs: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const assignment of buildArgs) {
    const [name, value] = parseAssignment(assignment);
    values.set(name, value);
  }
  return values;
}

function isShellSpecialCharacter(character: string): boolean {
  return "*#$@!?-0123456789".includes(character);
}

function isNameCharacter(character: string): boolean {
  return /^[A-Za-z0-9_]$/.test(character);
}

/** The variable name after a `$` and how many characters it takes (Go's os getShellName). */
function shellName(text: string): [string, number] {
  if (text[0] === "{") {
    if (text.length > 2 && isShellSpecialCharacter(text[1]) && text[2] === "}") {
      return [text.slice(1, 2), 3];
    }
    const close = text.indexOf("}", 1);
    if (close === 1) {
      return ["", 2];
    }
    if (close < 0) {
      return ["", 1];
    }
    return [text.slice(1, close), close + 1];
  }

  if (isShellSpecialCharacter(text[0])) {
    return [text.slice(0, 1), 1];
  }

  let length = 0;
  while (length < text.length && isNameCharacter(text[length])) {
    length++;
  }
  return [text.slice(0, length), length];
}

/**
 * Go's os.Expand: `$NAME` and `${NAME}` replaced by the lookup (unknown names give ""); there is
 * no `${NAME:-default}`, the whole `NAME:-default` is looked up as a name.
 */
export function expandVariables(text: string, lookup: (name: string) => string): string {
  let expanded = "";
  let copiedUpTo = 0;

  for (let index = 0; index < text.length; index++) {
    if (text[index] !== "$" || index + 1 >= text.length) {
      continue;
    }

    expanded += text.slice(copiedUpTo, index);
    const [name, width] = shellName(text.slice(index + 1));
    if (name === "" && width === 0) {
      expanded += "$";
    } else if (name !== "") {
      expanded += lookup(name);
    }
    index += width;
    copiedUpTo = index + 1;
  }

  return expanded + text.slice(copiedUpTo);
}

/** The lines as Go's bufio.Scanner yields them: split on "\n", a trailing "\r" dropped. */
function scannerLines(text: string): string[] {
  if (text === "") {
    return [];
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") {
    lines.pop();
  }
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

export interface ResolveOptions {
  /** The build string's `--build-arg` values; they win over the Dockerfile's ARG defaults. */
  buildArgs?: string[];
  /** `--target`: scanning stops after the FROM that names this stage. */
  target?: string;
  /** Receives acb's informational lines (extra tokens after a stage alias). */
  log?: (message: string) => void;
}

/** The runtime and build-time base images of a Dockerfile's text; throws with acb's messages. */
export function resolveDockerfileDependencies(
  text: string,
  options: ResolveOptions = {},
): DockerfileDependencies {
  const args = parseBuildArgs(options.buildArgs ?? []);
  const originOfAlias = new Map<string, string>();
  const origins = new Set<string>();
  let origin = "";

  for (const [index, rawLine] of scannerLines(text).entries()) {
    const withoutMark = index === 0 && rawLine.startsWith("\uFEFF") ? rawLine.slice(1) : rawLine;
    const line = goTrimSpace(withoutMark);
    if (line === "" || line.startsWith("#")) {
      continue;
    }

    const tokens = goFields(line);
    const keyword = tokens[0].toUpperCase();

    if (keyword === "FROM") {
      if (tokens.length < 2) {
        throw new Error(`unable to understand line ${line}`);
      }

      const image = expandVariables(
        removeSurroundingQuotes(tokens[1]),
        (name) => args.get(name) ?? "",
      );
      const aliasOrigin = originOfAlias.get(image);
      if (aliasOrigin === undefined) {
        origins.add(image);
        origin = image;
      } else {
        origin = aliasOrigin;
      }

      if (tokens.length > 2) {
        if (tokens.length < 4 || tokens[2].toLowerCase() !== "as") {
          throw new Error(`unable to understand line ${line}`);
        }
        const alias = tokens[3];
        originOfAlias.set(alias, origin);
        if (tokens.length > 4) {
          options.log?.(`Ignoring chunks from FROM clause: [${tokens.slice(4).join(" ")}]`);
        }
        if (options.target !== undefined && options.target !== "" && alias === options.target) {
          break;
        }
      }
    } else if (keyword === "ARG") {
      if (tokens.length < 2) {
        throw new Error(
          `dockerfile syntax requires ARG directive to have exactly 1 argument. LINE: ${line}`,
        );
      }
      if (tokens[1].includes("=")) {
        const [name, value] = parseAssignment(tokens[1]);
        if (!args.has(name)) {
          args.set(name, value);
        }
      }
    }
  }

  if (origins.size === 0) {
    throw new Error("unexpected dockerfile format");
  }

  return { runtime: origin, buildtime: [...origins].filter((candidate) => candidate !== origin) };
}
