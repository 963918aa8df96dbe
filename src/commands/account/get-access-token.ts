// az account get-access-token: an access token for the current account (or another
// subscription or tenant), for tools that call Azure themselves.

import type { Context } from "../../cli/context.js";
import { CliError } from "../../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { requireEndpoint } from "../../azure/clouds.js";
import { describeAuthenticationFailure, resourceToScopes } from "../../azure/credentials.js";
import { managedIdentityOf } from "../../azure/profile.js";
import { credentialForAccount, getCloud, getSubscription } from "../../azure/session.js";
import { subscriptionArgument } from "./common.js";

/** `--resource-type` choices (az's order) and the cloud endpoint each one names. */
export const RESOURCE_TYPES: Record<string, string> = {
  "oss-rdbms": "ossrdbms_resource_id",
  arm: "active_directory_resource_id",
  "aad-graph": "active_directory_graph_resource_id",
  "ms-graph": "microsoft_graph_resource_id",
  batch: "batch_resource_id",
  media: "media_resource_id",
  "data-lake": "active_directory_data_lake_resource_id",
};

export const spec: CommandSpec = {
  summary: "Get an access token, for tools that call Azure directly.",
  description:
    "The token stays valid for at least five minutes and at most an hour. Without " +
    "--subscription, the current account's is used.",
  arguments: [
    subscriptionArgument,
    {
      name: "resource",
      options: ["--resource"],
      kind: "value",
      help: "The resource to get a token for, as an Entra ID v1.0 resource URI.",
    },
    {
      name: "scope",
      options: ["--scope"],
      kind: "list",
      help: "Entra ID v2.0 scopes, separated by spaces. Azure Resource Manager by default.",
    },
    {
      name: "resourceType",
      options: ["--resource-type"],
      kind: "value",
      choices: Object.keys(RESOURCE_TYPES),
      help: "A well-known resource to get a token for.",
    },
    {
      name: "tenant",
      options: ["--tenant", "-t"],
      kind: "value",
      help:
        "The tenant to get the token from. For users and service principals only, not for " +
        "managed identities.",
    },
  ],
  examples: [
    {
      title: "Get an access token for the current account",
      command: "az account get-access-token",
    },
    {
      title: "Get an access token for a specific subscription",
      command: "az account get-access-token --subscription 00000000-0000-0000-0000-000000000000",
    },
    {
      title: "Get an access token for a specific tenant",
      command: "az account get-access-token --tenant 00000000-0000-0000-0000-000000000000",
    },
    {
      title: "Get an access token to use with MS Graph API",
      command: "az account get-access-token --resource-type ms-graph",
    },
  ],
};

/** Python's `datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S.%f")`, local time. */
export function formatExpiresOn(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.` +
    pad(Math.round((seconds % 1) * 1_000_000), 6)
  );
}

export async function run(options: ParsedOptions, context: Context): Promise<unknown> {
  const subscription = options.subscription as string | undefined;
  const tenant = options.tenant as string | undefined;
  let resource = options.resource as string | undefined;
  let scopes = (options.scope as string[] | undefined)?.length
    ? (options.scope as string[])
    : undefined;

  const cloud = getCloud(context);
  if (resource === undefined && options.resourceType) {
    resource = requireEndpoint(
      cloud.cloud,
      RESOURCE_TYPES[options.resourceType as string],
      context.configDir,
    );
  }
  if (resource && !scopes) {
    scopes = resourceToScopes(resource);
  }
  scopes ??= cloud.armScopes;

  if (subscription && tenant) {
    throw new CliError("Please specify only one of subscription and tenant, not both");
  }
  const account = getSubscription(context, subscription);
  if (managedIdentityOf(account) && tenant) {
    throw new CliError("Tenant shouldn't be specified for managed identity account");
  }

  const credential = await credentialForAccount(context, account, { tenant });
  let token;
  try {
    token = await credential.getToken(scopes);
  } catch (error) {
    throw describeAuthenticationFailure(error) ?? error;
  }

  // az keeps whole seconds (an int epoch) before formatting.
  const expiresOn = Math.trunc(token.expiresOnTimestamp / 1000);
  const result: Record<string, unknown> = {
    tokenType: "Bearer",
    accessToken: token.token,
    expiresOn: formatExpiresOn(expiresOn),
    tenant: tenant ?? account.tenantId,
  };
  if (!tenant) {
    result.subscription = account.id;
  }
  return result;
}
