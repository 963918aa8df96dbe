import { run } from "../../../src/commands/account/show.js";
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

test("not signed in", async () => {
  await expect(run({}, context)).rejects.toMatchObject({
    message: "Please run 'az login' to setup account.",
    exitCode: azCapture("account-show-logged-out").rc,
  });
});

test("the default subscription, as az prints it", async () => {
  await seedSignedIn(context);
  expect(azJson(await run({}, context))).toBe(azCapture("account-show").stdout);
});

test("by name, case-insensitively, or az's error", async () => {
  await seedSignedIn(context);
  expect(azJson(await run({ subscription: "second SUB" }, context))).toBe(
    azCapture("account-show-by-name").stdout,
  );
  await expect(run({ subscription: "nope" }, context)).rejects.toThrow(
    azCapture("account-show-unknown")
      .stderr.replace(/^ERROR: /, "")
      .trim(),
  );
});

test("the global --subscription is honoured too", async () => {
  await seedSignedIn(context);
  const withGlobal = fakeContext({
    configDir: context.configDir,
    globals: { subscription: "55555555-6666-7777-8888-999999999999" },
  });
  expect(((await run({}, withGlobal)) as { name: string }).name).toBe("Second Sub");
});

test("environment credentials stand in when nobody signed in", async () => {
  const withEnvironment = fakeContext({
    configDir: context.configDir,
    env: {
      AZURE_CLIENT_ID: "app",
      AZURE_TENANT_ID: "tenant",
      AZURE_CLIENT_SECRET: "secret",
      AZURE_SUBSCRIPTION_ID: "sub-1",
    },
  });
  expect(await run({}, withEnvironment)).toEqual({
    id: "sub-1",
    name: "sub-1",
    state: "Enabled",
    user: { name: "app", type: "servicePrincipal" },
    isDefault: true,
    tenantId: "tenant",
    environmentName: "AzureCloud",
  });
});
