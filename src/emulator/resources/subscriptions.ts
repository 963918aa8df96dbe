// Microsoft.Resources subscriptions and tenants: the one subscription and tenant the emulator
// serves. `az login` lists subscriptions to build its profile; the tenants list is there for
// clients that ask which tenants a principal can reach.

import type { EmulatorServices, RouteTable } from "../server/types.js";
import { ArmError } from "../server/types.js";

export const SUBSCRIPTION_DISPLAY_NAME = "acrtask emulator";

export function subscriptionBody(services: EmulatorServices): Record<string, unknown> {
  return {
    id: `/subscriptions/${services.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: services.subscriptionId,
    tenantId: services.tenantId,
    displayName: SUBSCRIPTION_DISPLAY_NAME,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

function tenantBody(services: EmulatorServices): Record<string, unknown> {
  return {
    id: `/tenants/${services.tenantId}`,
    tenantId: services.tenantId,
    countryCode: "US",
    displayName: SUBSCRIPTION_DISPLAY_NAME,
    domains: ["acrtask.local"],
    tenantCategory: "Home",
    defaultDomain: "acrtask.local",
    tenantType: "AAD",
  };
}

export const EMULATOR_LOCATION = "westus";

export function registerSubscriptionRoutes(routes: RouteTable): void {
  routes.add("GET", "/subscriptions", (_request, services) => ({
    status: 200,
    body: { value: [subscriptionBody(services)], count: { type: "Total", value: 1 } },
  }));

  // The server has already answered any other subscription with ARM's SubscriptionNotFound.
  routes.add("GET", "/subscriptions/{subscriptionId}", (_request, services) => ({
    status: 200,
    body: subscriptionBody(services),
  }));

  routes.add("GET", "/subscriptions/{subscriptionId}/locations", (_request, services) => ({
    status: 200,
    body: {
      value: [
        {
          id: `/subscriptions/${services.subscriptionId}/locations/${EMULATOR_LOCATION}`,
          name: EMULATOR_LOCATION,
          displayName: "West US",
          regionalDisplayName: "(US) West US",
          metadata: { regionType: "Physical", regionCategory: "Other", geographyGroup: "US" },
        },
      ],
    },
  }));

  routes.add("GET", "/tenants", (_request, services) => ({
    status: 200,
    body: { value: [tenantBody(services)] },
  }));

  routes.add("GET", "/tenants/{tenantId}", (request, services) => {
    if (request.params.tenantId?.toLowerCase() !== services.tenantId.toLowerCase()) {
      throw new ArmError(
        404,
        "TenantNotFound",
        `The tenant '${request.params.tenantId}' could not be found.`,
      );
    }
    return { status: 200, body: tenantBody(services) };
  });
}
