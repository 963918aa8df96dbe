import { run } from "../../../src/commands/cloud/update.js";
import { run as show } from "../../../src/commands/cloud/show.js";
import {
  azCapture,
  azJson,
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

test("changes the active cloud by default, as az does", async () => {
  await seedSignedIn(context);
  expect(await run({ suffixAcrLoginServerEndpoint: ".azurecr.local" }, context)).toBeUndefined();
  const cloud = (await show({ name: "LocalStub" }, context)) as { suffixes: unknown };
  expect(azJson(cloud.suffixes)).toBe(azCapture("cloud-show-updated").stdout);
});

test("an unknown cloud", async () => {
  await expect(
    run(
      {
        name: "Nope",
        endpointResourceManager: "https://a/",
        endpointActiveDirectory: "https://l/adfs",
        endpointActiveDirectoryResourceId: "https://m/",
        endpointActiveDirectoryGraphResourceId: "https://g/",
      },
      context,
    ),
  ).rejects.toThrow("The cloud 'Nope' is not registered.");
});
