// The output layer is loaded only when a command has a result to print or --query is given;
// help and parse errors never load it.

import type { OutputRenderer } from "./run-command.js";

/** The output layer's JMESPath compiler; it throws on a syntax error. */
export async function loadQueryCompiler(): Promise<(text: string) => unknown> {
  const { compileQuery } = await import("../output/index.js");
  return compileQuery;
}

/** The output layer's renderer: the exact stdout text az prints for a result. */
export async function loadRenderer(): Promise<OutputRenderer> {
  const { renderOutput } = await import("../output/index.js");
  return renderOutput;
}
