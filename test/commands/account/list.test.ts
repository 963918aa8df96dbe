import { run, tableTransformer } from "../../../src/commands/account/list.js";
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

function warningsOf(capture: string): string[] {
  return azCapture(capture)
    .stderr.split("\n")
    .filter((line) => line.startsWith("WARNING: "))
    .map((line) => line.slice("WARNING: ".length));
}

test("not signed in: an empty list and az's warning", async () => {
  expect(azJson(await run({}, context))).toBe(azCapture("account-list-logged-out").stdout);
  expect(context.warnings).toEqual(warningsOf("account-list-logged-out"));
});

test("enabled subscriptions only, with az's warning", async () => {
  await seedSignedIn(context);
  expect(azJson(await run({}, context))).toBe(azCapture("account-list").stdout);
  expect(context.warnings).toEqual(warningsOf("account-list"));
});

test("--all: every subscription of every cloud, no warning", async () => {
  await seedSignedIn(context);
  expect(azJson(await run({ all: true }, context))).toBe(azCapture("account-list-all").stdout);
  expect(context.warnings).toEqual([]);
});

test("the table columns az shows", async () => {
  await seedSignedIn(context);
  expect(tableTransformer(await run({}, context))).toEqual([
    {
      Name: "Stub Subscription",
      CloudName: "LocalStub",
      SubscriptionId: "00000000-1111-2222-3333-444444444444",
      TenantId: "72f988bf-0000-4000-8000-00000000aaaa",
      State: "Enabled",
      IsDefault: true,
    },
  ]);
  // The capture's header line names the same columns in the same order.
  expect(azCapture("account-list-table").stdout.split("\n")[0].split(/\s+/)).toEqual([
    "Name",
    "CloudName",
    "SubscriptionId",
    "TenantId",
    "State",
    "IsDefault",
  ]);
});
