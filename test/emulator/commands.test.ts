// The emulator commands' own logic: az-env's shell lines (run for real by the az end-to-end
// test) and the cloud `emulator use` registers in acrtask's config.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { getCloud, activeCloudName } from "../../src/azure/clouds.js";
import { azEnvLines, shellQuote } from "../../src/commands/emulator/az-env.js";
import { registerEmulatorCloud } from "../../src/commands/emulator/use.js";
import type { EmulatorConfig } from "../../src/emulator/emulator.js";

const config: EmulatorConfig = {
  armEndpoint: "https://127.0.0.1:40123",
  activeDirectoryEndpoint: "https://127.0.0.1:40123/adfs",
  audience: "https://management.acrtask.local/",
  tenantId: "11111111-1111-4111-8111-111111111111",
  subscriptionId: "22222222-2222-4222-8222-222222222222",
  clientId: "33333333-3333-4333-8333-333333333333",
  clientSecret: "se'cret",
  caCertPath: "/data dir/tls/ca.crt",
  proxyUrl: "http://127.0.0.1:40124",
  acrSuffix: ".azurecr.io",
  registries: [],
};

test("shellQuote leaves plain words alone and quotes the rest", () => {
  expect(shellQuote("https://127.0.0.1:1/adfs")).toBe("https://127.0.0.1:1/adfs");
  expect(shellQuote("a b")).toBe("'a b'");
  expect(shellQuote("it's")).toBe("'it'\\''s'");
});

test("az-env exports az's environment and registers, selects and signs in to the cloud", () => {
  expect(azEnvLines(config, "/srv/emu")).toEqual([
    "export AZURE_CONFIG_DIR=/srv/emu/az-config",
    "export REQUESTS_CA_BUNDLE='/data dir/tls/ca.crt'",
    "export NODE_EXTRA_CA_CERTS='/data dir/tls/ca.crt'",
    "export AZURE_CORE_COLLECT_TELEMETRY=false",
    "export AZURE_CORE_SURVEY_MESSAGE=false",
    "export HTTPS_PROXY=http://127.0.0.1:40124",
    "export NO_PROXY=127.0.0.1",
    "az cloud register --name AcrtaskEmulator " +
      "--endpoint-resource-manager https://127.0.0.1:40123/ " +
      "--endpoint-active-directory https://127.0.0.1:40123/adfs " +
      "--endpoint-active-directory-resource-id https://management.acrtask.local/ " +
      "--endpoint-active-directory-graph-resource-id https://graph.acrtask.local/ " +
      "--suffix-acr-login-server-endpoint .azurecr.io --suffix-keyvault-dns .vault.azure.net >/dev/null 2>&1 || " +
      "az cloud update --name AcrtaskEmulator --endpoint-resource-manager https://127.0.0.1:40123/ " +
      "--endpoint-active-directory https://127.0.0.1:40123/adfs " +
      "--endpoint-active-directory-resource-id https://management.acrtask.local/ " +
      "--endpoint-active-directory-graph-resource-id https://graph.acrtask.local/ " +
      "--suffix-acr-login-server-endpoint .azurecr.io --suffix-keyvault-dns " +
      ".vault.azure.net >/dev/null",
    "az cloud set --name AcrtaskEmulator >/dev/null 2>&1",
    "az login --service-principal --username 33333333-3333-4333-8333-333333333333 " +
      "--password 'se'\\''cret' --tenant 11111111-1111-4111-8111-111111111111 >/dev/null",
  ]);
});

test(
  "emulator use registers the cloud in acrtask's config, and " + "updates it after a port change",
  async () => {
    const configDir = mkdtempSync(join(tmpdir(), "acrtask-use-"));
    try {
      await registerEmulatorCloud(configDir, config);
      expect(activeCloudName(configDir)).toBe("AcrtaskEmulator");
      const cloud = getCloud(configDir, "AcrtaskEmulator");
      expect(cloud.endpoints.resource_manager).toBe("https://127.0.0.1:40123/");
      expect(cloud.endpoints.active_directory).toBe("https://127.0.0.1:40123/adfs");
      expect(cloud.endpoints.active_directory_resource_id).toBe(
        "https://management.acrtask.local/",
      );
      expect(cloud.suffixes.acr_login_server_endpoint).toBe(".azurecr.io");

      await registerEmulatorCloud(configDir, { ...config, armEndpoint: "https://127.0.0.1:5000" });
      expect(getCloud(configDir, "AcrtaskEmulator").endpoints.resource_manager).toBe(
        "https://127.0.0.1:5000/",
      );
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  },
);

describe("emulator start", () => {
  test(
    "serves until interrupted, announcing itself once on stderr " + "and writing emulator.json",
    async () => {
      const { fakeContext } = await import("../azure/fake-context.js");
      const { serveUntil } = await import("../../src/commands/emulator/start.js");
      const { readEmulatorConfig } = await import("../../src/emulator/emulator.js");
      const dataDir = mkdtempSync(join(tmpdir(), "acrtask-start-"));
      const context = fakeContext();

      try {
        let interrupt = () => undefined as void;
        const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
        const running = serveUntil(
          // Without runs: the Docker engine warning is tested with the built CLI.
          { dataDir, noDefaultRegistry: true, relaxApiVersions: false, noRuns: true },
          context,
          interrupted,
        );
        const deadline = Date.now() + 30_000;
        while (context.stderrText.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }

        const config = readEmulatorConfig(dataDir);
        expect(context.stderrText).toEqual([`emulator ready: ${config.armEndpoint}\n`]);
        expect(config.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        expect(config.registries).toEqual([]);

        interrupt();
        await expect(running).resolves.toBeUndefined();
        expect(existsSync(join(dataDir, "emulator.pid"))).toBe(false);
      } finally {
        context.cleanup();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  test("a port out of range is a usage error", async () => {
    const { fakeContext } = await import("../azure/fake-context.js");
    const { run } = await import("../../src/commands/emulator/start.js");
    const context = fakeContext();
    await expect(run({ dataDir: "unused", port: 70000 }, context)).rejects.toThrow(
      "--port must be between 0 and 65535, not 70000.",
    );
    context.cleanup();
  });

  test(
    "a --secret that is not <secret URL>=<value> or names an " + "unreadable file is a usage error",
    async () => {
      const { fakeContext } = await import("../azure/fake-context.js");
      const { run } = await import("../../src/commands/emulator/start.js");
      const context = fakeContext();
      await expect(
        run({ dataDir: "unused", secret: ["password=s3cret"] }, context),
      ).rejects.toThrow(
        "--secret 'password' is not <secret URL>=<value>, as " +
          "https://myvault.vault.azure.net/secrets/password=s3cret.",
      );
      await expect(
        run(
          { dataDir: "unused", secret: ["https://v.vault.azure.net/secrets/p=@/nonexistent/file"] },
          context,
        ),
      ).rejects.toThrow("--secret: the file '/nonexistent/file' cannot be read.");
      context.cleanup();
    },
  );

  test("use and az-env without a running emulator say how to start one", async () => {
    const { fakeContext } = await import("../azure/fake-context.js");
    const azEnv = await import("../../src/commands/emulator/az-env.js");
    const context = fakeContext();
    await expect(azEnv.run({ dataDir: "/nonexistent/emulator" }, context)).rejects.toThrow(
      "No emulator found in '/nonexistent/emulator': emulator.json is missing. Start one with " +
        "'acrtask emulator start --data-dir /nonexistent/emulator'.",
    );
    context.cleanup();
  });
});
