import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  addCloud,
  BLOB_PROXY_OPTION,
  getCloud,
  setActiveCloudName,
} from "../../../src/azure/clouds.js";
import { readIni } from "../../../src/azure/profile.js";
import { blobConnection } from "../../../src/commands/acr/run-common.js";
import { fakeContext } from "../../azure/fake-context.js";

const BLOB_URL = "https://devstoreaccount1.blob.localhost/logs/ca1/rawtext.log?sig=abc";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("how run logs reach the log blob", () => {
  let folder: string;
  let caPath: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "acrtask-blob-connection-"));
    caPath = join(folder, "ca.crt");
    writeFileSync(caPath, PEM);
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const emulated = (extra: { caCertPath?: string; blobProxyUrl?: string }) => ({
    name: "Emulated",
    profile: "latest",
    isActive: false,
    endpoints: {
      resource_manager: "https://127.0.0.1:1/",
      active_directory: "https://127.0.0.1:1",
      active_directory_resource_id: "https://management.core.windows.net/",
    },
    suffixes: {},
    ...extra,
  });

  test("the storage proxy is stored under an acrtask-only option and read back", () => {
    const context = fakeContext();
    try {
      addCloud(context.configDir, emulated({ blobProxyUrl: "http://127.0.0.1:39931" }));

      const section = readIni(context.configDir, "clouds.config").get("Emulated");
      expect(section?.get(BLOB_PROXY_OPTION)).toBe("http://127.0.0.1:39931");
      expect(getCloud(context.configDir, "Emulated").blobProxyUrl).toBe("http://127.0.0.1:39931");
      expect(getCloud(context.configDir, "AzureCloud").blobProxyUrl).toBeUndefined();
    } finally {
      context.cleanup();
    }
  });

  test("the active cloud's proxy and CA are used, ahead of HTTPS_PROXY", async () => {
    const context = fakeContext({ env: { HTTPS_PROXY: "http://proxy.example:3128" } });
    try {
      addCloud(
        context.configDir,
        emulated({ caCertPath: caPath, blobProxyUrl: "http://127.0.0.1:39931" }),
      );
      setActiveCloudName(context.configDir, "Emulated");

      expect(await blobConnection(context, BLOB_URL)).toEqual({
        proxyUrl: "http://127.0.0.1:39931",
        ca: PEM,
      });
    } finally {
      context.cleanup();
    }
  });

  test(
    "a cloud without a proxy falls back to HTTPS_PROXY unless " + "NO_PROXY names the host",
    async () => {
      const withProxy = fakeContext({ env: { https_proxy: "http://proxy.example:3128" } });
      const bypassed = fakeContext({
        env: { HTTPS_PROXY: "http://proxy.example:3128", NO_PROXY: "example.org, .localhost" },
      });
      try {
        expect(await blobConnection(withProxy, BLOB_URL)).toEqual({
          proxyUrl: "http://proxy.example:3128",
          ca: undefined,
        });
        expect(await blobConnection(bypassed, BLOB_URL)).toEqual({
          proxyUrl: undefined,
          ca: undefined,
        });
      } finally {
        withProxy.cleanup();
        bypassed.cleanup();
      }
    },
  );
});
