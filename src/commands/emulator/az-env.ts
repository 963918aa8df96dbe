// acrtask emulator az-env: the shell lines that point a real az at the emulator, with its own
// config dir so the user's real az sign-in is never touched.

import { join, resolve } from "node:path";

import type { Context } from "../../cli/context.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import type { EmulatorConfig } from "../../emulator/emulator.js";
import {
  dataDirArgument,
  EMULATOR_CLOUD_NAME,
  emulatorCloudArguments,
  loadConfig,
} from "./common.js";

export const spec: CommandSpec = {
  summary: "Print the shell commands that point a real az at the emulator.",
  description:
    "Evaluate them in a POSIX shell. az then uses its own config folder inside the data folder, " +
    "trusts the emulator's certificate authority, reaches blob hosts through the emulator's " +
    "proxy, and signs in as the emulator's service principal.",
  arguments: [dataDirArgument],
  examples: [
    {
      title: "Point az at the emulator in this shell",
      command: 'eval "$(acrtask emulator az-env --data-dir ./emulator-data)"',
    },
  ],
};

/** Single-quoted for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

export function azEnvLines(config: EmulatorConfig, dataDir: string): string[] {
  const exports: [string, string][] = [
    ["AZURE_CONFIG_DIR", join(resolve(dataDir), "az-config")],
    ["REQUESTS_CA_BUNDLE", config.caCertPath],
    ["NODE_EXTRA_CA_CERTS", config.caCertPath],
    ["AZURE_CORE_COLLECT_TELEMETRY", "false"],
    ["AZURE_CORE_SURVEY_MESSAGE", "false"],
  ];
  // ARM and the token endpoint are on 127.0.0.1 and go direct; only the blob hosts
  // (<account>.blob.localhost, which nothing resolves) go through the proxy.
  if (config.proxyUrl !== null) {
    exports.push(["HTTPS_PROXY", config.proxyUrl], ["NO_PROXY", "127.0.0.1"]);
  }

  const cloudArguments = Object.entries(emulatorCloudArguments(config)).flatMap(([key, value]) => [
    `--${key.replace(/_/g, "-")}`,
    shellQuote(value),
  ]);
  return [
    ...exports.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    `az cloud register --name ${EMULATOR_CLOUD_NAME} ${cloudArguments.join(" ")} >/dev/null 2>&1 || ` +
      `az cloud update --name ${EMULATOR_CLOUD_NAME} ${cloudArguments.join(" ")} >/dev/null`,
    `az cloud set --name ${EMULATOR_CLOUD_NAME} >/dev/null 2>&1`,
    `az login --service-principal --username ${shellQuote(config.clientId)} ` +
      `--password ${shellQuote(config.clientSecret)} --tenant ` +
      `${shellQuote(config.tenantId)} >/dev/null`,
  ];
}

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  const dataDir = options.dataDir as string;
  const config = await loadConfig(dataDir);
  context.stdout.write(`${azEnvLines(config, dataDir).join("\n")}\n`);
  return undefined;
}
