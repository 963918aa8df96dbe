// Finding a registry the way az 2.45 does before every acr command: name → resource group
// through the subscription-wide resource listing (unless a group is given), then the registry
// itself, then (for everything but `task create`) the check that its SKU supports tasks.

import { CliError } from "../cli/errors.js";
import { API_VERSIONS, resourcePath, type ArmClient } from "./arm.js";

export const REGISTRY_RESOURCE_TYPE = "Microsoft.ContainerRegistry/registries";

/** The public cloud's login-server suffix; other clouds have their own. */
export const DEFAULT_ACR_LOGIN_SERVER_SUFFIX = ".azurecr.io";

/** The SKU-check messages, per command group. */
export const MANAGED_REGISTRY_MESSAGES = {
  task: "Task is only supported for managed registries.",
  taskrun: "TaskRun is only supported for managed registries.",
  run: "Run is only available for managed registries.",
  build: "Builds are only supported for managed registries.",
} as const;

const MANAGED_SKUS = ["Basic", "Standard", "Premium"];

export interface RegistryName {
  registryName: string;
  /** The warning az logs when it cut the suffix off. */
  warning?: string;
}

/**
 * az's registry-name validator: `myreg.azurecr.io` → `myreg`. The search is case-sensitive and
 * a name that starts with the suffix is left alone.
 */
export function stripLoginServerSuffix(
  value: string,
  loginServerSuffix: string = DEFAULT_ACR_LOGIN_SERVER_SUFFIX,
): RegistryName {
  const position = loginServerSuffix ? value.indexOf(loginServerSuffix) : -1;
  if (position <= 0) {
    return { registryName: value };
  }

  return {
    registryName: value.slice(0, position),
    warning: `The login server endpoint suffix '${loginServerSuffix}' is automatically omitted.`,
  };
}

export interface RegistryLookup {
  registryName: string;
  /** When absent (or empty) the group is discovered, and comes back lower-cased. */
  resourceGroup?: string;
  /** Display name of the subscription, for the not-found message. */
  subscriptionName?: string;
  /** Checks the SKU and fails with this message when it cannot run tasks. */
  managedRegistryMessage?: string;
}

export interface ResolvedRegistry {
  registryName: string;
  resourceGroup: string;
  /** ARM path of the registry, segments encoded as az encodes them. */
  path: string;
  /** The registry GET response, as sent. */
  registry: Record<string, unknown>;
  location?: string;
}

/** The resource group of the one registry of that name (case-insensitive) in the subscription. */
export async function findRegistryResourceGroup(
  arm: ArmClient,
  registryName: string,
  subscriptionName?: string,
): Promise<string> {
  const resources = await arm.listAll(
    {
      method: "GET",
      path: resourcePath`/subscriptions/${arm.subscriptionId}/resources`,
      query: [
        ["$filter", `resourceType eq '${REGISTRY_RESOURCE_TYPE}'`],
        ["api-version", API_VERSIONS.resources],
      ],
    },
    "resources",
  );

  const matches = resources.filter(
    (resource) =>
      String((resource as { name?: unknown }).name ?? "").toLowerCase() ===
      registryName.toLowerCase(),
  );

  if (matches.length === 0) {
    const where =
      subscriptionName !== undefined
        ? `in subscription '${subscriptionName} (${arm.subscriptionId})'.`
        : "in the current subscription.";
    throw new CliError(
      `The resource with name '${registryName}' and type '${REGISTRY_RESOURCE_TYPE}' ` +
        `could not be found ${where}`,
    );
  }
  if (matches.length > 1) {
    throw new CliError(
      `More than one resources with type '${REGISTRY_RESOURCE_TYPE}' are found with name ` +
        `'${registryName}'.`,
    );
  }

  return resourceGroupOfId(String((matches[0] as { id?: unknown }).id ?? ""));
}

/** az lower-cases the whole id before cutting the group out of it. */
function resourceGroupOfId(resourceId: string): string {
  const id = resourceId.toLowerCase();
  const keyword = "/resourcegroups/";
  const start = id.indexOf(keyword);
  const end = id.indexOf("/providers/");
  if (start < 0 || end < 0) {
    throw new CliError(`The registry id '${resourceId}' names no resource group.`);
  }
  return id.slice(start + keyword.length, end);
}

/** Resolves the registry, and checks its SKU when `managedRegistryMessage` is given. */
export async function resolveRegistry(
  arm: ArmClient,
  lookup: RegistryLookup,
): Promise<ResolvedRegistry> {
  const resourceGroup = lookup.resourceGroup
    ? lookup.resourceGroup
    : await findRegistryResourceGroup(arm, lookup.registryName, lookup.subscriptionName);

  const path = resourcePath`/subscriptions/${arm.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${lookup.registryName}`;
  const response = await arm.send(
    { method: "GET", path, query: [["api-version", API_VERSIONS.registries]] },
    [200],
  );
  const registry = (response.json ?? {}) as Record<string, unknown>;

  if (lookup.managedRegistryMessage !== undefined) {
    // Compared as sent: az 2.45 rejects a registry whose SKU comes back as "standard".
    const skuName = (registry.sku as { name?: unknown } | null | undefined)?.name;
    if (typeof skuName !== "string" || !MANAGED_SKUS.includes(skuName)) {
      throw new CliError(lookup.managedRegistryMessage);
    }
  }

  const location = typeof registry.location === "string" ? registry.location : undefined;
  return { registryName: lookup.registryName, resourceGroup, path, registry, location };
}
