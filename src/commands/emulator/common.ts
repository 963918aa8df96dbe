// What the emulator commands share: the --data-dir argument, reading emulator.json with a clear
// error, and the cloud definition that points a client at the emulator.

import { resolve } from "node:path";

import { CliError } from "../../cli/errors.js";
import type { ArgumentSpec } from "../../cli/spec.js";
import type { EmulatorConfig } from "../../emulator/emulator.js";

export const dataDirArgument: ArgumentSpec = {
  name: "dataDir",
  options: ["--data-dir"],
  kind: "value",
  required: true,
  help: "The folder the emulator keeps its state, certificates and emulator.json in.",
};

/** The name the emulator is registered under as a cloud, in acrtask's config and az's. */
export const EMULATOR_CLOUD_NAME = "AcrtaskEmulator";

/** The graph resource id is required by cloud registration though nothing here uses it. */
export const GRAPH_RESOURCE_ID = "https://graph.acrtask.local/";

export async function loadConfig(dataDir: string): Promise<EmulatorConfig> {
  const { readEmulatorConfig } = await import("../../emulator/emulator.js");
  try {
    return readEmulatorConfig(resolve(dataDir));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** The cloud's endpoints and suffixes, as `cloud register` arguments name them. */
export function emulatorCloudArguments(config: EmulatorConfig): Record<string, string> {
  return {
    endpoint_resource_manager: `${config.armEndpoint}/`,
    endpoint_active_directory: config.activeDirectoryEndpoint,
    endpoint_active_directory_resource_id: config.audience,
    endpoint_active_directory_graph_resource_id: GRAPH_RESOURCE_ID,
    suffix_acr_login_server_endpoint: config.acrSuffix,
    // az 2.45's `task credential add` reads this suffix (it marks Key Vault secret URIs) even
    // for a plain password, and fails on a cloud that lacks it.
    suffix_keyvault_dns: ".vault.azure.net",
  };
}
