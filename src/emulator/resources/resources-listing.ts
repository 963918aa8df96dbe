// Microsoft.Resources' generic resource list. az finds a registry's resource group through it
// (`$filter=resourceType eq 'Microsoft.ContainerRegistry/registries'`), so it lists registries
// in ARM's GenericResource shape, filtered by type and name as ARM's OData subset allows.

import { ArmError } from "../server/types.js";
import type { EmulatorRequest, EmulatorServices, RouteTable } from "../server/types.js";
import { requireResourceGroup } from "./resource-groups.js";
import type { RegistryDocument } from "./registries.js";
import { page, REGISTRY_TYPE } from "./shapes.js";

interface Filter {
  resourceType?: string;
  name?: string;
}

/** `resourceType eq 'x' and name eq 'y'` (either part alone too); anything else is refused. */
export function parseFilter(filter: string | null): Filter {
  const result: Filter = {};
  if (filter === null || filter.trim() === "") {
    return result;
  }

  for (const clause of filter.split(/\s+and\s+/i)) {
    const match = /^\s*(resourceType|name)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (match === null) {
      throw new ArmError(
        400,
        "InvalidFilterInQueryString",
        `Invalid $filter '${filter}' specified in the query string.`,
      );
    }
    const value = (match[2] ?? "").replace(/''/g, "'");
    if ((match[1] ?? "").toLowerCase() === "resourcetype") {
      result.resourceType = value;
    } else {
      result.name = value;
    }
  }
  return result;
}

function listResources(request: EmulatorRequest, services: EmulatorServices, parentId?: string) {
  const filter = parseFilter(request.query.get("$filter"));
  const wantsRegistries =
    filter.resourceType === undefined ||
    filter.resourceType.toLowerCase() === REGISTRY_TYPE.toLowerCase();

  const items = (
    wantsRegistries ? services.store.list<RegistryDocument>(REGISTRY_TYPE, parentId) : []
  )
    .filter((registry) =>
      filter.name === undefined
        ? true
        : registry.document.name.toLowerCase() === filter.name.toLowerCase(),
    )
    .map((registry) => ({
      id: registry.id,
      name: registry.document.name,
      type: REGISTRY_TYPE,
      sku: registry.document.sku,
      location: registry.document.location,
      tags: registry.document.tags ?? {},
    }));
  return { status: 200, body: page(items, request, services) };
}

export function registerResourcesListingRoutes(routes: RouteTable): void {
  routes.add("GET", "/subscriptions/{subscriptionId}/resources", (request, services) =>
    listResources(request, services, `/subscriptions/${services.subscriptionId}`),
  );
  routes.add(
    "GET",
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources",
    (request, services) => {
      const group = requireResourceGroup(services, request.params.resourceGroupName ?? "");
      return listResources(request, services, group.id);
    },
  );
}
