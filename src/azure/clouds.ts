// Clouds as az 2.45 knows them: four built in, custom ones registered in clouds.config (INI, one
// section per cloud, `endpoint_*` / `suffix_*` / `profile` / `subscription` options), the active
// one named in config's [cloud] section. Names of endpoints and suffixes are az's attribute
// names (snake_case); az prints them in camelCase.

import { join } from "node:path";

import { CliError } from "../cli/errors.js";
import { CLOUDS_FILE, CONFIG_FILE, readIni, writeIni } from "./profile.js";

export type CloudValues = Record<string, string | null>;

export interface Cloud {
  name: string;
  profile: string | null;
  isActive: boolean;
  endpoints: CloudValues;
  suffixes: CloudValues;
  /**
   * A PEM file of a certificate authority that acrtask trusts for this cloud besides the
   * system's (the emulator's own CA). Stored as an option az does not read.
   */
  caCertPath?: string;
  /**
   * An HTTP proxy that the cloud's storage (run logs, source uploads) is reached through with
   * CONNECT (the emulator's, which alone resolves its `*.blob.localhost` names). Stored as an
   * option az does not read.
   */
  blobProxyUrl?: string;
}

/** The clouds.config option holding a cloud's extra CA; az ignores options it does not know. */
export const CA_CERT_PATH_OPTION = "acrtask_ca_cert_path";

/** The clouds.config option holding the proxy for a cloud's storage. */
export const BLOB_PROXY_OPTION = "acrtask_blob_proxy";

/** az's CloudEndpoints attributes, in declaration order. */
export const ENDPOINT_NAMES = [
  "management",
  "resource_manager",
  "sql_management",
  "batch_resource_id",
  "gallery",
  "active_directory",
  "active_directory_resource_id",
  "active_directory_graph_resource_id",
  "microsoft_graph_resource_id",
  "active_directory_data_lake_resource_id",
  "vm_image_alias_doc",
  "media_resource_id",
  "ossrdbms_resource_id",
  "log_analytics_resource_id",
  "app_insights_resource_id",
  "app_insights_telemetry_channel_resource_id",
  "synapse_analytics_resource_id",
  "attestation_resource_id",
  "portal",
  "azmirror_storage_account_resource_id",
] as const;

/** az's CloudSuffixes attributes, in declaration order. */
export const SUFFIX_NAMES = [
  "storage_endpoint",
  "storage_sync_endpoint",
  "keyvault_dns",
  "mhsm_dns",
  "sql_server_hostname",
  "mysql_server_endpoint",
  "postgresql_server_endpoint",
  "mariadb_server_endpoint",
  "azure_datalake_store_file_system_endpoint",
  "azure_datalake_analytics_catalog_and_job_endpoint",
  "acr_login_server_endpoint",
  "synapse_analytics_endpoint",
  "attestation_endpoint",
] as const;

/** API profiles, in az's order (its `--profile` choices and `cloud list-profiles`). */
export const API_PROFILES = [
  "latest",
  "2017-03-09-profile",
  "2018-03-01-hybrid",
  "2019-03-01-hybrid",
  "2020-09-01-hybrid",
] as const;

export const DEFAULT_CLOUD_NAME = "AzureCloud";

function values(names: readonly string[], given: Record<string, string>): CloudValues {
  const result: CloudValues = {};
  for (const name of names) {
    result[name] = given[name] ?? null;
  }
  return result;
}

const IMAGE_ALIASES =
  "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json";

/** The four clouds az 2.45 has built in, with its endpoint values. */
export const KNOWN_CLOUDS: readonly Cloud[] = [
  {
    name: "AzureCloud",
    profile: null,
    isActive: false,
    endpoints: values(ENDPOINT_NAMES, {
      management: "https://management.core.windows.net/",
      resource_manager: "https://management.azure.com/",
      sql_management: "https://management.core.windows.net:8443/",
      batch_resource_id: "https://batch.core.windows.net/",
      gallery: "https://gallery.azure.com/",
      active_directory: "https://login.microsoftonline.com",
      active_directory_resource_id: "https://management.core.windows.net/",
      active_directory_graph_resource_id: "https://graph.windows.net/",
      microsoft_graph_resource_id: "https://graph.microsoft.com/",
      active_directory_data_lake_resource_id: "https://datalake.azure.net/",
      vm_image_alias_doc: IMAGE_ALIASES,
      media_resource_id: "https://rest.media.azure.net",
      ossrdbms_resource_id: "https://ossrdbms-aad.database.windows.net",
      app_insights_resource_id: "https://api.applicationinsights.io",
      log_analytics_resource_id: "https://api.loganalytics.io",
      app_insights_telemetry_channel_resource_id:
        "https://dc.applicationinsights.azure.com/v2/track",
      synapse_analytics_resource_id: "https://dev.azuresynapse.net",
      attestation_resource_id: "https://attest.azure.net",
      portal: "https://portal.azure.com",
    }),
    suffixes: values(SUFFIX_NAMES, {
      storage_endpoint: "core.windows.net",
      storage_sync_endpoint: "afs.azure.net",
      keyvault_dns: ".vault.azure.net",
      mhsm_dns: ".managedhsm.azure.net",
      sql_server_hostname: ".database.windows.net",
      mysql_server_endpoint: ".mysql.database.azure.com",
      postgresql_server_endpoint: ".postgres.database.azure.com",
      mariadb_server_endpoint: ".mariadb.database.azure.com",
      azure_datalake_store_file_system_endpoint: "azuredatalakestore.net",
      azure_datalake_analytics_catalog_and_job_endpoint: "azuredatalakeanalytics.net",
      acr_login_server_endpoint: ".azurecr.io",
      synapse_analytics_endpoint: ".dev.azuresynapse.net",
      attestation_endpoint: ".attest.azure.net",
    }),
  },
  {
    name: "AzureChinaCloud",
    profile: null,
    isActive: false,
    endpoints: values(ENDPOINT_NAMES, {
      management: "https://management.core.chinacloudapi.cn/",
      resource_manager: "https://management.chinacloudapi.cn",
      sql_management: "https://management.core.chinacloudapi.cn:8443/",
      batch_resource_id: "https://batch.chinacloudapi.cn/",
      gallery: "https://gallery.chinacloudapi.cn/",
      active_directory: "https://login.chinacloudapi.cn",
      active_directory_resource_id: "https://management.core.chinacloudapi.cn/",
      active_directory_graph_resource_id: "https://graph.chinacloudapi.cn/",
      microsoft_graph_resource_id: "https://microsoftgraph.chinacloudapi.cn",
      vm_image_alias_doc: IMAGE_ALIASES,
      media_resource_id: "https://rest.media.chinacloudapi.cn",
      ossrdbms_resource_id: "https://ossrdbms-aad.database.chinacloudapi.cn",
      app_insights_resource_id: "https://api.applicationinsights.azure.cn",
      log_analytics_resource_id: "https://api.loganalytics.azure.cn",
      app_insights_telemetry_channel_resource_id:
        "https://dc.applicationinsights.azure.cn/v2/track",
      synapse_analytics_resource_id: "https://dev.azuresynapse.azure.cn",
      portal: "https://portal.azure.cn",
    }),
    suffixes: values(SUFFIX_NAMES, {
      storage_endpoint: "core.chinacloudapi.cn",
      keyvault_dns: ".vault.azure.cn",
      mhsm_dns: ".managedhsm.azure.cn",
      sql_server_hostname: ".database.chinacloudapi.cn",
      mysql_server_endpoint: ".mysql.database.chinacloudapi.cn",
      postgresql_server_endpoint: ".postgres.database.chinacloudapi.cn",
      mariadb_server_endpoint: ".mariadb.database.chinacloudapi.cn",
      acr_login_server_endpoint: ".azurecr.cn",
      synapse_analytics_endpoint: ".dev.azuresynapse.azure.cn",
    }),
  },
  {
    name: "AzureUSGovernment",
    profile: null,
    isActive: false,
    endpoints: values(ENDPOINT_NAMES, {
      management: "https://management.core.usgovcloudapi.net/",
      resource_manager: "https://management.usgovcloudapi.net/",
      sql_management: "https://management.core.usgovcloudapi.net:8443/",
      batch_resource_id: "https://batch.core.usgovcloudapi.net/",
      gallery: "https://gallery.usgovcloudapi.net/",
      active_directory: "https://login.microsoftonline.us",
      active_directory_resource_id: "https://management.core.usgovcloudapi.net/",
      active_directory_graph_resource_id: "https://graph.windows.net/",
      microsoft_graph_resource_id: "https://graph.microsoft.us/",
      vm_image_alias_doc: IMAGE_ALIASES,
      media_resource_id: "https://rest.media.usgovcloudapi.net",
      ossrdbms_resource_id: "https://ossrdbms-aad.database.usgovcloudapi.net",
      app_insights_resource_id: "https://api.applicationinsights.us",
      log_analytics_resource_id: "https://api.loganalytics.us",
      app_insights_telemetry_channel_resource_id: "https://dc.applicationinsights.us/v2/track",
      synapse_analytics_resource_id: "https://dev.azuresynapse.usgovcloudapi.net",
      portal: "https://portal.azure.us",
    }),
    suffixes: values(SUFFIX_NAMES, {
      storage_endpoint: "core.usgovcloudapi.net",
      storage_sync_endpoint: "afs.azure.us",
      keyvault_dns: ".vault.usgovcloudapi.net",
      mhsm_dns: ".managedhsm.usgovcloudapi.net",
      sql_server_hostname: ".database.usgovcloudapi.net",
      mysql_server_endpoint: ".mysql.database.usgovcloudapi.net",
      postgresql_server_endpoint: ".postgres.database.usgovcloudapi.net",
      mariadb_server_endpoint: ".mariadb.database.usgovcloudapi.net",
      acr_login_server_endpoint: ".azurecr.us",
      synapse_analytics_endpoint: ".dev.azuresynapse.usgovcloudapi.net",
    }),
  },
  {
    name: "AzureGermanCloud",
    profile: null,
    isActive: false,
    endpoints: values(ENDPOINT_NAMES, {
      management: "https://management.core.cloudapi.de/",
      resource_manager: "https://management.microsoftazure.de",
      sql_management: "https://management.core.cloudapi.de:8443/",
      batch_resource_id: "https://batch.cloudapi.de/",
      gallery: "https://gallery.cloudapi.de/",
      active_directory: "https://login.microsoftonline.de",
      active_directory_resource_id: "https://management.core.cloudapi.de/",
      active_directory_graph_resource_id: "https://graph.cloudapi.de/",
      microsoft_graph_resource_id: "https://graph.microsoft.de",
      vm_image_alias_doc: IMAGE_ALIASES,
      media_resource_id: "https://rest.media.cloudapi.de",
      ossrdbms_resource_id: "https://ossrdbms-aad.database.cloudapi.de",
      portal: "https://portal.microsoftazure.de",
    }),
    suffixes: values(SUFFIX_NAMES, {
      storage_endpoint: "core.cloudapi.de",
      keyvault_dns: ".vault.microsoftazure.de",
      mhsm_dns: ".managedhsm.microsoftazure.de",
      sql_server_hostname: ".database.cloudapi.de",
      mysql_server_endpoint: ".mysql.database.cloudapi.de",
      postgresql_server_endpoint: ".postgres.database.cloudapi.de",
      mariadb_server_endpoint: ".mariadb.database.cloudapi.de",
    }),
  },
];

/** knack's to_snake_case: `endpointResourceManager` → `endpoint_resource_manager`. */
export function toSnakeCase(text: string): string {
  return text
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** knack's to_camel_case: every `_x` after the first character becomes `X`. */
export function toCamelCase(text: string): string {
  return text.replace(/(?!^)_([a-zA-Z])/g, (_match, letter: string) => letter.toUpperCase());
}

function cloneCloud(cloud: Cloud): Cloud {
  return { ...cloud, endpoints: { ...cloud.endpoints }, suffixes: { ...cloud.suffixes } };
}

function emptyCloud(name: string): Cloud {
  return {
    name,
    profile: null,
    isActive: false,
    endpoints: values(ENDPOINT_NAMES, {}),
    suffixes: values(SUFFIX_NAMES, {}),
  };
}

/** The cloud named in config's [cloud] section; AzureCloud when none is. */
export function activeCloudName(configDir: string): string {
  return readIni(configDir, CONFIG_FILE).get("cloud")?.get("name") || DEFAULT_CLOUD_NAME;
}

/** Records the active cloud, keeping every other section and option of the config file. */
export function setActiveCloudName(configDir: string, name: string): void {
  const config = readIni(configDir, CONFIG_FILE);
  const section = config.get("cloud") ?? new Map<string, string>();
  section.set("name", name);
  config.set("cloud", section);
  writeIni(configDir, CONFIG_FILE, config);
}

/** Every registered cloud: the built-in ones with clouds.config applied on top, then the rest. */
export function getClouds(configDir: string): Cloud[] {
  const file = readIni(configDir, CLOUDS_FILE);
  const clouds = new Map<string, Cloud>(
    KNOWN_CLOUDS.map((cloud) => [cloud.name, cloneCloud(cloud)]),
  );

  for (const [name, options] of file) {
    const cloud = clouds.get(name) ?? emptyCloud(name);
    for (const [option, value] of options) {
      if (option === "profile") {
        cloud.profile = value;
      }
      if (option === CA_CERT_PATH_OPTION && value) {
        cloud.caCertPath = value;
      }
      if (option === BLOB_PROXY_OPTION && value) {
        cloud.blobProxyUrl = value;
      }
      if (option.startsWith("endpoint_")) {
        cloud.endpoints[option.slice("endpoint_".length)] = value;
      } else if (option.startsWith("suffix_")) {
        cloud.suffixes[option.slice("suffix_".length)] = value;
      }
    }
    clouds.set(name, cloud);
  }

  const active = activeCloudName(configDir);
  const result = [...clouds.values()];
  for (const cloud of result) {
    cloud.profile ??= "latest";
    if (!(API_PROFILES as readonly string[]).includes(cloud.profile)) {
      throw new CliError(`Profile ${cloud.profile} does not exist or is not supported.`);
    }
    if (!cloud.endpoints.management && cloud.endpoints.resource_manager) {
      cloud.endpoints.management = cloud.endpoints.resource_manager;
    }
    cloud.isActive = cloud.name === active;
  }
  return result;
}

export function cloudNotRegistered(name: string): CliError {
  return new CliError(`The cloud '${name}' is not registered.`);
}

/** A registered cloud by exact name. */
export function getCloud(configDir: string, name: string): Cloud {
  const cloud = getClouds(configDir).find((candidate) => candidate.name === name);
  if (!cloud) {
    throw cloudNotRegistered(name);
  }
  return cloud;
}

export function isCloudRegistered(configDir: string, name: string): boolean {
  return getClouds(configDir).some((cloud) => cloud.name === name);
}

/**
 * The active cloud. Like az, an active cloud that is no longer registered is reported and
 * replaced by AzureCloud.
 */
export function getActiveCloud(configDir: string, warn: (message: string) => void): Cloud {
  const name = activeCloudName(configDir);
  const cloud = getClouds(configDir).find((candidate) => candidate.name === name);
  if (cloud) {
    return cloud;
  }
  warn(`The cloud '${name}' is not registered.`);
  warn(`Resetting active cloud to'${DEFAULT_CLOUD_NAME}'.`);
  setActiveCloudName(configDir, DEFAULT_CLOUD_NAME);
  return getCloud(configDir, DEFAULT_CLOUD_NAME);
}

/** The JSON az prints for a cloud (`cloud show`, `cloud list`). */
export function cloudToJson(cloud: Cloud): Record<string, unknown> {
  const camel = (source: CloudValues): Record<string, string | null> =>
    Object.fromEntries(Object.entries(source).map(([key, value]) => [toCamelCase(key), value]));
  return {
    name: cloud.name,
    endpoints: camel(cloud.endpoints),
    suffixes: camel(cloud.suffixes),
    profile: cloud.profile,
    isActive: cloud.isActive,
  };
}

function notSet(kind: "endpoint" | "suffix", name: string, configDir: string): CliError {
  return new CliError(
    `The ${kind} '${name}' for this cloud is not set but is used.\n` +
      `${join(configDir, CLOUDS_FILE)} may be corrupt or invalid.\n` +
      "Resolve the error or delete this file and try again.",
  );
}

/** An endpoint the caller needs; az's error when the cloud does not define it. */
export function requireEndpoint(cloud: Cloud, name: string, configDir: string): string {
  const value = cloud.endpoints[name];
  if (!value) {
    throw notSet("endpoint", name, configDir);
  }
  return value;
}

export function requireSuffix(cloud: Cloud, name: string, configDir: string): string {
  const value = cloud.suffixes[name];
  if (!value) {
    throw notSet("suffix", name, configDir);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Registering and changing clouds

/** What `cloud register` / `cloud update` were given: `endpoint_*`, `suffix_*`, `profile`. */
export type CloudArguments = Record<string, unknown>;

/** The answer of `<arm>/metadata/endpoints`, fetched by the caller (it owns the HTTP stack). */
export type MetadataFetcher = (url: string) => Promise<{ status: number; bodyText: string }>;

const METADATA_SUFFIX = "/metadata/endpoints?api-version=2015-01-01";

const REQUIRED_ENDPOINTS: readonly [string, string][] = [
  ["resource_manager", "--endpoint-resource-manager"],
  ["active_directory", "--endpoint-active-directory"],
  ["active_directory_resource_id", "--endpoint-active-directory-resource-id"],
  ["active_directory_graph_resource_id", "--endpoint-active-directory-graph-resource-id"],
];

/**
 * Builds the cloud `cloud register`/`cloud update` describe, as az's _build_cloud: a
 * `--cloud-config` replaces every other argument; endpoints the ARM metadata document knows
 * fill the Active Directory ones that were not given.
 */
export async function buildCloud(
  name: string,
  commandArguments: CloudArguments,
  cloudConfig: Record<string, unknown> | undefined,
  isRegistered: boolean,
  fetchMetadata: MetadataFetcher,
): Promise<Cloud> {
  const cloudArguments: CloudArguments = cloudConfig
    ? Object.fromEntries(
        Object.entries(cloudConfig).map(([key, value]) => [toSnakeCase(key), value]),
      )
    : commandArguments;

  const cloud = emptyCloud(name);
  cloud.profile = typeof cloudArguments.profile === "string" ? cloudArguments.profile : null;
  for (const [group, target] of [
    ["endpoints", cloud.endpoints],
    ["suffixes", cloud.suffixes],
  ] as const) {
    const nested = cloudArguments[group];
    if (nested && typeof nested === "object") {
      for (const [key, value] of Object.entries(nested as Record<string, unknown>)) {
        target[toSnakeCase(key)] = value === null || value === undefined ? null : String(value);
      }
    }
  }
  for (const [key, value] of Object.entries(cloudArguments)) {
    if (value === null || value === undefined) {
      continue;
    }
    if (key.startsWith("endpoint_")) {
      cloud.endpoints[key.slice("endpoint_".length)] = String(value);
    } else if (key.startsWith("suffix_")) {
      cloud.suffixes[key.slice("suffix_".length)] = String(value);
    }
  }

  await populateFromMetadata(cloud, fetchMetadata);

  const missing = REQUIRED_ENDPOINTS.filter(([endpoint]) => !cloud.endpoints[endpoint]).map(
    ([, option]) => option,
  );
  if (missing.length > 0 && !isRegistered) {
    throw new CliError(
      "The following endpoints are required for the CLI to function and were not specified on " +
        "the command line, in the cloud config or could not be autodetected.\n" +
        "Specify them on the command line or through the cloud config file:\n" +
        missing.join(", "),
    );
  }
  return cloud;
}

async function populateFromMetadata(cloud: Cloud, fetchMetadata: MetadataFetcher): Promise<void> {
  const armEndpoint = cloud.endpoints.resource_manager;
  const discoverable = [
    "active_directory_graph_resource_id",
    "active_directory_resource_id",
    "active_directory",
  ];
  if (!armEndpoint || discoverable.every((endpoint) => cloud.endpoints[endpoint])) {
    return;
  }

  const url = armEndpoint + METADATA_SUFFIX;
  const failure = (detail: string): CliError =>
    new CliError(`Unable to get endpoints from the cloud.\n${detail}`);

  let answer: { status: number; bodyText: string };
  try {
    answer = await fetchMetadata(url);
  } catch (error) {
    throw failure(
      `Please ensure you have network connection. Error detail: ${(error as Error).message}`,
    );
  }
  if (answer.status !== 200) {
    throw failure(`Server returned status code ${answer.status} for ${url}`);
  }

  let metadata: {
    galleryEndpoint?: string;
    graphEndpoint?: string;
    authentication?: { loginEndpoint?: string; audiences?: string[] };
  };
  try {
    metadata = JSON.parse(answer.bodyText);
  } catch (error) {
    throw failure(
      `Response body does not contain valid json. Error detail: ${(error as Error).message}`,
    );
  }

  const fill = (endpoint: string, value: unknown): void => {
    if (!cloud.endpoints[endpoint]) {
      cloud.endpoints[endpoint] = typeof value === "string" ? value : null;
    }
  };
  fill("gallery", metadata.galleryEndpoint);
  fill("active_directory_graph_resource_id", metadata.graphEndpoint);
  fill("active_directory", metadata.authentication?.loginEndpoint);
  fill("active_directory_resource_id", metadata.authentication?.audiences?.[0]);
}

/** Writes the cloud's non-empty values into its clouds.config section (az's _save_cloud). */
function saveCloud(configDir: string, cloud: Cloud, overwrite: boolean): void {
  const file = readIni(configDir, CLOUDS_FILE);
  if (file.has(cloud.name) && !overwrite) {
    throw new CliError(`The cloud '${cloud.name}' is already registered.`);
  }
  const section = file.get(cloud.name) ?? new Map<string, string>();
  if (cloud.profile) {
    section.set("profile", cloud.profile);
  }
  for (const [key, value] of Object.entries(cloud.endpoints)) {
    if (value !== null) {
      section.set(`endpoint_${key}`, value);
    }
  }
  for (const [key, value] of Object.entries(cloud.suffixes)) {
    if (value !== null) {
      section.set(`suffix_${key}`, value);
    }
  }
  if (cloud.caCertPath) {
    section.set(CA_CERT_PATH_OPTION, cloud.caCertPath);
  }
  if (cloud.blobProxyUrl) {
    section.set(BLOB_PROXY_OPTION, cloud.blobProxyUrl);
  }
  file.set(cloud.name, section);
  writeIni(configDir, CLOUDS_FILE, file);
}

export function addCloud(configDir: string, cloud: Cloud): void {
  if (isCloudRegistered(configDir, cloud.name)) {
    throw new CliError(`The cloud '${cloud.name}' is already registered.`);
  }
  saveCloud(configDir, cloud, false);
}

export function updateCloud(configDir: string, cloud: Cloud): void {
  if (!isCloudRegistered(configDir, cloud.name)) {
    throw cloudNotRegistered(cloud.name);
  }
  saveCloud(configDir, cloud, true);
}

export function removeCloud(configDir: string, name: string): void {
  if (!isCloudRegistered(configDir, name)) {
    throw cloudNotRegistered(name);
  }
  if (name === activeCloudName(configDir)) {
    throw new CliError(`The cloud '${name}' cannot be unregistered as it's currently active.`);
  }
  if (KNOWN_CLOUDS.some((cloud) => cloud.name === name)) {
    throw new CliError(`The cloud '${name}' cannot be unregistered as it's not a custom cloud.`);
  }
  const file = readIni(configDir, CLOUDS_FILE);
  file.delete(name);
  writeIni(configDir, CLOUDS_FILE, file);
}

/** The registered spelling of a cloud name given in any case (`cloud set` is lenient). */
export function registeredCloudName(configDir: string, name: string): string {
  return (
    getClouds(configDir).find((cloud) => cloud.name.toLowerCase() === name.toLowerCase())?.name ??
    name
  );
}

/** The subscription last chosen in a cloud, kept in its clouds.config section. */
export function getCloudSubscription(configDir: string, cloudName: string): string | undefined {
  return readIni(configDir, CLOUDS_FILE).get(cloudName)?.get("subscription") || undefined;
}

export function setCloudSubscription(
  configDir: string,
  cloudName: string,
  subscriptionId: string | undefined,
): void {
  if (!isCloudRegistered(configDir, cloudName)) {
    throw cloudNotRegistered(cloudName);
  }
  const file = readIni(configDir, CLOUDS_FILE);
  if (subscriptionId) {
    const section = file.get(cloudName) ?? new Map<string, string>();
    section.set("subscription", subscriptionId);
    file.set(cloudName, section);
  } else {
    file.get(cloudName)?.delete("subscription");
  }
  writeIni(configDir, CLOUDS_FILE, file);
}
