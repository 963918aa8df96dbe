// The output layer is loaded only when a command has a result to print or --query is given;
// help and parse errors never load it.

import type { OutputRenderer } from "./run-command.js";

const OUTPUT_MODULE = "index";

async function loadOutputModule(): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(`../output/${OUTPUT_MODULE}.js`)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The output layer's JMESPath compiler; the jmespath package's if that layer is missing. */
export async function loadQueryCompiler(): Promise<(text: string) => unknown> {
  const output = await loadOutputModule();
  if (typeof output?.compileQuery === "function") {
    return output.compileQuery as (text: string) => unknown;
  }
  // The package compiles without evaluating, but its type declarations omit that function.
  type Compiler = { compile(text: string): unknown };
  const module = (await import("jmespath")) as unknown as Compiler & { default?: Compiler };
  const jmespath = module.default ?? module;
  return (text) => jmespath.compile(text);
}

/** The output layer's renderer; indented JSON if that layer is missing. */
export async function loadRenderer(): Promise<OutputRenderer> {
  const output = await loadOutputModule();
  if (typeof output?.renderOutput === "function") {
    return output.renderOutput as OutputRenderer;
  }
  return (value) => `${JSON.stringify(value, null, 2)}\n`;
}
