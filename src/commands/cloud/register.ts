// az cloud register: add a custom cloud. Given only the Resource Manager endpoint, the other
// endpoints are read from the cloud's metadata document.

import type { Context } from "../../cli/context.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { addCloud, buildCloud, isCloudRegistered } from "../../azure/clouds.js";
import {
  cloudArguments,
  cloudConfigArgument,
  endpointArguments,
  metadataFetcher,
  parseCloudConfig,
  profileArgument,
} from "./common.js";

export const spec: CommandSpec = {
  summary: "Register a cloud.",
  description:
    "Giving only --endpoint-resource-manager is enough when the cloud publishes its other " +
    "endpoints in a metadata document; they are then detected.",
  arguments: [
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      required: true,
      help: "The name of the cloud.",
    },
    profileArgument,
    cloudConfigArgument,
    ...endpointArguments,
  ],
  examples: [
    {
      title: "Register a cloud with a config file",
      command: 'az cloud register -n MyCloud --cloud-config @"cloud.json"',
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  const name = options.name as string;
  const cloudConfig = parseCloudConfig(options.cloudConfig);
  const cloud = await buildCloud(
    name,
    cloudArguments(options),
    cloudConfig,
    isCloudRegistered(context.configDir, name),
    metadataFetcher(context),
  );
  addCloud(context.configDir, cloud);
  return undefined;
}
