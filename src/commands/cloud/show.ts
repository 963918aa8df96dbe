// az cloud show: one registered cloud, the active one by default.

import type { Context } from "../../cli/context.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { activeCloudName, cloudToJson, getCloud } from "../../azure/clouds.js";

export const spec: CommandSpec = {
  summary: "Show the details of a registered cloud.",
  arguments: [
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      // az's default is the active cloud, computed when the command loads; run() does the same.
      help: "The name of a registered cloud. Default: the active cloud.",
    },
  ],
  examples: [],
};

export async function run(options: ParsedOptions, context: Context): Promise<unknown> {
  const name = (options.name as string | undefined) || activeCloudName(context.configDir);
  return cloudToJson(getCloud(context.configDir, name));
}
