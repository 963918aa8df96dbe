// az version, answered honestly: acrtask names itself, and "azure-cli" gives the az release
// whose behaviour it reproduces, which is what scripts reading that key want to know.

import type { CommandSpec } from "../cli/spec.js";

/** acrtask's own version; a test keeps it equal to package.json's. */
export const ACRTASK_VERSION = "0.1.0";

/** The az release acrtask is a drop-in for. */
export const AZURE_CLI_COMPATIBLE_VERSION = "2.45.0";

export const spec: CommandSpec = {
  summary:
    "Show the versions of acrtask and of the Azure CLI it is compatible with, as JSON by " +
    "default or in the format --output asks for.",
  arguments: [],
  examples: [],
};

export async function run(): Promise<Record<string, unknown>> {
  return {
    acrtask: ACRTASK_VERSION,
    "azure-cli": AZURE_CLI_COMPATIBLE_VERSION,
    extensions: {},
  };
}
