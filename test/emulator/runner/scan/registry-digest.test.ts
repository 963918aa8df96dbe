import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { newImageReference } from "../../../../src/emulator/runner/scan/reference.js";
import {
  parseChallenge,
  resolveRegistryDigest,
} from "../../../../src/emulator/runner/scan/registry-digest.js";

const NODE_DIGEST = `sha256:${"1".repeat(64)}`;
const MANIFEST = '{"schemaVersion":2}';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

describe("resolveRegistryDigest (spec §6.4, BuildKit builds)", () => {
  let server: Server;
  let registry: string;
  const requests: { method?: string; url?: string; authorization?: string; accept?: string }[] = [];

  function record(request: IncomingMessage) {
    requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
    });
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      record(request);
      const authorization = request.headers.authorization;

      if (request.url?.startsWith("/token")) {
        const withCredentials = authorization === basic("user", "secret");
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ token: withCredentials ? "user-token" : "anonymous-token" }));
        return;
      }

      if (request.url === "/v2/library/node/manifests/16") {
        if (authorization !== "Bearer anonymous-token" && authorization !== "Bearer user-token") {
          response.statusCode = 401;
          response.setHeader(
            "www-authenticate",
            `Bearer realm="http://${registry}/token",service="test-registry",scope="repository:library/node:pull"`,
          );
          response.end();
          return;
        }
        response.setHeader("docker-content-digest", NODE_DIGEST);
        response.end();
        return;
      }

      if (request.url === "/v2/private/app/manifests/latest") {
        if (authorization !== basic("user", "secret")) {
          response.statusCode = 401;
          response.setHeader("www-authenticate", 'Basic realm="registry"');
          response.end();
          return;
        }
        response.end(request.method === "GET" ? MANIFEST : undefined);
        return;
      }

      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests.length = 0;
  });

  const plain = { scheme: () => "http" as const };

  test(
    "a bearer challenge is answered anonymously and the " + "Docker-Content-Digest is taken",
    async () => {
      const digest = await resolveRegistryDigest(
        newImageReference(`${registry}/library/node:16`),
        plain,
      );

      expect(digest).toBe(NODE_DIGEST);
      expect(requests.map((request) => request.method)).toEqual(["HEAD", "GET", "HEAD"]);
      expect(requests[1].url).toBe(
        "/token?service=test-registry&scope=repository%3Alibrary%2Fnode%3Apull",
      );
      expect(requests[1].authorization).toBeUndefined();
      expect(requests[0].accept).toContain(
        "application/vnd.docker.distribution.manifest.list.v2+json",
      );
    },
  );

  test("the run's credentials for the registry get the token", async () => {
    await resolveRegistryDigest(newImageReference(`${registry}/library/node:16`), {
      ...plain,
      credentials: { [registry]: { username: "user", password: "secret" } },
    });
    expect(requests[1].authorization).toBe(basic("user", "secret"));
    expect(requests[2].authorization).toBe("Bearer user-token");
  });

  test(
    "a basic challenge with credentials, and a digest computed " +
      "from the manifest when not sent",
    async () => {
      const digest = await resolveRegistryDigest(newImageReference(`${registry}/private/app`), {
        ...plain,
        credentials: { [registry]: { username: "user", password: "secret" } },
      });
      expect(digest).toBe(`sha256:${createHash("sha256").update(MANIFEST).digest("hex")}`);
      expect(requests.map((request) => request.method)).toEqual(["HEAD", "HEAD", "GET"]);
    },
  );

  test("a missing image fails with the resolver's error", async () => {
    const reference = newImageReference(`${registry}/nothing/here:1`);
    await expect(resolveRegistryDigest(reference, plain)).rejects.toThrow(
      `Failed to Resolve the reference '${registry}/nothing/here:1': ` +
        `${registry}/nothing/here:1: not found`,
    );
  });

  test("credentials without a password are refused before any request", async () => {
    const reference = newImageReference(`${registry}/library/node:16`);
    await expect(
      resolveRegistryDigest(reference, {
        ...plain,
        credentials: { [registry]: { username: "user", password: "" } },
      }),
    ).rejects.toThrow(`error fetching credentials for '${registry}'`);
    expect(requests).toEqual([]);
  });

  test(
    "a local registry taken for a Docker Hub namespace cannot be " + "resolved (faithful to acb)",
    async () => {
      const reference = newImageReference("localhost:5000/base:1");
      await expect(resolveRegistryDigest(reference, plain)).rejects.toThrow(
        "Failed to parse the reference localhost:5000/base:1: invalid reference format",
      );
    },
  );
});

describe("parseChallenge", () => {
  test("scheme and parameters, quoted or not", () => {
    expect(
      parseChallenge('Bearer realm="https://auth.docker.io/token",service=registry.docker.io'),
    ).toEqual({
      scheme: "bearer",
      parameters: { realm: "https://auth.docker.io/token", service: "registry.docker.io" },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({
      scheme: "basic",
      parameters: { realm: "x" },
    });
  });
});
