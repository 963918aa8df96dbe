import { run } from "../../../src/commands/cloud/set.js";
import { run as show } from "../../../src/commands/account/show.js";
import { run as register } from "../../../src/commands/cloud/register.js";
import { activeCloudName, getCloud } from "../../../src/azure/clouds.js";
import {
  azCapture,
  fakeContext,
  seedSignedIn,
  type FakeContext,
} from "../../azure/fake-context.js";

let context: FakeContext;

beforeEach(() => {
  context = fakeContext();
});

afterEach(() => {
  context.cleanup();
});

function warningsOf(capture: string): string[] {
  return azCapture(capture)
    .stderr.split("\n")
    .filter((line) => line.startsWith("WARNING: "))
    .map((line) => line.slice("WARNING: ".length));
}

test("switching to a cloud nobody signed in to", async () => {
  await register(
    {
      name: "LocalStub",
      endpointResourceManager: "https://127.0.0.1:18443/",
      endpointActiveDirectory: "https://127.0.0.1:18443/adfs",
      endpointActiveDirectoryResourceId: "https://management.local.test/",
      endpointActiveDirectoryGraphResourceId: "https://graph.local.test/",
    },
    context,
  );
  expect(await run({ name: "LocalStub" }, context)).toBeUndefined();
  expect(context.warnings).toEqual(warningsOf("cloud-set"));
  expect(activeCloudName(context.configDir)).toBe("LocalStub");
});

test("away and back: the cloud's last subscription becomes the default again", async () => {
  await seedSignedIn(context);
  const { run: setAccount } = await import("../../../src/commands/account/set.js");
  await setAccount({ subscription: "Second Sub" }, context);

  await run({ name: "azurecloud" }, context);
  expect(context.warnings).toEqual(warningsOf("cloud-set-azure"));
  await expect(show({}, context)).rejects.toThrow(
    azCapture("account-show-logged-out").stderr.slice(7).trim(),
  );

  context.warnings.length = 0;
  await run({ name: "localstub" }, context);
  expect(context.warnings).toEqual(warningsOf("cloud-set-back"));
  expect(((await show({}, context)) as { name: string }).name).toBe("Second Sub");
});

test("the active cloud again: nothing to say", async () => {
  await run({ name: "AzureCloud" }, context);
  expect(context.warnings).toEqual([]);
});

test("an unknown cloud, and a profile set along the way", async () => {
  await expect(run({ name: "nope" }, context)).rejects.toThrow(
    "The cloud 'nope' is not registered.",
  );
  await run({ name: "AzureChinaCloud", profile: "2019-03-01-hybrid" }, context);
  expect(getCloud(context.configDir, "AzureChinaCloud").profile).toBe("2019-03-01-hybrid");
});
