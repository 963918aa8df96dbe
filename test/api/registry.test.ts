import nock from "nock";

import { createArmClient } from "../../src/azure/arm.js";
import { describeSdkError } from "../../src/azure/arm-errors.js";
import {
  MANAGED_REGISTRY_MESSAGES,
  resolveRegistry,
  stripLoginServerSuffix,
} from "../../src/azure/registry.js";
import { CliError } from "../../src/cli/errors.js";
import { firstErrorLine, loadCapture, replay, SUBSCRIPTION_NAME } from "./replay.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Runs the lookup against the answers of a capture; returns the registry or the error. */
async function lookUp(name: string, registryName: string, resourceGroup?: string, to?: number) {
  const session = replay(name, { to });
  const arm = await createArmClient(session.connection);
  const outcome = await resolveRegistry(arm, {
    registryName,
    resourceGroup,
    subscriptionName: SUBSCRIPTION_NAME,
    managedRegistryMessage: MANAGED_REGISTRY_MESSAGES.task,
  }).then(
    (registry) => ({ registry, error: undefined }),
    (error: unknown) => ({ registry: undefined, error }),
  );
  return { session, ...outcome };
}

describe("registry resolution, as az 2.45 does it", () => {
  test(
    "discovers the group through the resource listing and uses " + "it lower-cased (capture 01)",
    async () => {
      const { session, registry, error } = await lookUp("01-task-list-json", "myreg", undefined, 2);

      expect(error).toBeUndefined();
      expect(registry?.resourceGroup).toBe("myrg");
      expect(registry?.location).toBe("eastus");
      expect(registry?.path).toBe(
        "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/myrg/providers/Microsoft.ContainerRegistry/registries/myreg",
      );
      session.verify();
    },
  );

  test("follows the listing's nextLink the way the resources pager does", async () => {
    const { session, registry } = await lookUp("registry-paged", "myreg", undefined, 3);

    expect(registry?.resourceGroup).toBe("myrg");
    session.verify();
  });

  test("a registry missing from the subscription is a CLI error, exit 1 (capture 19)", async () => {
    const { session, error } = await lookUp("19-registry-not-found", "myreg");

    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(firstErrorLine(session.capture));
    expect((error as CliError).exitCode).toBe(session.capture.exitCode);
    session.verify();
  });

  test("without a subscription name the message names the current subscription", async () => {
    const session = replay("19-registry-not-found");
    const arm = await createArmClient(session.connection);

    await expect(resolveRegistry(arm, { registryName: "myreg" })).rejects.toThrow(
      "The resource with name 'myreg' and type 'Microsoft.ContainerRegistry/registries' " +
        "could not be found in the current subscription.",
    );
  });

  test("with -g the listing is skipped and a 404 is ARM's error, exit 3 (capture 20)", async () => {
    const { session, error } = await lookUp("20-registry-404-with-g", "myreg", "badrg");

    const report = describeSdkError(error);
    expect(`ERROR: ${report?.message}\n`).toBe(session.capture.stderr);
    expect(report?.exitCode).toBe(3);
    session.verify();
  });

  test("two registries of the same name in different groups", async () => {
    const { session, error } = await lookUp("registry-duplicate", "myreg");

    expect((error as CliError).message).toBe(firstErrorLine(session.capture));
    expect((error as CliError).exitCode).toBe(1);
    session.verify();
  });

  test("a Classic registry fails the SKU check with the group's message", async () => {
    const { session, error } = await lookUp("registry-classic", "myreg");

    expect((error as CliError).message).toBe(firstErrorLine(session.capture));
    session.verify();
  });

  test(
    "names match case-insensitively, the URL keeps the typed " + "name, the SKU is case-sensitive",
    async () => {
      const { session, error } = await lookUp("registry-case", "MYREG");

      expect((error as CliError).message).toBe(firstErrorLine(session.capture));
      session.verify();
    },
  );

  test("create skips the SKU check", async () => {
    const session = replay("registry-classic");
    const arm = await createArmClient(session.connection);

    const registry = await resolveRegistry(arm, { registryName: "myreg" });

    expect(registry.resourceGroup).toBe("myrg");
    session.verify();
  });
});

describe("the login-server suffix validator", () => {
  test("cuts the suffix and says so, as az does (capture registry-suffix)", () => {
    const capture = loadCapture("registry-suffix");

    const name = stripLoginServerSuffix("myreg.azurecr.io");

    expect(name.registryName).toBe("myreg");
    expect(`WARNING: ${name.warning}\n`).toBe(capture.stderr);
  });

  test.each([
    ["MyReg.AZURECR.IO", "MyReg.AZURECR.IO"],
    [".azurecr.io", ".azurecr.io"],
    ["a.azurecr.io.azurecr.io", "a"],
    ["myreg", "myreg"],
  ])("%s stays or becomes %s", (value, expected) => {
    expect(stripLoginServerSuffix(value).registryName).toBe(expected);
  });

  test("another cloud's suffix", () => {
    expect(stripLoginServerSuffix("r.azurecr.cn", ".azurecr.cn").registryName).toBe("r");
  });
});
