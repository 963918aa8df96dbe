import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { run } from "../../../src/commands/cloud/register.js";
import { run as show } from "../../../src/commands/cloud/show.js";
import { azCapture, azJson, fakeContext, type FakeContext } from "../../azure/fake-context.js";

const ARM = "https://127.0.0.1:18443";

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

const fullRegistration = {
  name: "LocalStub",
  endpointResourceManager: `${ARM}/`,
  endpointActiveDirectory: `${ARM}/adfs`,
  endpointActiveDirectoryResourceId: "https://management.local.test/",
  endpointActiveDirectoryGraphResourceId: "https://graph.local.test/",
  suffixAcrLoginServerEndpoint: ".azurecr.io",
};

test("every endpoint given: no output; twice is az's error", async () => {
  expect(await run(fullRegistration, context)).toBeUndefined();
  expect(azJson(await show({ name: "LocalStub" }, context))).toBe(
    azCapture("cloud-show").stdout.replace('"isActive": true', '"isActive": false'),
  );
  await expect(run(fullRegistration, context)).rejects.toThrow(error("cloud-register-again"));
});

test("the Resource Manager endpoint alone: the rest comes from the metadata document", async () => {
  // A real local server, not nock: nock reads a request path starting with "//" as a host
  // name, and az's metadata URL has one. No other test here makes a request.
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? "");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        galleryEndpoint: `${base}/gallery/`,
        graphEndpoint: "https://graph.local.test/",
        authentication: {
          loginEndpoint: `${base}/adfs`,
          audiences: ["https://management.local.test/"],
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await run(
      {
        name: "Short",
        endpointResourceManager: `${base}/`,
        suffixAcrLoginServerEndpoint: ".azurecr.io",
      },
      context,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }

  expect(paths).toEqual(["//metadata/endpoints?api-version=2015-01-01"]);
  expect(azJson(await show({ name: "Short" }, context))).toBe(
    azCapture("cloud-show-short").stdout.replaceAll(ARM, base),
  );
});

test("missing endpoints and unparsable --cloud-config are az's errors", async () => {
  await expect(run({ name: "Incomplete" }, context)).rejects.toThrow(
    error("cloud-register-missing"),
  );
  await expect(run({ name: "Bad", cloudConfig: "notjson" }, context)).rejects.toThrow(
    error("cloud-register-bad-config"),
  );
});

test("--cloud-config replaces the other arguments", async () => {
  await run(
    {
      name: "Cfg",
      endpointResourceManager: "https://ignored/",
      cloudConfig: JSON.stringify({
        endpoints: {
          resourceManager: `${ARM}/`,
          activeDirectory: `${ARM}/adfs`,
          activeDirectoryResourceId: "https://m/",
          activeDirectoryGraphResourceId: "https://g/",
        },
        suffixes: { acrLoginServerEndpoint: "azurecr.x" },
      }),
    },
    context,
  );
  const cloud = (await show({ name: "Cfg" }, context)) as {
    endpoints: Record<string, string>;
    suffixes: Record<string, string>;
  };
  expect(cloud.endpoints.resourceManager).toBe(`${ARM}/`);
  expect(cloud.suffixes.acrLoginServerEndpoint).toBe("azurecr.x");
});
