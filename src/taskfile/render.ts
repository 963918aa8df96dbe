/**
 * Rendering a task file with Go's text/template semantics plus acb's own behaviour around the
 * engine: its b64enc, the removal of `<no value>`, a panic read as an empty result, and its
 * error wrapping.
 */
import type { RenderData } from "./values.js";

type TemplateFunction = (...args: unknown[]) => unknown;

export interface TemplateEngine {
  renderTemplate(
    name: string,
    text: string,
    data: unknown,
    options?: { functions?: Record<string, TemplateFunction> },
  ): string;
}

/** A render failure; the message is acb's (`failed to parse template: <name>. Err: …`). */
export class RenderError extends Error {}

let enginePromise: Promise<TemplateEngine> | undefined;

/** The template engine, loaded on first use so that plain task files never pay for it. */
function loadEngine(): Promise<TemplateEngine> {
  enginePromise ??= import("./template/index.js");
  return enginePromise;
}

/**
 * acb's b64enc: base64 of the value's text for strings; nothing for a missing value; for any
 * other value the text Go's reflection prints for it (`<int Value>`), as acb does.
 */
export function acbBase64Encode(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  return Buffer.from(`<${goTypeName(value)} Value>`, "utf8").toString("base64");
}

function goTypeName(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (typeof value === "bigint") return "int64";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  if (typeof value === "object" && value !== null) {
    // The engine's typed values: numbers of a given Go type, and Go objects naming their type.
    const typed = value as { type?: unknown; value?: unknown; goType?: unknown };
    if (typeof typed.goType === "string") return typed.goType;
    if (typeof typed.type === "string" && typeof typed.value === "number") return typed.type;
    return "map[string]interface {}";
  }
  return "string";
}

/**
 * Renders `text` as template `name`. Text without `{{` has no actions, so it renders to itself
 * (less any literal `<no value>`) without loading the engine.
 */
export interface RenderOptions {
  /** Receives the lines acb would log (a recovered panic). */
  log?: (line: string) => void;
  /** The engine to use instead of the project's own (tests use a stand-in). */
  engine?: TemplateEngine;
}

export async function renderText(
  name: string,
  text: string,
  data: RenderData,
  options: RenderOptions = {},
): Promise<string> {
  if (!text.includes("{{")) {
    return text.split("<no value>").join("");
  }

  const engine = options.engine ?? (await loadEngine());
  let rendered: string;
  try {
    rendered = engine.renderTemplate(name, text, data, {
      functions: { b64enc: acbBase64Encode },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind = errorKind(error);
    if (kind === "TemplateParseError") {
      throw new RenderError(`failed to parse template: ${name}. Err: ${message}`);
    }
    if (kind === "TemplateExecError") {
      throw new RenderError(`failed to execute template: ${name}. Err: ${message}`);
    }
    // Anything else is a panic inside the engine: acb recovers from it, logs it and continues
    // with an empty result.
    options.log?.(`Template rendering recovered. Value: ${message}`);
    return "";
  }
  return rendered.split("<no value>").join("");
}

function errorKind(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const named = (error as { name?: unknown }).name;
  if (named === "TemplateParseError" || named === "TemplateExecError") return named;
  return (error as { constructor?: { name?: string } }).constructor?.name ?? "";
}
