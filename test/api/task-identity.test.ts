import nock from "nock";

import {
  assignTaskIdentity,
  removeTaskIdentity,
  showTaskIdentity,
} from "../../src/api/task-identity.js";
import { fakeCredential, SUBSCRIPTION_ID } from "./replay.js";
import { runOperation } from "./run-operation.js";

jest.mock("../../src/api/shape.js", () => ({
  azShape: (schema: string, wire: unknown) => ({ schema, wire }),
}));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const mytask = { registry: "myreg", name: "mytask" };
const UAMI =
  "/subscriptions/x/resourcegroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";

describe("task identity show", () => {
  test("the identity of listDetails", async () => {
    const outcome = await runOperation("identity-show", showTaskIdentity, mytask);

    const task = outcome.capture.answers[2].body as { identity: unknown };
    expect(outcome.result).toEqual({ schema: "IdentityProperties", wire: task.identity });
  });

  test("{} when the task has none", async () => {
    const outcome = await runOperation("identity-show-none", showTaskIdentity, mytask);

    expect(outcome.result).toEqual(JSON.parse(outcome.capture.stdout));
  });
});

describe("task identity assign", () => {
  test.each([
    ["identity-assign", ["[system]", UAMI]],
    ["identity-assign-default", undefined],
    ["identity-assign-bare", []],
    ["identity-assign-all", ["[all]"]],
  ])("%s sends az's PATCH and returns the task", async (name, identities) => {
    const outcome = await runOperation(name, assignTaskIdentity, { ...mytask, identities });

    expect(outcome.result).toEqual({
      schema: "TaskFromInitialResponse",
      wire: outcome.capture.answers[2].body,
    });
  });
});

describe("task identity remove (az 2.45 crashes; this does what its code means)", () => {
  const registryPath = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/MyRG/providers/Microsoft.ContainerRegistry/registries/myreg`;
  const taskPath = `${registryPath}/tasks/mytask?api-version=2019-06-01-preview`;
  const id1 =
    "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  const id2 =
    "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2";

  /** A registry, a task with `identity`, and the PATCH body the removal sends. */
  async function remove(identity: unknown, identities?: string[]) {
    const sent: unknown[] = [];
    const scope = nock("https://management.azure.com")
      .get(`${registryPath}?api-version=2022-02-01-preview`)
      .reply(200, { sku: { name: "Standard" }, location: "eastus" });
    if (!identities?.includes("[all]")) {
      scope
        .post(`${registryPath}/tasks/mytask/listDetails?api-version=2019-06-01-preview`)
        .reply(200, {
          name: "mytask",
          identity,
        });
    }
    scope.patch(taskPath, (body) => sent.push(body) > 0).reply(200, { name: "mytask" });

    const connection = {
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com",
    };
    const result = await removeTaskIdentity(connection, {
      ...mytask,
      resourceGroup: "MyRG",
      identities,
    });

    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({ schema: "TaskFromInitialResponse", wire: { name: "mytask" } });
    return sent[0];
  }

  const both = {
    type: "SystemAssigned, UserAssigned",
    userAssignedIdentities: { [id1]: { principalId: "p1" }, [id2]: { principalId: "p2" } },
  };

  test("no identities: the system identity goes, the user-assigned ones stay", async () => {
    expect(await remove(both)).toEqual({ identity: { type: "UserAssigned" } });
  });

  test("[system] on a task with only a system identity leaves none", async () => {
    expect(await remove({ type: "SystemAssigned" }, ["[system]"])).toEqual({
      identity: { type: "None" },
    });
  });

  test(
    "a user-assigned id goes with a null, the rest stays (ids " + "compare case-insensitively)",
    async () => {
      expect(await remove(both, [id1.toLowerCase()])).toEqual({
        identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [id1]: null } },
      });
    },
  );

  test("the last user-assigned id and the system identity together leave none", async () => {
    expect(await remove(both, ["[system]", id1, id2])).toEqual({ identity: { type: "None" } });
  });

  test("[all] needs no read", async () => {
    expect(await remove(undefined, ["[all]"])).toEqual({ identity: { type: "None" } });
  });

  test("[all] with anything else is refused, as az's code says", async () => {
    const scope = nock("https://management.azure.com")
      .get(`${registryPath}?api-version=2022-02-01-preview`)
      .reply(200, { sku: { name: "Standard" } });
    const connection = {
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com",
    };

    await expect(
      removeTaskIdentity(connection, {
        ...mytask,
        resourceGroup: "MyRG",
        identities: ["[all]", id1],
      }),
    ).rejects.toThrow("Cannot specify additional identities when [all] is used in [--identities]");
    expect(scope.isDone()).toBe(true);
  });

  test("the registry lookup comes first, as in az (capture 17 stops after it)", async () => {
    const outcome = await runOperation("17-identity-remove-crash", removeTaskIdentity, {
      ...mytask,
      identities: ["[all]", id1],
    });

    expect(outcome.error?.exitCode).toBe(1);
  });
});
