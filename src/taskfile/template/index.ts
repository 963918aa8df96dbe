/**
 * The template engine of task files: Go's text/template (missingkey=zero, delimiters {{ }})
 * with Go's builtins and the Sprig v2.22 function map, as acb renders task files.
 */
import { ExecState, type FunctionDef, TemplateExecError } from "./exec.js";
import { defaultFunctions } from "./functions.js";
import { type ParsedTemplates, TemplateParseError, parseTemplate } from "./parse.js";
import { GoNumber, formatValue, goTypeName, isNumber } from "./values.js";

export { TemplateExecError, TemplateParseError };
export { GoNumber, formatValue, goTypeName };

export type TemplateFunction = (...args: unknown[]) => unknown;

export interface TemplateOptions {
  /** Extra or replacing functions (acb overrides b64enc), by name. */
  functions?: Record<string, TemplateFunction>;
}

function functionMap(options: TemplateOptions | undefined): ReadonlyMap<string, FunctionDef> {
  if (!options?.functions || Object.keys(options.functions).length === 0) return defaultFunctions;
  const map = new Map(defaultFunctions);
  for (const [name, call] of Object.entries(options.functions)) {
    map.set(name, { params: [], variadic: "any", call });
  }
  return map;
}

/** Parses a template (with its {{define}}s) against a function map. */
export function parse(name: string, text: string, options?: TemplateOptions): ParsedTemplates {
  const functions = functionMap(options);
  return parseTemplate(name, text, (fn) => functions.has(fn));
}

/**
 * Parsed trees of recent templates: acb renders the same text twice (the secrets pre-render
 * and the final render), and trees are never changed by execution.
 */
const parseCache = new Map<string, ParsedTemplates>();
const parseCacheSize = 32;

function parseCached(
  name: string,
  text: string,
  functions: ReadonlyMap<string, FunctionDef>,
  options: TemplateOptions | undefined,
): ParsedTemplates {
  const extra = options?.functions ? Object.keys(options.functions).sort().join(",") : "";
  const key = `${name}\u0000${extra}\u0000${text}`;
  const cached = parseCache.get(key);
  if (cached) return cached;
  const parsed = parseTemplate(name, text, (fn) => functions.has(fn));
  if (parseCache.size >= parseCacheSize) parseCache.delete(parseCache.keys().next().value!);
  parseCache.set(key, parsed);
  return parsed;
}

/**
 * Parses and executes `text` against `data` (plain JS objects, arrays, strings, numbers,
 * booleans, null). Missing map keys print Go's "<no value>" (the caller deletes those).
 * Throws TemplateParseError or TemplateExecError whose .message is Go's error text.
 */
export function renderTemplate(
  name: string,
  text: string,
  data: unknown,
  options?: TemplateOptions,
): string {
  const functions = functionMap(options);
  const { trees } = parseCached(name, text, functions, options);
  const root = trees.get(name)!;
  const state = new ExecState(
    trees,
    functions as Map<string, FunctionDef>,
    name,
    data ?? undefined,
  );
  return state.execute(root, data ?? undefined);
}

/**
 * acb's b64enc: nil gives "", a string is encoded, any other value encodes Go's reflective
 * string form of it (`<int Value>`), as reflect.Value.String prints a non-string.
 */
export function acbBase64Encode(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : `<${goTypeName(value)} Value>`;
  return Buffer.from(text, "utf8").toString("base64");
}

export { isNumber };
