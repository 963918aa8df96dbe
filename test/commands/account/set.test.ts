import { readFileSync } from "node:fs";
import { join } from "node:path";

import { run } from "../../../src/commands/account/set.js";
import { run as show } from "../../../src/commands/account/show.js";
import {
  azCapture,
  azJson,
  fakeContext,
  seedSignedIn,
  type FakeContext,
} from "../../azure/fake-context.js";

let context: FakeContext;

beforeEach(async () => {
  context = fakeContext();
  await seedSignedIn(context);
});

afterEach(() => {
  context.cleanup();
});

test("an unknown subscription is az's error, with the name lower-cased as az does", async () => {
  await expect(run({ subscription: "SECOND" }, context)).rejects.toThrow(
    azCapture("account-set-unknown")
      .stderr.replace(/^ERROR: /, "")
      .trim(),
  );
});

test("makes the subscription the default and remembers it for the cloud", async () => {
  expect(await run({ subscription: "Second Sub" }, context)).toBeUndefined();
  expect(azJson(await show({}, context))).toBe(azCapture("account-show-after-set").stdout);
  expect(readFileSync(join(context.configDir, "clouds.config"), "utf8")).toContain(
    "subscription = 55555555-6666-7777-8888-999999999999",
  );
});

test("only subscriptions of the active cloud can be chosen", async () => {
  const other = fakeContext({ configDir: context.configDir });
  const { setActiveCloudName } = await import("../../../src/azure/clouds.js");
  setActiveCloudName(other.configDir, "AzureCloud");
  await expect(run({ subscription: "Stub Subscription" }, other)).rejects.toThrow(
    "The subscription of 'stub subscription' doesn't exist in cloud 'AzureCloud'.",
  );
});
