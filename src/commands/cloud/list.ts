// az cloud list: every registered cloud, built-in and custom.

import type { Context } from "../../cli/context.js";
import type { CommandSpec } from "../../cli/spec.js";
import { cloudToJson, getClouds } from "../../azure/clouds.js";

export const spec: CommandSpec = {
  summary: "List the registered clouds.",
  arguments: [],
  examples: [],
};

export async function run(_options: unknown, context: Context): Promise<unknown> {
  return getClouds(context.configDir).map(cloudToJson);
}
