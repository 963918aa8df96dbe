// Microsoft.ContainerRegistry registries: create, show, list (subscription and group), update,
// delete, listCredentials and name availability, in the shapes the registry API answers with.
// Each registry is a real distribution registry when the emulator runs them; its login server is
// then that process's address.

import { randomBytes } from "node:crypto";

import { ArmError } from "../server/types.js";
import type {
  EmulatorRequest,
  EmulatorResponse,
  EmulatorServices,
  RegistryAdmin,
  RouteTable,
} from "../server/types.js";
import type { StoredResource } from "../store/types.js";
import { requireResourceGroup } from "./resource-groups.js";
import {
  callerOf,
  createdSystemData,
  isObject,
  modifiedSystemData,
  page,
  REGISTRY_TYPE,
} from "./shapes.js";
import type { Caller, Json, SystemData } from "./shapes.js";

const PROVIDER = "providers/Microsoft.ContainerRegistry";
const REGISTRIES_IN_SUBSCRIPTION = `/subscriptions/{subscriptionId}/${PROVIDER}/registries`;
const REGISTRIES_IN_GROUP = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/${PROVIDER}/registries`;
const REGISTRY = `${REGISTRIES_IN_GROUP}/{registryName}`;

/** Where the admin user of a registry run without a process is kept. */
export const REGISTRY_ADMIN_TYPE = "Acrtask.Emulator/registryAdmin";

/** The child types deleted with their registry. */
const CHILD_TYPES = [
  "Microsoft.ContainerRegistry/registries/tasks",
  "Microsoft.ContainerRegistry/registries/runs",
  "Microsoft.ContainerRegistry/registries/taskRuns",
  "Microsoft.ContainerRegistry/registries/agentPools",
  REGISTRY_ADMIN_TYPE,
];

const NAME_PATTERN = /^[a-zA-Z0-9]{5,50}$/;
const SKUS = ["Basic", "Standard", "Premium"];

/** The login-server suffix of registries without a process (`<name>.azurecr.io`). */
export const ACR_LOGIN_SUFFIX = ".azurecr.io";

export interface RegistryDocument extends Json {
  sku: { name: string; tier: string };
  type: string;
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  systemData: SystemData;
  properties: Json;
}

export interface CreateRegistryInput {
  resourceGroupName: string;
  name: string;
  location: string;
  sku: string;
  adminUserEnabled?: boolean;
  tags?: Record<string, string>;
}

function registryId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/${PROVIDER}/registries/${name}`;
}

/** A registry's creationDate: round-trip format with trailing zeros trimmed and `Z`. */
function creationDate(instant: Date): string {
  const iso = instant.toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 19)}${fraction === "" ? "" : `.${fraction}`}Z`;
}

function registryNotFound(resourceGroup: string, name: string): ArmError {
  return new ArmError(
    404,
    "ResourceNotFound",
    `The Resource '${REGISTRY_TYPE}/${name}' under resource group '${resourceGroup}' was not ` +
      "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
  );
}

function findStored(
  services: EmulatorServices,
  resourceGroup: string,
  name: string,
): StoredResource<RegistryDocument> | undefined {
  return services.store.get<RegistryDocument>(
    registryId(services.subscriptionId, resourceGroup, name),
  );
}

/** Any registry of that name in the subscription (names are global on Azure). */
function findByName(
  services: EmulatorServices,
  name: string,
): StoredResource<RegistryDocument> | undefined {
  return services.store
    .list<RegistryDocument>(REGISTRY_TYPE)
    .find((registry) => registry.document.name.toLowerCase() === name.toLowerCase());
}

function checkSku(sku: unknown): string {
  const name = isObject(sku) && typeof sku.name === "string" ? sku.name : undefined;
  const known = SKUS.find((candidate) => candidate.toLowerCase() === name?.toLowerCase());
  if (name === undefined) {
    throw new ArmError(400, "InvalidRequestContent", "The 'sku' property is required.", "sku");
  }
  if (known === undefined) {
    throw new ArmError(
      400,
      "InvalidSkuName",
      `The SKU '${name}' is invalid. Valid SKUs are: ${SKUS.join(", ")}.`,
      "sku",
    );
  }
  return known;
}

function checkRegistryName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new ArmError(
      400,
      "InvalidResourceName",
      `Resource name '${name}' is invalid. The name must contain only alpha numeric ` +
        "characters and be between 5 and 50 characters.",
      "registryName",
    );
  }
}

/** Creates a registry (starting its process when the emulator runs them). */
export async function createRegistry(
  services: EmulatorServices,
  input: CreateRegistryInput,
  caller: Caller = { name: "emulator", type: "Application" },
): Promise<StoredResource<RegistryDocument>> {
  const group = requireResourceGroup(services, input.resourceGroupName);
  const groupName = group.id.split("/")[4] ?? input.resourceGroupName;
  const id = registryId(services.subscriptionId, groupName, input.name);
  const now = services.now();
  const at = creationDate(now);

  const admin = services.registryProcesses
    ? await services.registryProcesses.start(input.name)
    : undefined;
  const loginServer = admin?.loginServer ?? `${input.name.toLowerCase()}${ACR_LOGIN_SUFFIX}`;

  const document: RegistryDocument = {
    sku: { name: input.sku, tier: input.sku },
    type: REGISTRY_TYPE,
    id,
    name: input.name,
    location: input.location,
    tags: input.tags ?? {},
    systemData: createdSystemData(caller, at.replace(/Z$/, "+00:00")),
    properties: {
      loginServer,
      creationDate: at,
      provisioningState: "Succeeded",
      adminUserEnabled: input.adminUserEnabled ?? false,
      policies: {
        quarantinePolicy: { status: "disabled" },
        trustPolicy: { type: "Notary", status: "disabled" },
        retentionPolicy: {
          days: 7,
          lastUpdatedTime: at.replace(/Z$/, "+00:00"),
          status: "disabled",
        },
        exportPolicy: { status: "enabled" },
        azureADAuthenticationAsArmPolicy: { status: "enabled" },
      },
      encryption: { status: "disabled" },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      publicNetworkAccess: "Enabled",
      networkRuleBypassOptions: "AzureServices",
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: "Disabled",
      anonymousPullEnabled: false,
      metadataSearch: "Disabled",
      roleAssignmentMode: "LegacyRegistryPermissions",
    },
  };

  services.store.transaction(() => {
    services.store.put<RegistryDocument>({ id, type: REGISTRY_TYPE, document });
    if (admin === undefined) {
      services.store.put<RegistryAdmin>({
        id: `${id}/emulatorAdmin/default`,
        type: REGISTRY_ADMIN_TYPE,
        document: { username: input.name, passwords: [newPassword(), newPassword()] },
      });
    }
  });
  services.onRegistriesChanged?.();
  return services.store.get<RegistryDocument>(id)!;
}

function newPassword(): string {
  return randomBytes(24).toString("base64").replace(/\+/g, "A").replace(/\//g, "B");
}

/** The body the API returns: the stored document, id and name in their stored casing. */
export function renderRegistry(stored: StoredResource<RegistryDocument>): RegistryDocument {
  return { ...stored.document, id: stored.id };
}

async function putRegistry(
  request: EmulatorRequest,
  services: EmulatorServices,
): Promise<EmulatorResponse> {
  const { resourceGroupName = "", registryName = "" } = request.params;
  checkRegistryName(registryName);
  const body = isObject(request.body) ? request.body : {};
  const existing = findStored(services, resourceGroupName, registryName);

  if (existing === undefined) {
    requireResourceGroup(services, resourceGroupName);
    if (findByName(services, registryName) !== undefined) {
      throw alreadyInUse(registryName);
    }
    if (typeof body.location !== "string" || body.location === "") {
      throw new ArmError(
        400,
        "LocationRequired",
        "The location property is required for this definition.",
      );
    }
    const properties = isObject(body.properties) ? body.properties : {};
    const created = await createRegistry(
      services,
      {
        resourceGroupName,
        name: registryName,
        location: body.location,
        sku: checkSku(body.sku),
        adminUserEnabled: properties.adminUserEnabled === true,
        tags: isObject(body.tags) ? (body.tags as Record<string, string>) : undefined,
      },
      callerOf(request),
    );
    return { status: 200, body: renderRegistry(created) };
  }

  return { status: 200, body: renderRegistry(applyUpdate(request, services, existing, body)) };
}

function alreadyInUse(name: string): ArmError {
  return new ArmError(
    409,
    "AlreadyInUse",
    `The registry DNS name ${name.toLowerCase()}${ACR_LOGIN_SUFFIX} is already in use. You can ` +
      "check if the name is already claimed using following API: " +
      "https://docs.microsoft.com/en-us/rest/api/containerregistry/registries/checknameavailability",
  );
}

/** PATCH (and PUT over an existing registry): tags, sku and the settable properties. */
function applyUpdate(
  request: EmulatorRequest,
  services: EmulatorServices,
  stored: StoredResource<RegistryDocument>,
  body: Json,
): StoredResource<RegistryDocument> {
  const document: RegistryDocument = JSON.parse(
    JSON.stringify(stored.document),
  ) as RegistryDocument;

  if (isObject(body.tags)) {
    document.tags = body.tags as Record<string, string>;
  }
  if (body.sku !== undefined) {
    const sku = checkSku(body.sku);
    document.sku = { name: sku, tier: sku };
  }
  if (
    typeof body.location === "string" &&
    body.location.toLowerCase() !== document.location.toLowerCase()
  ) {
    throw new ArmError(
      400,
      "LocationNotAvailableForResourceType",
      `The registry '${document.name}' is in location '${document.location}'; it cannot be moved ` +
        `to '${body.location}'.`,
    );
  }

  const properties = isObject(body.properties) ? body.properties : {};
  for (const key of [
    "adminUserEnabled",
    "anonymousPullEnabled",
    "dataEndpointEnabled",
    "publicNetworkAccess",
    "networkRuleBypassOptions",
    "networkRuleBypassAllowedForTasks",
    "metadataSearch",
    "roleAssignmentMode",
  ]) {
    if (properties[key] !== undefined) {
      document.properties[key] = properties[key];
    }
  }
  if (isObject(properties.policies) && isObject(document.properties.policies)) {
    document.properties.policies = { ...document.properties.policies, ...properties.policies };
  }

  const at = creationDate(services.now()).replace(/Z$/, "+00:00");
  document.systemData = modifiedSystemData(document.systemData, callerOf(request), at);
  services.store.put<RegistryDocument>({ id: stored.id, type: REGISTRY_TYPE, document });
  return services.store.get<RegistryDocument>(stored.id)!;
}

async function deleteRegistry(
  request: EmulatorRequest,
  services: EmulatorServices,
): Promise<EmulatorResponse> {
  const { resourceGroupName = "", registryName = "" } = request.params;
  requireResourceGroup(services, resourceGroupName);
  const stored = findStored(services, resourceGroupName, registryName);
  if (stored === undefined) {
    return { status: 204 };
  }

  services.store.transaction(() => {
    for (const type of CHILD_TYPES) {
      for (const child of services.store.list(type, stored.id)) {
        services.store.delete(child.id);
      }
    }
    services.store.delete(stored.id);
  });
  await services.registryProcesses?.remove(stored.document.name);
  services.onRegistriesChanged?.();
  return { status: 200 };
}

async function listCredentials(
  request: EmulatorRequest,
  services: EmulatorServices,
): Promise<EmulatorResponse> {
  const { resourceGroupName = "", registryName = "" } = request.params;
  const stored = findStored(services, resourceGroupName, registryName);
  if (stored === undefined) {
    throw registryNotFound(resourceGroupName, registryName);
  }
  if (stored.document.properties.adminUserEnabled !== true) {
    throw new ArmError(
      400,
      "UnAuthorizedForCredentialOperations",
      `Cannot perform credential operations for ${stored.id} as admin user is disabled. Kindly ` +
        "enable admin user as per docs: https://docs.microsoft.com/en-us/azure/container-registry/" +
        "container-registry-authentication#admin-account",
    );
  }

  const admin =
    (await services.registryProcesses?.credentials(stored.document.name)) ??
    services.store.get<RegistryAdmin>(`${stored.id}/emulatorAdmin/default`)?.document;
  if (admin === undefined) {
    throw new ArmError(500, "InternalServerError", "The registry's admin user is missing.");
  }
  return {
    status: 200,
    body: {
      username: admin.username,
      passwords: [
        { name: "password", value: admin.passwords[0] },
        { name: "password2", value: admin.passwords[1] },
      ],
    },
  };
}

function checkNameAvailability(
  request: EmulatorRequest,
  services: EmulatorServices,
): EmulatorResponse {
  const body = isObject(request.body) ? request.body : {};
  const name = typeof body.name === "string" ? body.name : "";
  if (typeof body.type !== "string" || body.type.toLowerCase() !== REGISTRY_TYPE.toLowerCase()) {
    throw new ArmError(
      400,
      "InvalidResourceType",
      `The resource type '${String(body.type ?? "")}' is not supported; use '${REGISTRY_TYPE}'.`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    return {
      status: 200,
      body: {
        nameAvailable: false,
        reason: "Invalid",
        message:
          "The specified resource name is invalid. It must contain only alpha numeric " +
          "characters and be between 5 and 50 characters.",
      },
    };
  }
  if (findByName(services, name) !== undefined) {
    return {
      status: 200,
      body: {
        nameAvailable: false,
        reason: "AlreadyExists",
        message: `The registry ${name} is already in use.`,
      },
    };
  }
  return { status: 200, body: { nameAvailable: true } };
}

export function registerRegistryRoutes(routes: RouteTable): void {
  routes.add("GET", REGISTRIES_IN_SUBSCRIPTION, (request, services) => ({
    status: 200,
    body: page(
      services.store.list<RegistryDocument>(REGISTRY_TYPE).map(renderRegistry),
      request,
      services,
    ),
  }));

  routes.add("GET", REGISTRIES_IN_GROUP, (request, services) => {
    const group = requireResourceGroup(services, request.params.resourceGroupName ?? "");
    const registries = services.store.list<RegistryDocument>(REGISTRY_TYPE, group.id);
    return { status: 200, body: page(registries.map(renderRegistry), request, services) };
  });

  routes.add("PUT", REGISTRY, putRegistry);

  routes.add("GET", REGISTRY, (request, services) => {
    const { resourceGroupName = "", registryName = "" } = request.params;
    const stored = findStored(services, resourceGroupName, registryName);
    if (stored === undefined) {
      throw registryNotFound(resourceGroupName, registryName);
    }
    return { status: 200, body: renderRegistry(stored) };
  });

  routes.add("PATCH", REGISTRY, (request, services) => {
    const { resourceGroupName = "", registryName = "" } = request.params;
    const stored = findStored(services, resourceGroupName, registryName);
    if (stored === undefined) {
      throw registryNotFound(resourceGroupName, registryName);
    }
    const body = isObject(request.body) ? request.body : {};
    return { status: 200, body: renderRegistry(applyUpdate(request, services, stored, body)) };
  });

  routes.add("DELETE", REGISTRY, deleteRegistry);
  routes.add("POST", `${REGISTRY}/listCredentials`, listCredentials);
  routes.add(
    "POST",
    `/subscriptions/{subscriptionId}/${PROVIDER}/checkNameAvailability`,
    checkNameAvailability,
  );
}
