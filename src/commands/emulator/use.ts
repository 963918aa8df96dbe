// acrtask emulator use: registers the emulator as a cloud in acrtask's own config, makes it the
// active cloud and signs in as its service principal (the same code path as `login
// --service-principal`), so that the next `acrtask acr task …` talks to the emulator.

import { spawn } from "node:child_process";
import { resolve } from "node:path";

import type { Context } from "../../cli/context.js";
import { CliError } from "../../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import type { EmulatorConfig } from "../../emulator/emulator.js";
import {
  dataDirArgument,
  EMULATOR_CLOUD_NAME,
  emulatorCloudArguments,
  loadConfig,
} from "./common.js";

export const spec: CommandSpec = {
  summary: "Point acrtask at a running emulator and sign in to it.",
  description:
    "Registers the emulator as a cloud, makes it the active cloud and signs in as the " +
    "emulator's service principal. Later commands need the emulator's certificate authority: " +
    "set NODE_EXTRA_CA_CERTS to the caCertPath of emulator.json.",
  arguments: [dataDirArgument],
  examples: [
    {
      title: "Use the emulator keeping its state in ./emulator-data",
      command: "acrtask emulator use --data-dir ./emulator-data",
    },
  ],
};

/** Adds the emulator's cloud, or updates it when a previous start used another port. */
export async function registerEmulatorCloud(
  configDir: string,
  config: EmulatorConfig,
): Promise<void> {
  const clouds = await import("../../azure/clouds.js");
  const registered = clouds.isCloudRegistered(configDir, EMULATOR_CLOUD_NAME);
  const cloud = await clouds.buildCloud(
    EMULATOR_CLOUD_NAME,
    emulatorCloudArguments(config),
    undefined,
    registered,
    () => Promise.reject(new Error("every endpoint is given")),
  );

  if (registered) {
    clouds.updateCloud(configDir, cloud);
  } else {
    clouds.addCloud(configDir, cloud);
  }
  clouds.setActiveCloudName(configDir, EMULATOR_CLOUD_NAME);
}

/** Node reads NODE_EXTRA_CA_CERTS once, at start-up; this process trusts the CA only then. */
function trustsEmulatorCa(config: EmulatorConfig): boolean {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  return extra !== undefined && resolve(extra) === resolve(config.caCertPath);
}

/** The same command again, in a Node that trusts the emulator's CA; no secret on its argv. */
function rerunTrusting(config: EmulatorConfig): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: config.caCertPath },
    });
    child.once("error", reject);
    child.once("exit", (code) => resolvePromise(code ?? 1));
  });
}

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  const config = await loadConfig(options.dataDir as string);

  if (!trustsEmulatorCa(config)) {
    const exitCode = await rerunTrusting(config);
    if (exitCode !== 0) {
      throw new CliError("Signing in to the emulator failed.", exitCode);
    }
    context.logger.warning(
      `Set NODE_EXTRA_CA_CERTS=${config.caCertPath} for the commands that talk to the emulator.`,
    );
    return undefined;
  }

  await registerEmulatorCloud(context.configDir, config);
  const login = await import("../login.js");
  await login.run(
    {
      servicePrincipal: true,
      username: config.clientId,
      password: config.clientSecret,
      tenant: config.tenantId,
    },
    context,
  );
  return undefined;
}
