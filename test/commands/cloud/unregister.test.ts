import { run } from "../../../src/commands/cloud/unregister.js";
import { run as register } from "../../../src/commands/cloud/register.js";
import { isCloudRegistered } from "../../../src/azure/clouds.js";
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

const error = (capture: string): string =>
  azCapture(capture)
    .stderr.replace(/^ERROR: /, "")
    .trimEnd();

test("a custom cloud that is not active", async () => {
  await register(
    {
      name: "Short",
      endpointResourceManager: "https://a/",
      endpointActiveDirectory: "https://l/adfs",
      endpointActiveDirectoryResourceId: "https://m/",
      endpointActiveDirectoryGraphResourceId: "https://g/",
    },
    context,
  );
  expect(await run({ name: "Short" }, context)).toBeUndefined();
  expect(isCloudRegistered(context.configDir, "Short")).toBe(false);
  await expect(run({ name: "Short" }, context)).rejects.toThrow(error("cloud-unregister-again"));
});

test("never the active cloud, never a built-in one", async () => {
  await seedSignedIn(context);
  await expect(run({ name: "LocalStub" }, context)).rejects.toThrow(
    error("cloud-unregister-active"),
  );
  await expect(run({ name: "AzureChinaCloud" }, context)).rejects.toThrow(
    error("cloud-unregister-builtin"),
  );
});
