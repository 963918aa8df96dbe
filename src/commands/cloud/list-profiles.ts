// az cloud list-profiles: the API profiles acrtask accepts for a cloud.

import type { CommandSpec } from "../../cli/spec.js";
import { API_PROFILES } from "../../azure/clouds.js";

export const spec: CommandSpec = {
  summary: "List the API profiles a cloud supports.",
  arguments: [
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      help: "The name of a registered cloud. Default: the active cloud.",
    },
    {
      name: "showAll",
      options: ["--show-all"],
      kind: "flag",
      help: "Show every profile acrtask knows of.",
    },
  ],
  examples: [],
};

export async function run(): Promise<string[]> {
  return [...API_PROFILES];
}
