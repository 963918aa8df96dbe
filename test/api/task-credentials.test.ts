import nock from "nock";

import {
  addTaskCredential,
  listTaskCredentials,
  removeTaskCredential,
  updateTaskCredential,
} from "../../src/api/task-credentials.js";
import { expectAzError, runOperation } from "./run-operation.js";

jest.mock("../../src/api/shape.js", () => ({
  azShape: (schema: string, wire: unknown) => ({ schema, wire }),
}));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const mytask = { registry: "myreg", name: "mytask" };

/** What the operation returns for a task's credentials: each entry shaped, nulls kept. */
function shapedMap(task: unknown) {
  const map = (
    task as { properties: { credentials: { customRegistries: Record<string, unknown> } } }
  ).properties.credentials.customRegistries;
  return Object.fromEntries(
    Object.entries(map).map(([server, value]) => [
      server,
      value === null ? null : { schema: "CustomRegistryCredentials", wire: value },
    ]),
  );
}

describe("task credential list", () => {
  test("the customRegistries map of listDetails", async () => {
    const outcome = await runOperation("credential-list", listTaskCredentials, mytask);

    expect(outcome.result).toEqual(shapedMap(outcome.capture.answers[2].body));
  });

  test.each([
    ["credential-list-nocred", {}],
    ["credential-list-emptymap", {}],
  ])("%s: {} as az prints it", async (name, expected) => {
    const outcome = await runOperation(name, listTaskCredentials, mytask);

    expect(outcome.result).toEqual(expected);
    expect(outcome.result).toEqual(JSON.parse(outcome.capture.stdout));
  });

  test("a credentials object without a map: nothing, as az prints nothing", async () => {
    const outcome = await runOperation("credential-list-empty", listTaskCredentials, mytask);

    expect(outcome.capture.stdout).toBe("");
    expect(outcome.result).toBeUndefined();
  });
});

describe("task credential add, update, remove", () => {
  test(
    "add: user name and a Key Vault password (matched " + "case-insensitively), identity",
    async () => {
      const outcome = await runOperation("credential-add", addTaskCredential, {
        ...mytask,
        loginServer: "new.azurecr.io",
        username: "bob",
        password: "https://KV.VAULT.AZURE.NET/secrets/pw",
        useIdentity: "[system]",
      });

      expect(outcome.result).toEqual(shapedMap(outcome.capture.answers[3].body));
    },
  );

  test.each([
    [
      "credential-add-identity",
      { loginServer: "id.azurecr.io", useIdentity: "00000000-0000-0000-0000-000000000001" },
    ],
    ["credential-add-nothing", { loginServer: "bare.azurecr.io" }],
  ])("%s sends az's PATCH", async (name, options) => {
    const outcome = await runOperation(name, addTaskCredential, { ...mytask, ...options });

    expect(outcome.error).toBeUndefined();
  });

  test("add to a task without credentials returns {} (its answer has none)", async () => {
    const outcome = await runOperation("credential-add-nocred", addTaskCredential, {
      ...mytask,
      loginServer: "new.azurecr.io",
      username: "a",
      password: "b",
    });

    expect(outcome.result).toEqual(JSON.parse(outcome.capture.stdout));
  });

  test("add whose answer has a credentials object without a map returns nothing", async () => {
    const outcome = await runOperation("credential-add-emptyresult", addTaskCredential, {
      ...mytask,
      loginServer: "new.azurecr.io",
      username: "a",
      password: "b",
    });

    expect(outcome.capture.stdout).toBe("");
    expect(outcome.result).toBeUndefined();
  });

  test("add of a login server that has credentials already", async () => {
    const outcome = await runOperation("credential-add-exists", addTaskCredential, {
      ...mytask,
      loginServer: "other.azurecr.io",
      username: "a",
      password: "b",
    });

    expectAzError(outcome);
  });

  test("update of an existing login server", async () => {
    const outcome = await runOperation("credential-update", updateTaskCredential, {
      ...mytask,
      loginServer: "other.azurecr.io",
      password: "newpw",
    });

    expect(outcome.result).toEqual(shapedMap(outcome.capture.answers[3].body));
  });

  test("update of an unknown login server (the match is case-sensitive)", async () => {
    const outcome = await runOperation("credential-update-missing", updateTaskCredential, {
      ...mytask,
      loginServer: "Other.azurecr.io",
      password: "x",
    });

    expectAzError(outcome);
  });

  test("remove sends a null for the login server, without reading the task", async () => {
    const outcome = await runOperation("credential-remove", removeTaskCredential, {
      ...mytask,
      loginServer: "other.azurecr.io",
    });

    expect(outcome.result).toEqual(shapedMap(outcome.capture.answers[2].body));
  });
});
