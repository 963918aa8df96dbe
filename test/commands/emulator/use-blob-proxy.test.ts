import { getCloud } from "../../../src/azure/clouds.js";
import { readIni } from "../../../src/azure/profile.js";
import { registerEmulatorCloud } from "../../../src/commands/emulator/use.js";
import type { EmulatorConfig } from "../../../src/emulator/emulator.js";
import { fakeContext } from "../../azure/fake-context.js";

const config: EmulatorConfig = {
  armEndpoint: "https://127.0.0.1:39930",
  activeDirectoryEndpoint: "https://127.0.0.1:39930",
  audience: "https://management.core.windows.net/",
  tenantId: "00000000-0000-0000-0000-000000000001",
  subscriptionId: "00000000-0000-0000-0000-000000000002",
  clientId: "00000000-0000-0000-0000-000000000003",
  clientSecret: "not-a-real-secret",
  caCertPath: "/emulator-data/tls/ca.crt",
  proxyUrl: "http://127.0.0.1:39931",
  acrSuffix: ".azurecr.localhost",
  registries: [],
};

describe("emulator use and the emulator's storage proxy", () => {
  test("the proxy is stored with the cloud, and replaced when a later start moved it", async () => {
    const context = fakeContext();
    try {
      await registerEmulatorCloud(context.configDir, config);
      const first = getCloud(context.configDir, activeName(context.configDir));
      expect(first.blobProxyUrl).toBe("http://127.0.0.1:39931");

      await registerEmulatorCloud(context.configDir, {
        ...config,
        proxyUrl: "http://127.0.0.1:40001",
      });
      expect(getCloud(context.configDir, activeName(context.configDir)).blobProxyUrl).toBe(
        "http://127.0.0.1:40001",
      );
    } finally {
      context.cleanup();
    }
  });

  test("an emulator without a proxy leaves none stored", async () => {
    const context = fakeContext();
    try {
      await registerEmulatorCloud(context.configDir, { ...config, proxyUrl: null });

      const section = readIni(context.configDir, "clouds.config").get(
        activeName(context.configDir),
      );
      expect(section?.has("acrtask_blob_proxy")).toBe(false);
      expect(section?.get("acrtask_ca_cert_path")).toBe(config.caCertPath);
    } finally {
      context.cleanup();
    }
  });
});

function activeName(configDir: string): string {
  const name = readIni(configDir, "config").get("cloud")?.get("name");
  if (!name) {
    throw new Error("no active cloud");
  }
  return name;
}
