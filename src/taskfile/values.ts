/**
 * The data a task file is rendered with: `.Run`, `.Build`, `.Values` (values file merged with
 * `--set`), `.ValuesJSON`, `.RunJSON` and `.Secrets`.
 */
import { GoDecoder, GoYamlError, parseGoYaml, toPlainValue } from "./go-yaml.js";
import type { RunValues } from "./model.js";

/** A failure while building the render data; the message is acb's (without the outer wrapping). */
export class ValuesError extends Error {}

/**
 * Parses `--set key=value` entries: split at the first `=`, values always strings, later entries
 * win, no comma splitting and no dotted paths.
 */
export function parseSetValues(entries: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf("=");
    if (separator < 0) {
      throw new ValuesError("failed to parse --set data; invalid format, no = assignment found");
    }
    const key = entry.slice(0, separator);
    if (key === "") {
      throw new ValuesError("failed to parse --set data; expected a key=val format");
    }
    values[key] = entry.slice(separator + 1);
  }
  return values;
}

/** Decodes a values file (a YAML mapping) the way acb does, into plain values. */
export function parseValuesFile(text: string): Record<string, unknown> {
  let root;
  try {
    root = parseGoYaml(text);
  } catch (error) {
    throw valuesFileError(error);
  }
  if (root === null) return {};

  if (root.kind !== "mapping") {
    const decoder = new GoDecoder();
    decoder.struct(root, "templating.Values", () => undefined);
    try {
      decoder.finish();
    } catch (error) {
      throw valuesFileError(error);
    }
    return {};
  }

  const values: Record<string, unknown> = {};
  for (const [key, value] of root.pairs) {
    values[key.kind === "scalar" ? key.value : String(toPlainValue(key))] = toPlainValue(value);
  }
  return values;
}

function valuesFileError(error: unknown): ValuesError {
  const message = error instanceof GoYamlError ? error.message : String(error);
  return new ValuesError(
    "error while loading exec steps: failed to deserialize values. Try rendering your template " +
      "locally using the instructions found at https://github.com/Azure/acr-builder. Err: " +
      message,
  );
}

/**
 * `--set` overrides the values file key by key at the top level (a `--set` value is a string,
 * so it never merges into a nested map).
 */
export function mergeValues(
  fileValues: Record<string, unknown>,
  setValues: Record<string, string>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...setValues };
  for (const [key, value] of Object.entries(fileValues)) {
    if (!Object.hasOwn(merged, key)) merged[key] = value;
  }
  return merged;
}

/** `yyyyMMdd-HHmmss` in UTC followed by a literal `z`. */
export function formatRunDate(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    "-" +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    "z"
  );
}

/** `.Run.RegistryName`: the login server up to its first dot. */
export function registryNameOf(registry: string): string {
  const dot = registry.indexOf(".");
  return dot < 0 ? registry : registry.slice(0, dot);
}

/** The `.Run` map, keyed as in task files. */
export function runObject(run: RunValues): Record<string, string> {
  return {
    ID: run.id,
    Commit: run.commit,
    Repository: run.repository,
    Branch: run.branch,
    GitTag: run.gitTag,
    TriggeredBy: run.triggeredBy,
    Registry: run.registry,
    RegistryName: registryNameOf(run.registry),
    Date: formatRunDate(run.date),
    SharedVolume: run.sharedVolume,
    OS: run.os,
    OSVersion: run.osVersion,
    Architecture: run.architecture,
    TaskName: run.taskName,
  };
}

const NEEDS_QUOTING = /[^\w^@=+%,:./-]/;

/**
 * Quotes a string for a POSIX shell the way acb quotes `.ValuesJSON`/`.RunJSON`: empty → `''`;
 * anything outside `[A-Za-z0-9_^@=+%,:./-]` → single-quoted with each `'` written `'"'"'`.
 */
export function shellQuote(text: string): string {
  if (text === "") return "''";
  if (!NEEDS_QUOTING.test(text)) return text;
  return "'" + text.replace(/'/g, `'"'"'`) + "'";
}

/**
 * JSON as Go's encoding/json writes a map decoded by yaml.v2: keys sorted, `<`, `>`, `&`,
 * U+2028 and U+2029 escaped. A nested mapping decodes to a map with interface keys, which
 * encoding/json refuses.
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ValuesError(`json: unsupported value: ${goFloatName(value)}`);
    }
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return "[" + value.map(goJson).join(",") + "]";
  throw new ValuesError("json: unsupported type: map[interface {}]interface {}");
}

/** JSON of a top-level map (string keys), keys sorted by bytes as Go does. */
export function goJsonObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort((left, right) =>
    Buffer.compare(Buffer.from(left), Buffer.from(right)),
  );
  return "{" + keys.map((key) => goJsonString(key) + ":" + goJson(object[key])).join(",") + "}";
}

function goFloatName(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}

function goJsonString(text: string): string {
  let result = '"';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '"') result += '\\"';
    else if (character === "\\") result += "\\\\";
    else if (character === "\n") result += "\\n";
    else if (character === "\r") result += "\\r";
    else if (character === "\t") result += "\\t";
    else if (code < 0x20 || character === "<" || character === ">" || character === "&") {
      result += "\\u" + code.toString(16).padStart(4, "0");
    } else if (code === 0x2028 || code === 0x2029) {
      result += "\\u" + code.toString(16);
    } else result += character;
  }
  return result + '"';
}

export interface RenderData {
  Build: { ID: string };
  Run: Record<string, string>;
  Values: Record<string, unknown>;
  ValuesJSON: string;
  RunJSON: string;
  Secrets: Record<string, string>;
}

/** The data object templates see, with `.Secrets` empty until secrets are resolved. */
export function buildRenderData(
  run: RunValues,
  valuesText: string | undefined,
  set: string[] | undefined,
): RenderData {
  const fileValues = valuesText === undefined ? {} : parseValuesFile(valuesText);
  const setValues = parseSetValues(set ?? []);
  const values = mergeValues(fileValues, setValues);
  const runMap = runObject(run);

  let valuesJson: string;
  try {
    valuesJson = goJsonObject(values);
  } catch (error) {
    throw new ValuesError(
      `failed to override values: failed to serialize Values: ${(error as Error).message}`,
    );
  }

  return {
    Build: { ID: run.id },
    Run: runMap,
    Values: values,
    ValuesJSON: shellQuote(valuesJson),
    RunJSON: shellQuote(goJsonObject(runMap)),
    Secrets: {},
  };
}
