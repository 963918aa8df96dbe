// Microsoft.Resources resource groups. Registries live in one, so creating a registry in a
// group that does not exist fails as it does on Azure; deleting a group deletes what is in it.

import { ArmError } from "../server/types.js";
import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import type { StoredResource } from "../store/types.js";

export const RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups";

const GROUPS = "/subscriptions/{subscriptionId}/resourcegroups";
const GROUP = `${GROUPS}/{resourceGroupName}`;
const NAME_PATTERN = /^[-\w._()]+$/u;

export interface ResourceGroupDocument {
  location: string;
  tags?: Record<string, string>;
  managedBy?: string;
}

export function resourceGroupId(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

/** The stored group, or ARM's ResourceGroupNotFound. */
export function requireResourceGroup(
  services: EmulatorServices,
  name: string,
): StoredResource<ResourceGroupDocument> {
  const stored = services.store.get<ResourceGroupDocument>(
    resourceGroupId(services.subscriptionId, name),
  );
  if (stored === undefined) {
    throw new ArmError(
      404,
      "ResourceGroupNotFound",
      `Resource group '${name}' could not be found.`,
    );
  }
  return stored;
}

/** Creates the group if it is not there (the emulator's default registry needs one). */
export function ensureResourceGroup(
  services: EmulatorServices,
  name: string,
  location: string,
): void {
  const id = resourceGroupId(services.subscriptionId, name);
  if (services.store.get(id) === undefined) {
    services.store.put<ResourceGroupDocument>({
      id,
      type: RESOURCE_GROUP_TYPE,
      document: { location },
    });
  }
}

export function renderResourceGroup(
  stored: StoredResource<ResourceGroupDocument>,
): Record<string, unknown> {
  const segments = stored.id.split("/");
  const body: Record<string, unknown> = {
    id: stored.id,
    name: segments[segments.length - 1],
    type: RESOURCE_GROUP_TYPE,
    location: stored.document.location,
  };
  if (stored.document.managedBy !== undefined) {
    body.managedBy = stored.document.managedBy;
  }
  if (stored.document.tags !== undefined) {
    body.tags = stored.document.tags;
  }
  body.properties = { provisioningState: "Succeeded" };
  return body;
}

function putResourceGroup(request: EmulatorRequest, services: EmulatorServices) {
  const name = request.params.resourceGroupName ?? "";
  if (name.length > 90 || !NAME_PATTERN.test(name) || name.endsWith(".")) {
    throw new ArmError(
      400,
      "InvalidResourceGroupName",
      `The resource group name '${name}' is invalid. It can include alphanumeric, underscore, ` +
        "parentheses, hyphen, period (except at end), and Unicode characters that match the " +
        "allowed characters.",
    );
  }

  const body = (request.body ?? {}) as Record<string, unknown>;
  const id = resourceGroupId(services.subscriptionId, name);
  const existing = services.store.get<ResourceGroupDocument>(id);
  if (typeof body.location !== "string" || body.location === "") {
    throw new ArmError(
      400,
      "LocationRequired",
      "The location property is required for this definition.",
    );
  }
  if (
    existing !== undefined &&
    existing.document.location.toLowerCase() !== body.location.toLowerCase()
  ) {
    throw new ArmError(
      409,
      "InvalidResourceGroupLocation",
      `Invalid resource group location '${body.location}'. The Resource group already exists ` +
        `in location '${existing.document.location}'.`,
    );
  }

  const document: ResourceGroupDocument = { location: body.location };
  if (typeof body.tags === "object" && body.tags !== null) {
    document.tags = body.tags as Record<string, string>;
  }
  if (typeof body.managedBy === "string") {
    document.managedBy = body.managedBy;
  }
  services.store.put<ResourceGroupDocument>({ id, type: RESOURCE_GROUP_TYPE, document });
  const stored = services.store.get<ResourceGroupDocument>(id);
  return { status: existing === undefined ? 201 : 200, body: renderResourceGroup(stored!) };
}

/** What can be stored under a group: registries, everything under them, their admin users. */
const TYPES_IN_A_GROUP = [
  "Microsoft.ContainerRegistry/registries",
  "Microsoft.ContainerRegistry/registries/tasks",
  "Microsoft.ContainerRegistry/registries/runs",
  "Microsoft.ContainerRegistry/registries/taskRuns",
  "Microsoft.ContainerRegistry/registries/agentPools",
  "Acrtask.Emulator/registryAdmin",
];

function deleteGroupContents(services: EmulatorServices, groupId: string): void {
  for (const type of TYPES_IN_A_GROUP) {
    for (const resource of services.store.list(type, groupId)) {
      services.store.delete(resource.id);
    }
  }
}

export function registerResourceGroupRoutes(routes: RouteTable): void {
  routes.add("GET", GROUPS, (_request, services) => ({
    status: 200,
    body: {
      value: services.store
        .list<ResourceGroupDocument>(
          RESOURCE_GROUP_TYPE,
          `/subscriptions/${services.subscriptionId}`,
        )
        .map(renderResourceGroup),
    },
  }));

  routes.add("PUT", GROUP, putResourceGroup);

  routes.add("GET", GROUP, (request, services) => ({
    status: 200,
    body: renderResourceGroup(
      requireResourceGroup(services, request.params.resourceGroupName ?? ""),
    ),
  }));

  routes.add("HEAD", GROUP, (request, services) => {
    const id = resourceGroupId(services.subscriptionId, request.params.resourceGroupName ?? "");
    return { status: services.store.get(id) === undefined ? 404 : 204 };
  });

  routes.add("DELETE", GROUP, async (request, services) => {
    const id = resourceGroupId(services.subscriptionId, request.params.resourceGroupName ?? "");
    const group = services.store.get(id);
    if (group === undefined) {
      throw new ArmError(
        404,
        "ResourceGroupNotFound",
        `Resource group '${request.params.resourceGroupName}' could not be found.`,
      );
    }

    const registries = services.store.list("Microsoft.ContainerRegistry/registries", group.id);
    services.store.transaction(() => {
      deleteGroupContents(services, group.id);
      services.store.delete(group.id);
    });
    for (const registry of registries) {
      const name = registry.id.split("/").pop() ?? "";
      await services.registryProcesses?.remove(name);
    }
    if (registries.length > 0) {
      services.onRegistriesChanged?.();
    }
    return { status: 200 };
  });
}
