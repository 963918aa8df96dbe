// acrtask emulator use: registers the emulator as a cloud in acrtask's own config, makes it the
// active cloud and signs in as its service principal (the same code path as `login
// --service-principal`), so that the next `acrtask acr task …` talks to the emulator. The
// emulator's CA is stored with the cloud; src/azure/session.ts trusts it for every request.
// Its storage proxy is stored too; run logs are read through it.

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
  summary: "Point acrtask at a running emulator and sign in to it.",
  description:
    "Registers the emulator as a cloud, makes it the active cloud and signs in as the " +
    "emulator's service principal. The emulator's certificate authority is remembered with " +
    "the cloud, so later commands trust it without any environment variable.",
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
  // Later commands trust the emulator's CA through the cloud's config, not the environment.
  cloud.caCertPath = config.caCertPath;
  // Its storage names resolve only inside its proxy; run logs and uploads are tunnelled there.
  cloud.blobProxyUrl = config.proxyUrl ?? undefined;

  if (registered) {
    clouds.updateCloud(configDir, cloud);
  } else {
    clouds.addCloud(configDir, cloud);
  }
  clouds.setActiveCloudName(configDir, EMULATOR_CLOUD_NAME);
}

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  const config = await loadConfig(options.dataDir as string);

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
