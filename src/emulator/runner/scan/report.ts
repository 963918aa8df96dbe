// The dependency report (spec: runner §4.14, §5.3, §5.4). acb prints it as one line of compact
// JSON; the ACR service shows that line as YAML in go-yaml v2's block style, then an empty line
// and its `Run ID: …` verdict. Both forms are rendered here.

import type { ImageDependencies } from "./dependencies.js";
import type { ImageReference } from "./reference.js";

const BOOL_OR_NULL_WORDS = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
  "~",
  "null",
  "Null",
  "NULL",
  ".inf",
  ".Inf",
  ".INF",
  "+.inf",
  "+.Inf",
  "+.INF",
  "-.inf",
  "-.Inf",
  "-.INF",
  ".nan",
  ".NaN",
  ".NAN",
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE_60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go's strconv.ParseInt/ParseUint with base 0 (prefixes 0x, 0o, 0b and a leading-0 octal). */
function isGoInteger(text: string): boolean {
  const unsigned = text.replace(/^[-+]/, "");
  return /^(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(unsigned);
}

/** Go's strconv.ParseFloat on text the YAML float pattern already accepted. */
function isGoFloat(text: string): boolean {
  return YAML_STYLE_FLOAT.test(text);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** go-yaml's timestamp check, for the only layout a value without `:` or space can take. */
function isTimestamp(text: string): boolean {
  const match = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether go-yaml v2 would read the plain form of a string as something other than a string. */
function resolvesToNonString(text: string): boolean {
  if (text === "" || BOOL_OR_NULL_WORDS.has(text)) {
    return true;
  }

  const first = text[0];
  if (first === ".") {
    return YAML_STYLE_FLOAT.test(text);
  }
  if (!/[-+0-9]/.test(first)) {
    return false;
  }

  if (isTimestamp(text)) {
    return true;
  }
  const plain = text.replace(/_/g, "");
  if (isGoInteger(plain) || isGoFloat(plain)) {
    return true;
  }
  return /^-?0b[01]+$/.test(plain);
}

/** Whether libyaml allows a string in plain style in block context. */
function plainAllowed(text: string): boolean {
  if (text.startsWith(" ") || text.endsWith(" ") || /[\n\r\t]/.test(text)) {
    return false;
  }
  if (/^[#,[\]{}&*!|>'"%@`]/.test(text)) {
    return false;
  }
  if (/^[-?:](?: |$)/.test(text)) {
    return false;
  }
  return !text.includes(": ") && !text.includes(" #") && !text.endsWith(":");
}

/** A scalar as go-yaml v2 writes it: plain, double-quoted if it would read as another type. */
export function yamlScalar(text: string): string {
  if (resolvesToNonString(text) || BASE_60_FLOAT.test(text)) {
    return JSON.stringify(text);
  }
  if (!plainAllowed(text)) {
    return `'${text.replace(/'/g, "''")}'`;
  }
  return text;
}

/** The non-empty fields of an image reference, `reference` never shown. */
function referenceLines(reference: ImageReference): string[] {
  const fields: [string, string][] = [
    ["registry", reference.registry],
    ["repository", reference.repository],
    ["tag", reference.tag],
    ["digest", reference.digest],
  ];
  return fields
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `${name}: ${yamlScalar(value)}`);
}

function indentLines(lines: string[], indent: string): string {
  return lines.map((line) => `${indent}${line}\n`).join("");
}

/** The lines of one entry, the first without the list item's `- `. */
function entryLines(entry: ImageDependencies): string[] {
  const lines: string[] = [];

  if (entry.image) {
    lines.push("image:", ...referenceLines(entry.image).map((line) => `  ${line}`));
  }

  lines.push("runtime-dependency:", ...referenceLines(entry.runtime).map((line) => `  ${line}`));

  if (entry.buildtime.length > 0) {
    lines.push("buildtime-dependency:");
    for (const dependency of entry.buildtime) {
      const [first, ...rest] = referenceLines(dependency);
      lines.push(`- ${first}`, ...rest.map((line) => `  ${line}`));
    }
  }

  if (entry.gitHeadRevision === "") {
    lines.push("git: {}");
  } else {
    lines.push("git:", `  git-head-revision: ${yamlScalar(entry.gitHeadRevision)}`);
  }

  return lines;
}

/** The report as the ACR service shows it: go-yaml v2 block style, each line ending "\n". */
export function renderDependencyYaml(entries: ImageDependencies[]): string {
  return entries
    .map((entry) => {
      const [first, ...rest] = entryLines(entry);
      return `- ${first}\n${indentLines(rest, "  ")}`;
    })
    .join("");
}

function referenceJson(reference: ImageReference | null): Record<string, string> | null {
  if (!reference) {
    return null;
  }
  const json: Record<string, string> = {
    registry: reference.registry,
    repository: reference.repository,
  };
  if (reference.tag !== "") {
    json.tag = reference.tag;
  }
  json.digest = reference.digest;
  json.reference = reference.reference;
  return json;
}

/** Go's encoding/json escapes these for safe embedding in HTML; JSON.stringify does not. */
const GO_JSON_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** The report as acb itself prints it: one line of compact JSON, keys in acb's order. */
export function renderDependencyJson(entries: ImageDependencies[]): string {
  const json = JSON.stringify(
    entries.map((entry) => ({
      image: referenceJson(entry.image),
      "runtime-dependency": referenceJson(entry.runtime),
      "buildtime-dependency":
        entry.buildtime.length === 0 ? null : entry.buildtime.map(referenceJson),
      git: { "git-head-revision": entry.gitHeadRevision },
    })),
  );
  return json.replace(/[<>&\u2028\u2029]/g, (character) => GO_JSON_ESCAPES[character]);
}

/**
 * The log text of a run's dependency report as the ACR service stores it: acb's announcement
 * line, then acb's report line whose JSON the service replaced by a line break and the YAML.
 * `timestamp` is acb's log prefix (`YYYY/MM/DD HH:MM:SS `). Nothing when there are no entries.
 */
export function renderDependencyReport(entries: ImageDependencies[], timestamp: string): string {
  if (entries.length === 0) {
    return "";
  }
  return [
    `${timestamp}The following dependencies were found:\n`,
    `${timestamp}\n`,
    renderDependencyYaml(entries),
  ].join("");
}

/** How a run ended, for the service's closing line. */
export interface RunConclusion {
  /** A Go duration of whole seconds (`18s`, `1m12s`). */
  duration: string;
  /** Set when the run failed: the error the service names (acb's process exit). */
  error?: string;
}

/** The service's closing lines: an empty line, then `Run ID: <id> was successful after …`. */
export function renderRunConclusion(runId: string, conclusion: RunConclusion): string {
  if (conclusion.error !== undefined) {
    return `\nRun ID: ${runId} failed after ${conclusion.duration}. Error: ${conclusion.error}\n`;
  }
  return `\nRun ID: ${runId} was successful after ${conclusion.duration}\n`;
}
