// Arguments shared by `cloud register` and `cloud update`, as az declares them, and the HTTP
// fetch of a cloud's metadata document.

import type { Context } from "../../cli/context.js";
import { CliError } from "../../cli/errors.js";
import type { ArgumentSpec, ParsedOptions } from "../../cli/spec.js";
import { API_PROFILES, type CloudArguments, type MetadataFetcher } from "../../azure/clouds.js";
import { httpGet } from "../../azure/session.js";

export const profileArgument: ArgumentSpec = {
  name: "profile",
  options: ["--profile"],
  kind: "value",
  choices: API_PROFILES,
  help: "The API profile to use with this cloud.",
};

const endpointHelp: [string, string][] = [
  ["endpoint_management", "The management service endpoint."],
  ["endpoint_resource_manager", "The Azure Resource Manager endpoint."],
  ["endpoint_sql_management", "The SQL server management endpoint."],
  ["endpoint_gallery", "The template gallery endpoint."],
  ["endpoint_active_directory", "The Microsoft Entra (Active Directory) sign-in endpoint."],
  [
    "endpoint_active_directory_resource_id",
    "The resource id that Entra ID tokens are requested for.",
  ],
  ["endpoint_active_directory_graph_resource_id", "The resource id of the Active Directory graph."],
  [
    "endpoint_active_directory_data_lake_resource_id",
    "The resource id of Data Lake services in Entra ID.",
  ],
  [
    "endpoint_vm_image_alias_doc",
    "The URI of the document listing the aliases of common virtual machine images.",
  ],
  ["suffix_sql_server_hostname", "The DNS suffix of SQL servers."],
  ["suffix_storage_endpoint", "The endpoint suffix of storage accounts."],
  ["suffix_keyvault_dns", "The DNS suffix of Key Vault."],
  [
    "suffix_azure_datalake_store_file_system_endpoint",
    "The DNS suffix of the Data Lake Store file system.",
  ],
  [
    "suffix_azure_datalake_analytics_catalog_and_job_endpoint",
    "The DNS suffix of the Data Lake Analytics catalog and job service.",
  ],
  ["suffix_acr_login_server_endpoint", "The suffix of Azure Container Registry login servers."],
];

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export const cloudConfigArgument: ArgumentSpec = {
  name: "cloudConfig",
  options: ["--cloud-config"],
  kind: "value",
  help: "The cloud's configuration as JSON; write @{file} to read it from a file.",
};

/** --endpoint-* and --suffix-* arguments, in az's declaration order. */
export const endpointArguments: ArgumentSpec[] = endpointHelp.map(([snake, help]) => ({
  name: camel(snake),
  options: [`--${snake.replace(/_/g, "-")}`],
  kind: "value",
  help,
}));

/** The parsed options as az's cloud_args: `endpoint_*`, `suffix_*` and `profile`. */
export function cloudArguments(options: ParsedOptions): CloudArguments {
  const result: CloudArguments = { profile: options.profile ?? null };
  for (const [snake] of endpointHelp) {
    result[snake] = options[camel(snake)] ?? null;
  }
  return result;
}

/** --cloud-config as az parses it (shell_safe_json_parse), with its error. */
export function parseCloudConfig(text: unknown): Record<string, unknown> | undefined {
  if (text === undefined || text === null) {
    return undefined;
  }
  try {
    return JSON.parse(String(text)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `Failed to parse string as JSON:\n${String(text)}\nError detail: ${pythonJsonError(error)}\n` +
        "The provided JSON string may have been parsed by the shell. See " +
        "https://docs.microsoft.com/cli/azure/use-cli-effectively#use-quotation-marks-in-arguments",
    );
  }
}

/** Python's json error text for the common case of a value that is not JSON at all. */
function pythonJsonError(error: unknown): string {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message)?.[1];
  if (/Unexpected token|is not valid JSON|Unexpected end/.test(message)) {
    const offset = Number(position ?? 0);
    return `Expecting value: line 1 column ${offset + 1} (char ${offset})`;
  }
  return message;
}

export function metadataFetcher(context: Context): MetadataFetcher {
  return async (url) => {
    const answer = await httpGet(context, url);
    return { status: answer.status, bodyText: answer.bodyText };
  };
}
