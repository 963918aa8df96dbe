// Registries, resource groups, subscriptions and the resources listing through the official
// SDK (@azure/arm-containerregistry 11.0.0 and @azure/identity), as a user of it would call them.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { RestError } from "@azure/core-rest-pipeline";

import { fetchToken, rawRequest, sdkClient, startTestEmulator } from "./server-harness.js";
import type { TestEmulator } from "./server-harness.js";

let harness: TestEmulator;
let token: string;

beforeAll(async () => {
  harness = await startTestEmulator();
  token = await fetchToken(harness);
});

afterAll(async () => {
  await harness.stop();
});

function arm(method: string, path: string, body?: unknown) {
  return rawRequest(harness, method, path, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The registries emulator.json lists now. */
function registriesInConfigFile(): string[] {
  const config = JSON.parse(readFileSync(join(harness.dataDir, "emulator.json"), "utf8")) as {
    registries: { name: string }[];
  };
  return config.registries.map((registry) => registry.name).sort();
}

async function createGroup(name: string): Promise<void> {
  const sub = harness.config.subscriptionId;
  const answer = await arm(
    "PUT",
    `/subscriptions/${sub}/resourcegroups/${name}?api-version=2021-04-01`,
    {
      location: "westus",
    },
  );
  expect(answer.status).toBe(201);
}

async function failure(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("the call succeeded");
}

test("the default registry is there and the SDK reads it", async () => {
  const client = await sdkClient(harness);
  const registry = await client.registries.get("myresourcegroup", "myregistry");

  expect(registry.id).toBe(
    `/subscriptions/${harness.config.subscriptionId}/resourceGroups/myresourcegroup` +
      "/providers/Microsoft.ContainerRegistry/registries/myregistry",
  );
  expect(registry.name).toBe("myregistry");
  expect(registry.type).toBe("Microsoft.ContainerRegistry/registries");
  expect(registry.location).toBe("westus");
  expect(registry.sku).toEqual({ name: "Standard", tier: "Standard" });
  expect(registry.loginServer).toBe("myregistry.azurecr.io");
  expect(registry.adminUserEnabled).toBe(true);
  expect(registry.provisioningState).toBe("Succeeded");
  expect(registry.creationDate).toBeInstanceOf(Date);
  expect(harness.config.registries).toEqual([
    { name: "myregistry", loginServer: "myregistry.azurecr.io", resourceGroup: "myresourcegroup" },
  ]);
});

test("names are matched without regard to case", async () => {
  const client = await sdkClient(harness, { tenant: "adfs" });
  const registry = await client.registries.get("MyResourceGroup", "MYREGISTRY");
  expect(registry.name).toBe("myregistry");
});

test("create, list, update, listCredentials and delete through the SDK", async () => {
  const client = await sdkClient(harness);
  await createGroup("rg-sdk");

  const created = await client.registries.beginCreateAndWait("rg-sdk", "SdkRegistry1", {
    location: "westus",
    sku: { name: "Basic" },
    tags: { team: "build" },
  });
  expect(created.name).toBe("SdkRegistry1");
  expect(created.loginServer).toBe("sdkregistry1.azurecr.io");
  expect(created.adminUserEnabled).toBe(false);
  expect(created.tags).toEqual({ team: "build" });
  expect(registriesInConfigFile()).toEqual(["SdkRegistry1", "myregistry"]);

  const inGroup = [];
  for await (const registry of client.registries.listByResourceGroup("rg-sdk")) {
    inGroup.push(registry.name);
  }
  expect(inGroup).toEqual(["SdkRegistry1"]);

  const everywhere = [];
  for await (const registry of client.registries.list()) {
    everywhere.push(registry.name);
  }
  expect(everywhere.sort()).toEqual(["SdkRegistry1", "myregistry"]);

  const disabled = await failure(client.registries.listCredentials("rg-sdk", "sdkregistry1"));
  expect(disabled.statusCode).toBe(400);
  expect(disabled.code).toBe("UnAuthorizedForCredentialOperations");

  const updated = await client.registries.beginUpdateAndWait("rg-sdk", "SdkRegistry1", {
    adminUserEnabled: true,
    sku: { name: "Premium" },
    tags: { team: "release" },
  });
  expect(updated.adminUserEnabled).toBe(true);
  expect(updated.sku.name).toBe("Premium");
  expect(updated.tags).toEqual({ team: "release" });
  expect(updated.systemData?.lastModifiedBy).toBe(harness.config.clientId);
  expect(updated.systemData?.lastModifiedByType).toBe("Application");

  const credentials = await client.registries.listCredentials("rg-sdk", "SdkRegistry1");
  expect(credentials.username).toBe("SdkRegistry1");
  expect(credentials.passwords?.map((password) => password.name)).toEqual([
    "password",
    "password2",
  ]);
  expect(credentials.passwords?.[0]?.value).toMatch(/^[A-Za-z0-9]{32}$/);

  await client.registries.beginDeleteAndWait("rg-sdk", "SdkRegistry1");
  expect(registriesInConfigFile()).toEqual(["myregistry"]);
  const missing = await failure(client.registries.get("rg-sdk", "SdkRegistry1"));
  expect(missing.statusCode).toBe(404);
  expect(missing.code).toBe("ResourceNotFound");
  expect(missing.message).toBe(
    "The Resource 'Microsoft.ContainerRegistry/registries/SdkRegistry1' under resource group " +
      "'rg-sdk' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
  );
});

test("name availability: free, taken (whatever the case) and invalid", async () => {
  const client = await sdkClient(harness);
  const type = "Microsoft.ContainerRegistry/registries";

  expect(await client.registries.checkNameAvailability({ name: "freshname1", type })).toEqual({
    nameAvailable: true,
  });
  expect(await client.registries.checkNameAvailability({ name: "MyRegistry", type })).toEqual({
    nameAvailable: false,
    reason: "AlreadyExists",
    message: "The registry MyRegistry is already in use.",
  });
  const invalid = await client.registries.checkNameAvailability({ name: "a-b", type });
  expect(invalid.nameAvailable).toBe(false);
  expect(invalid.reason).toBe("Invalid");
});

test("a registry needs its resource group, a free name and a known SKU", async () => {
  const client = await sdkClient(harness);

  const noGroup = await failure(
    client.registries.beginCreateAndWait("nogroup", "another1", {
      location: "westus",
      sku: { name: "Standard" },
    }),
  );
  expect(noGroup.statusCode).toBe(404);
  expect(noGroup.code).toBe("ResourceGroupNotFound");
  expect(noGroup.message).toBe("Resource group 'nogroup' could not be found.");

  await createGroup("rg-taken");
  const taken = await failure(
    client.registries.beginCreateAndWait("rg-taken", "MyRegistry", {
      location: "westus",
      sku: { name: "Standard" },
    }),
  );
  expect(taken.statusCode).toBe(409);
  expect(taken.code).toBe("AlreadyInUse");

  const badSku = await failure(
    client.registries.beginCreateAndWait("rg-taken", "another2", {
      location: "westus",
      sku: { name: "Classic" },
    }),
  );
  expect(badSku.statusCode).toBe(400);
  expect(badSku.code).toBe("InvalidSkuName");
});

test("a subscription other than the emulator's gets ARM's SubscriptionNotFound", async () => {
  const other = "00000000-1111-2222-3333-444444444444";
  const client = await sdkClient(harness, { subscriptionId: other });

  const error = await failure(client.registries.get("myresourcegroup", "myregistry"));
  expect(error.statusCode).toBe(404);
  expect(error.code).toBe("SubscriptionNotFound");
  expect(error.message).toBe(`The subscription '${other}' could not be found.`);
});

test("the resources listing finds registries by type and name, as az looks them up", async () => {
  const sub = harness.config.subscriptionId;
  const filter = encodeURIComponent("resourceType eq 'Microsoft.ContainerRegistry/registries'");
  const answer = await arm(
    "GET",
    `/subscriptions/${sub}/resources?$filter=${filter}&api-version=2021-04-01`,
  );

  expect(answer.status).toBe(200);
  expect(answer.json()).toEqual({
    value: [
      {
        id: `/subscriptions/${sub}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/myregistry`,
        name: "myregistry",
        type: "Microsoft.ContainerRegistry/registries",
        sku: { name: "Standard", tier: "Standard" },
        location: "westus",
        tags: {},
      },
    ],
  });

  const byName = encodeURIComponent(
    "resourceType eq 'Microsoft.Web/sites' and name eq 'myregistry'",
  );
  const none = await arm(
    "GET",
    `/subscriptions/${sub}/resources?$filter=${byName}&api-version=2021-04-01`,
  );
  expect(none.json()).toEqual({ value: [] });

  const bad = await arm(
    "GET",
    `/subscriptions/${sub}/resources?$filter=location%20gt%201&api-version=2021-04-01`,
  );
  expect(bad.status).toBe(400);
  expect((bad.json() as { error: { code: string } }).error.code).toBe("InvalidFilterInQueryString");
});

test("subscriptions, tenants and resource groups answer as Microsoft.Resources does", async () => {
  const { subscriptionId, tenantId } = harness.config;

  const subscriptions = (await arm("GET", "/subscriptions?api-version=2022-12-01")).json() as {
    value: Record<string, unknown>[];
  };
  expect(subscriptions.value).toHaveLength(1);
  expect(subscriptions.value[0]).toMatchObject({
    id: `/subscriptions/${subscriptionId}`,
    subscriptionId,
    tenantId,
    state: "Enabled",
  });

  const tenants = (await arm("GET", "/tenants?api-version=2022-12-01")).json() as {
    value: Record<string, unknown>[];
  };
  expect(tenants.value[0]).toMatchObject({ id: `/tenants/${tenantId}`, tenantId });

  const group = await arm(
    "GET",
    `/subscriptions/${subscriptionId}/resourcegroups/MYRESOURCEGROUP?api-version=2021-04-01`,
  );
  expect(group.json()).toEqual({
    id: `/subscriptions/${subscriptionId}/resourceGroups/myresourcegroup`,
    name: "myresourcegroup",
    type: "Microsoft.Resources/resourceGroups",
    location: "westus",
    properties: { provisioningState: "Succeeded" },
  });

  const head = await arm(
    "HEAD",
    `/subscriptions/${subscriptionId}/resourcegroups/absent?api-version=2021-04-01`,
  );
  expect(head.status).toBe(404);

  await createGroup("rg-doomed");
  const client = await sdkClient(harness);
  await client.registries.beginCreateAndWait("rg-doomed", "doomedreg1", {
    location: "westus",
    sku: { name: "Basic" },
  });
  const deleted = await arm(
    "DELETE",
    `/subscriptions/${subscriptionId}/resourcegroups/rg-doomed?api-version=2021-04-01`,
  );
  expect(deleted.status).toBe(200);
  const after = await failure(client.registries.get("rg-doomed", "doomedreg1"));
  expect(after.statusCode).toBe(404);
});
