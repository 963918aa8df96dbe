import { run } from "../../../src/commands/cloud/list.js";
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

test("the built-in clouds, as az lists them", async () => {
  expect(azJson(await run({}, context))).toBe(azCapture("cloud-list-default").stdout);
});

test("custom clouds follow the built-in ones, the active one marked", async () => {
  await seedSignedIn(context);
  const clouds = (await run({}, context)) as { name: string; isActive: boolean }[];
  expect(clouds.map((cloud) => [cloud.name, cloud.isActive])).toEqual([
    ["AzureCloud", false],
    ["AzureChinaCloud", false],
    ["AzureUSGovernment", false],
    ["AzureGermanCloud", false],
    ["LocalStub", true],
  ]);
});
