import { run } from "../../../src/commands/cloud/show.js";
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

test("the active cloud by default", async () => {
  expect(azJson(await run({}, context))).toBe(azCapture("cloud-show-default").stdout);
  await seedSignedIn(context);
  expect(azJson(await run({}, context))).toBe(azCapture("cloud-show").stdout);
});

test("a cloud by its exact name only", async () => {
  await expect(run({ name: "azurecloud" }, context)).rejects.toThrow(
    "The cloud 'azurecloud' is not registered.",
  );
});
