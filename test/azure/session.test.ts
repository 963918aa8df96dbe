import nock from "nock";

import { resetTokenStores } from "../../src/azure/credentials.js";
import {
  getArmSession,
  getCloud,
  getCredential,
  getSubscription,
  isKnownSubscription,
  sdkClientOptions,
} from "../../src/azure/session.js";
import { HTTP_DEBUG_POLICY_NAME } from "../../src/azure/http-debug.js";
import {
  TEST_CLIENT,
  TEST_TENANT,
  fakeContext,
  seedSignedIn,
  type FakeContext,
} from "./fake-context.js";

let context: FakeContext;

beforeAll(() => {
  nock.disableNetConnect();
});

afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(() => {
  resetTokenStores();
  context = fakeContext();
});

afterEach(() => {
  nock.cleanAll();
  context.cleanup();
});

test("the public cloud's endpoints", () => {
  const cloud = getCloud(context);
  expect({ ...cloud, cloud: undefined }).toEqual({
    name: "AzureCloud",
    resourceManager: "https://management.azure.com",
    activeDirectory: "https://login.microsoftonline.com",
    authorityHost: "https://login.microsoftonline.com",
    armAudience: "https://management.core.windows.net/",
    armScopes: ["https://management.core.windows.net//.default"],
    acrLoginServerSuffix: ".azurecr.io",
    cloud: undefined,
  });
});

test("a custom ADFS cloud's endpoints", async () => {
  await seedSignedIn(context, "https://arm.local.test");
  expect(getCloud(context)).toMatchObject({
    name: "LocalStub",
    resourceManager: "https://arm.local.test",
    authorityHost: "https://arm.local.test",
    armScopes: ["https://management.local.test//.default"],
  });
});

test("the subscription: --subscription, then the default", async () => {
  await seedSignedIn(context);
  expect(getSubscription(context).name).toBe("Stub Subscription");
  const named = fakeContext({
    configDir: context.configDir,
    globals: { subscription: "SECOND sub" },
  });
  expect(getSubscription(named).id).toBe("55555555-6666-7777-8888-999999999999");
  expect(isKnownSubscription(context, "second sub")).toBe(true);
  expect(isKnownSubscription(context, "nope")).toBe(false);
  const unknown = fakeContext({ configDir: context.configDir, globals: { subscription: "nope" } });
  expect(() => getSubscription(unknown)).toThrow(
    "Subscription 'nope' not found. Check the spelling and casing and try again.",
  );
});

describe("environment credentials", () => {
  const env = {
    AZURE_CLIENT_ID: "env-app",
    AZURE_TENANT_ID: TEST_TENANT,
    AZURE_CLIENT_SECRET: "env-secret",
    AZURE_SUBSCRIPTION_ID: "env-sub",
  };

  test("sign in without a login, with no managed identity probe", async () => {
    const withEnvironment = fakeContext({ configDir: context.configDir, env });
    const forms: URLSearchParams[] = [];
    const entra = nock("https://login.microsoftonline.com")
      .post(`/${TEST_TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply((_uri, body) => {
        forms.push(new URLSearchParams(String(body)));
        return [200, { token_type: "Bearer", expires_in: 3599, access_token: "env-token" }];
      });

    const session = await getArmSession(withEnvironment);
    expect(session.subscriptionId).toBe("env-sub");
    expect(session.endpoint).toBe("https://management.azure.com");
    expect((await session.credential.getToken(session.credentialScopes))?.token).toBe("env-token");
    expect(forms[0].get("client_id")).toBe("env-app");
    expect(forms[0].get("client_secret")).toBe("env-secret");
    expect(entra.isDone()).toBe(true);
  });

  test("without a subscription id they say what is missing", () => {
    const withoutSubscription: NodeJS.ProcessEnv = { ...env };
    delete withoutSubscription.AZURE_SUBSCRIPTION_ID;
    expect(() =>
      getSubscription(fakeContext({ configDir: context.configDir, env: withoutSubscription })),
    ).toThrow(
      "No subscription found. Set AZURE_SUBSCRIPTION_ID or pass --subscription with a " +
        "subscription id.",
    );
  });

  test("a stored login wins over them", async () => {
    await seedSignedIn(context);
    const both = fakeContext({ configDir: context.configDir, env });
    expect(getSubscription(both).user.name).toBe(TEST_CLIENT);
  });
});

test("one credential per context and account", async () => {
  await seedSignedIn(context);
  expect(await getCredential(context)).toBe(await getCredential(context));
});

test("SDK client options carry the --debug policy only with --debug", () => {
  expect(sdkClientOptions(context).additionalPolicies).toEqual([]);
  const debugging = fakeContext({ configDir: context.configDir, globals: { debug: true } });
  const options = sdkClientOptions(debugging);
  expect(options.additionalPolicies.map(({ policy, position }) => [policy.name, position])).toEqual(
    [[HTTP_DEBUG_POLICY_NAME, "perRetry"]],
  );
  expect(options.credentialScopes).toEqual(["https://management.core.windows.net//.default"]);
});
