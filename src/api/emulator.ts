// The emulator from Node: start it in this process and get a connection the API's operations
// take, already trusting the emulator's certificate authority. For tests of task files in a
// project's own test suite, without an Azure subscription.
//
//   const emulator = await startLocalEmulator({ dataDir: "./.emulator" });
//   await runTask(emulator.connection, { registry: "myregistry", name: "build" });
//   await emulator.stop();

import type { EmulatorConfig, EmulatorOptions } from "../emulator/emulator.js";
import type { AcrConnection } from "./session.js";

export type { EmulatorConfig, EmulatorOptions } from "../emulator/emulator.js";

export interface LocalEmulator {
  /** What `emulator.json` holds: endpoints, identity, registries. */
  config: EmulatorConfig;
  /** A connection for the API's operations, signed in as the emulator's service principal. */
  connection: AcrConnection;
  /** Stops the emulator and everything it started; the data folder stays. */
  stop(): Promise<void>;
}

export async function startLocalEmulator(options: EmulatorOptions): Promise<LocalEmulator> {
  const { startEmulator } = await import("../emulator/emulator.js");
  const emulator = await startEmulator(options);
  try {
    return {
      config: emulator.config,
      connection: await connectionFor(emulator.config),
      stop: emulator.stop,
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** A connection to a running emulator, from its `emulator.json` contents. */
export async function connectionFor(config: EmulatorConfig): Promise<AcrConnection> {
  const [{ ClientSecretCredential }, { createCaTrustPolicy }] = await Promise.all([
    import("@azure/identity"),
    import("../azure/session.js"),
  ]);
  const trust = { policy: createCaTrustPolicy(config.caCertPath), position: "perCall" as const };
  const credential = new ClientSecretCredential(
    config.tenantId,
    config.clientId,
    config.clientSecret,
    {
      // The tenant-GUID authority form the SDK uses; the emulator serves it beside ADFS.
      authorityHost: config.armEndpoint,
      disableInstanceDiscovery: true,
      additionalPolicies: [trust],
    },
  );
  return {
    credential,
    subscriptionId: config.subscriptionId,
    endpoint: config.armEndpoint,
    credentialScopes: [`${config.audience.replace(/\/$/, "")}/.default`],
    additionalPolicies: [trust],
    loginServerSuffix: config.acrSuffix,
  };
}
