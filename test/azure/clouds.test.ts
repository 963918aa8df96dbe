import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  activeCloudName,
  addCloud,
  buildCloud,
  cloudToJson,
  getActiveCloud,
  getCloud,
  getCloudSubscription,
  getClouds,
  registeredCloudName,
  removeCloud,
  requireEndpoint,
  requireSuffix,
  setActiveCloudName,
  setCloudSubscription,
  toCamelCase,
  toSnakeCase,
  updateCloud,
} from "../../src/azure/clouds.js";
import { azCapture, azJson, fakeContext, type FakeContext } from "./fake-context.js";

let context: FakeContext;

beforeEach(() => {
  context = fakeContext();
});

afterEach(() => {
  context.cleanup();
});

const localEndpoints = {
  endpoint_resource_manager: "https://127.0.0.1:18443/",
  endpoint_active_directory: "https://127.0.0.1:18443/adfs",
  endpoint_active_directory_resource_id: "https://management.local.test/",
  endpoint_active_directory_graph_resource_id: "https://graph.local.test/",
  suffix_acr_login_server_endpoint: ".azurecr.io",
};

const noMetadata = async (): Promise<never> => {
  throw new Error("no metadata request expected");
};

async function registerLocalStub(): Promise<void> {
  addCloud(
    context.configDir,
    await buildCloud("LocalStub", localEndpoints, undefined, false, noMetadata),
  );
}

describe("built-in clouds", () => {
  test("cloud show of the default cloud is what az prints", () => {
    expect(azJson(cloudToJson(getActiveCloud(context.configDir, () => undefined)))).toBe(
      azCapture("cloud-show-default").stdout,
    );
  });

  test("cloud list of the four built-in clouds is what az prints", () => {
    expect(azJson(getClouds(context.configDir).map(cloudToJson))).toBe(
      azCapture("cloud-list-default").stdout,
    );
  });

  test("the ARM endpoint, audience and registry suffix of each cloud", () => {
    const endpoints = getClouds(context.configDir).map((cloud) => [
      cloud.name,
      cloud.endpoints.resource_manager,
      cloud.endpoints.active_directory_resource_id,
      cloud.suffixes.acr_login_server_endpoint,
    ]);
    expect(endpoints).toEqual([
      [
        "AzureCloud",
        "https://management.azure.com/",
        "https://management.core.windows.net/",
        ".azurecr.io",
      ],
      [
        "AzureChinaCloud",
        "https://management.chinacloudapi.cn",
        "https://management.core.chinacloudapi.cn/",
        ".azurecr.cn",
      ],
      [
        "AzureUSGovernment",
        "https://management.usgovcloudapi.net/",
        "https://management.core.usgovcloudapi.net/",
        ".azurecr.us",
      ],
      [
        "AzureGermanCloud",
        "https://management.microsoftazure.de",
        "https://management.core.cloudapi.de/",
        null,
      ],
    ]);
  });

  test("a missing suffix is az's error, naming the clouds file", () => {
    const german = getCloud(context.configDir, "AzureGermanCloud");
    expect(() => requireSuffix(german, "acr_login_server_endpoint", context.configDir)).toThrow(
      "The suffix 'acr_login_server_endpoint' for this cloud is not set but is used.\n" +
        `${join(context.configDir, "clouds.config")} may be corrupt or invalid.\n` +
        "Resolve the error or delete this file and try again.",
    );
    expect(requireEndpoint(german, "resource_manager", context.configDir)).toBe(
      "https://management.microsoftazure.de",
    );
  });
});

describe("custom clouds", () => {
  test("register writes az's clouds.config, owner-only", async () => {
    await registerLocalStub();
    const path = join(context.configDir, "clouds.config");
    expect(readFileSync(path, "utf8")).toBe(
      [
        "[LocalStub]",
        "endpoint_resource_manager = https://127.0.0.1:18443/",
        "endpoint_active_directory = https://127.0.0.1:18443/adfs",
        "endpoint_active_directory_resource_id = https://management.local.test/",
        "endpoint_active_directory_graph_resource_id = https://graph.local.test/",
        "suffix_acr_login_server_endpoint = .azurecr.io",
        "",
        "",
      ].join("\n"),
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(context.configDir).mode & 0o777).toBe(0o700);
  });

  test("a registered cloud shows as az shows it, once active", async () => {
    await registerLocalStub();
    setActiveCloudName(context.configDir, "LocalStub");
    const expected = azCapture("cloud-show").stdout;
    expect(azJson(cloudToJson(getCloud(context.configDir, "LocalStub")))).toBe(expected);
  });

  test("registering twice, or a built-in name, is refused", async () => {
    await registerLocalStub();
    await expect(registerLocalStub()).rejects.toThrow(
      azCapture("cloud-register-again")
        .stderr.replace(/^ERROR: /, "")
        .trim(),
    );
    const azure = await buildCloud("AzureCloud", {}, undefined, true, noMetadata);
    expect(() => addCloud(context.configDir, azure)).toThrow(
      "The cloud 'AzureCloud' is already registered.",
    );
  });

  test("without the required endpoints, registration lists what is missing", async () => {
    await expect(buildCloud("Incomplete", {}, undefined, false, noMetadata)).rejects.toThrow(
      azCapture("cloud-register-missing")
        .stderr.replace(/^ERROR: /, "")
        .trimEnd(),
    );
  });

  test("the Resource Manager endpoint alone is completed from the metadata document", async () => {
    const requested: string[] = [];
    const cloud = await buildCloud(
      "Short",
      {
        endpoint_resource_manager: "https://127.0.0.1:18443/",
        suffix_acr_login_server_endpoint: ".azurecr.io",
      },
      undefined,
      false,
      async (url) => {
        requested.push(url);
        return {
          status: 200,
          bodyText: JSON.stringify({
            galleryEndpoint: "https://127.0.0.1:18443/gallery/",
            graphEndpoint: "https://graph.local.test/",
            authentication: {
              loginEndpoint: "https://127.0.0.1:18443/adfs",
              audiences: ["https://management.local.test/"],
            },
          }),
        };
      },
    );
    // msrestazure appends to the ARM URL as given, hence the double slash.
    expect(requested).toEqual([
      "https://127.0.0.1:18443//metadata/endpoints?api-version=2015-01-01",
    ]);
    addCloud(context.configDir, cloud);
    expect(azJson(cloudToJson(getCloud(context.configDir, "Short")))).toBe(
      azCapture("cloud-show-short").stdout,
    );
  });

  test("metadata failures are az's messages", async () => {
    const arguments_ = { endpoint_resource_manager: "https://arm.test/" };
    await expect(
      buildCloud("X", arguments_, undefined, false, async () => ({ status: 404, bodyText: "" })),
    ).rejects.toThrow(
      "Unable to get endpoints from the cloud.\nServer returned status code 404 for " +
        "https://arm.test//metadata/endpoints?api-version=2015-01-01",
    );
    await expect(
      buildCloud("X", arguments_, undefined, false, async () => {
        throw new Error("connect ECONNREFUSED");
      }),
    ).rejects.toThrow(
      "Unable to get endpoints from the cloud.\nPlease ensure you have network connection. " +
        "Error detail: connect ECONNREFUSED",
    );
    await expect(
      buildCloud("X", arguments_, undefined, false, async () => ({
        status: 200,
        bodyText: "<html>",
      })),
    ).rejects.toThrow(
      "Unable to get endpoints from the cloud.\nResponse body does not contain valid json.",
    );
  });

  test("--cloud-config in both of az's shapes, replacing the other arguments", async () => {
    const nested = await buildCloud(
      "Cfg",
      { endpoint_resource_manager: "https://ignored/" },
      {
        endpoints: {
          resourceManager: "https://arm/",
          activeDirectory: "https://login/adfs",
          activeDirectoryResourceId: "https://m/",
          activeDirectoryGraphResourceId: "https://g/",
        },
        suffixes: { acrLoginServerEndpoint: "azurecr.x" },
      },
      false,
      noMetadata,
    );
    expect(nested.endpoints.resource_manager).toBe("https://arm/");
    expect(nested.suffixes.acr_login_server_endpoint).toBe("azurecr.x");

    const flat = await buildCloud(
      "Cfg2",
      {},
      {
        endpointResourceManager: "https://arm/",
        endpointActiveDirectory: "https://a/adfs",
        endpointActiveDirectoryResourceId: "https://m/",
        endpointActiveDirectoryGraphResourceId: "https://g/",
        suffixAcrLoginServerEndpoint: "azurecr.x",
        profile: "2019-03-01-hybrid",
      },
      false,
      noMetadata,
    );
    expect(flat.endpoints.active_directory).toBe("https://a/adfs");
    expect(flat.suffixes.acr_login_server_endpoint).toBe("azurecr.x");
    expect(flat.profile).toBe("2019-03-01-hybrid");
  });

  test("update changes only the values given, and keeps the subscription", async () => {
    await registerLocalStub();
    setCloudSubscription(context.configDir, "LocalStub", "sub-1");
    updateCloud(
      context.configDir,
      await buildCloud(
        "LocalStub",
        { suffix_acr_login_server_endpoint: ".azurecr.local", profile: "latest" },
        undefined,
        true,
        noMetadata,
      ),
    );
    const cloud = getCloud(context.configDir, "LocalStub");
    expect(cloud.suffixes.acr_login_server_endpoint).toBe(".azurecr.local");
    expect(cloud.endpoints.resource_manager).toBe("https://127.0.0.1:18443/");
    expect(getCloudSubscription(context.configDir, "LocalStub")).toBe("sub-1");
    expect(readFileSync(join(context.configDir, "clouds.config"), "utf8")).toContain(
      "subscription = sub-1\nprofile = latest\n",
    );
  });

  test("update of an unknown cloud", async () => {
    const cloud = await buildCloud("Nope", localEndpoints, undefined, false, noMetadata);
    expect(() => updateCloud(context.configDir, cloud)).toThrow(
      "The cloud 'Nope' is not registered.",
    );
  });

  test("unregister: custom only, never the active one", async () => {
    await registerLocalStub();
    setActiveCloudName(context.configDir, "LocalStub");
    expect(() => removeCloud(context.configDir, "LocalStub")).toThrow(
      azCapture("cloud-unregister-active")
        .stderr.replace(/^ERROR: /, "")
        .trim(),
    );
    expect(() => removeCloud(context.configDir, "AzureChinaCloud")).toThrow(
      azCapture("cloud-unregister-builtin")
        .stderr.replace(/^ERROR: /, "")
        .trim(),
    );
    setActiveCloudName(context.configDir, "AzureCloud");
    removeCloud(context.configDir, "LocalStub");
    expect(() => removeCloud(context.configDir, "LocalStub")).toThrow(
      "The cloud 'LocalStub' is not registered.",
    );
  });

  test("names are exact, except for `cloud set`'s lookup", async () => {
    await registerLocalStub();
    expect(() => getCloud(context.configDir, "localstub")).toThrow(
      "The cloud 'localstub' is not registered.",
    );
    expect(registeredCloudName(context.configDir, "localstub")).toBe("LocalStub");
    expect(registeredCloudName(context.configDir, "nope")).toBe("nope");
  });
});

describe("the active cloud", () => {
  test("defaults to AzureCloud and is kept in config's [cloud] section", () => {
    expect(activeCloudName(context.configDir)).toBe("AzureCloud");
    writeFileSync(join(context.configDir, "config"), "[defaults]\nacr = myregistry\n\n");
    setActiveCloudName(context.configDir, "AzureChinaCloud");
    expect(readFileSync(join(context.configDir, "config"), "utf8")).toBe(
      "[defaults]\nacr = myregistry\n\n[cloud]\nname = AzureChinaCloud\n\n",
    );
    expect(getActiveCloud(context.configDir, () => undefined).name).toBe("AzureChinaCloud");
  });

  test("an unregistered active cloud is reset to AzureCloud with az's warnings", () => {
    setActiveCloudName(context.configDir, "Gone");
    const warnings: string[] = [];
    expect(getActiveCloud(context.configDir, (message) => warnings.push(message)).name).toBe(
      "AzureCloud",
    );
    expect(warnings).toEqual([
      "The cloud 'Gone' is not registered.",
      "Resetting active cloud to'AzureCloud'.",
    ]);
    expect(activeCloudName(context.configDir)).toBe("AzureCloud");
  });

  test("an unknown profile in clouds.config is refused", () => {
    writeFileSync(join(context.configDir, "clouds.config"), "[AzureCloud]\nprofile = 1999-01-01\n");
    expect(() => getClouds(context.configDir)).toThrow(
      "Profile 1999-01-01 does not exist or is not supported.",
    );
  });
});

test("knack's case conversions", () => {
  expect(toSnakeCase("endpointResourceManager")).toBe("endpoint_resource_manager");
  expect(toSnakeCase("suffixAcrLoginServerEndpoint")).toBe("suffix_acr_login_server_endpoint");
  expect(toSnakeCase("activeDirectoryGraphResourceId")).toBe("active_directory_graph_resource_id");
  expect(toCamelCase("azure_datalake_store_file_system_endpoint")).toBe(
    "azureDatalakeStoreFileSystemEndpoint",
  );
  expect(toCamelCase("vm_image_alias_doc")).toBe("vmImageAliasDoc");
});
