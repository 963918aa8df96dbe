import {
  newImageReference,
  normalizeImageTag,
  parseReference,
} from "../../../../src/emulator/runner/scan/reference.js";

describe("newImageReference (spec T-S5, acr-builder's reference table)", () => {
  test.each([
    [
      "registry.hub.docker.com/library/node:16",
      "registry.hub.docker.com",
      "library/node",
      "16",
      "registry.hub.docker.com/library/node:16",
    ],
    ["library/node:16", "registry.hub.docker.com", "library/node", "16", "library/node:16"],
    ["node:16", "registry.hub.docker.com", "library/node", "16", "node:16"],
    [
      "myregistry.azurecr.io/myorg/myimage:mytag",
      "myregistry.azurecr.io",
      "myorg/myimage",
      "mytag",
      "myregistry.azurecr.io/myorg/myimage:mytag",
    ],
    [
      "myorg/myimage:mytag",
      "registry.hub.docker.com",
      "myorg/myimage",
      "mytag",
      "myorg/myimage:mytag",
    ],
    [
      "registry.hub.docker.com/myorg/myimage:mytag",
      "registry.hub.docker.com",
      "myorg/myimage",
      "mytag",
      "registry.hub.docker.com/myorg/myimage:mytag",
    ],
  ])("%s", (name, registry, repository, tag, reference) => {
    expect(newImageReference(name)).toEqual({ registry, repository, tag, digest: "", reference });
  });

  test("a domain without a dot, even with a port, is taken for a Docker Hub namespace", () => {
    expect(newImageReference("localhost:5000/foo")).toEqual({
      registry: "registry.hub.docker.com",
      repository: "localhost:5000/foo",
      tag: "",
      digest: "",
      reference: "localhost:5000/foo",
    });
    expect(newImageReference("localhost:5000/foo:1")).toMatchObject({
      registry: "registry.hub.docker.com",
      repository: "localhost:5000/foo",
      tag: "1",
    });
  });

  test("a domain with a dot and a port is the registry", () => {
    expect(newImageReference("registry.local:5000/foo:latest")).toMatchObject({
      registry: "registry.local:5000",
      repository: "foo",
      tag: "latest",
    });
  });

  test("a digest in the name fills the digest; the reference keeps it", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(newImageReference(`mcr.microsoft.com/dotnet/sdk@${digest}`)).toEqual({
      registry: "mcr.microsoft.com",
      repository: "dotnet/sdk",
      tag: "",
      digest,
      reference: `mcr.microsoft.com/dotnet/sdk@${digest}`,
    });
    expect(newImageReference(`node:16@${digest}`)).toMatchObject({ tag: "16", digest });
  });

  test("scratch becomes Docker Hub's library/scratch", () => {
    expect(newImageReference(normalizeImageTag("scratch"))).toEqual({
      registry: "registry.hub.docker.com",
      repository: "library/scratch",
      tag: "latest",
      digest: "",
      reference: "scratch:latest",
    });
  });

  test.each([
    [
      "Hello-World:latest",
      "Failed to parse image reference, ensure tags have a valid format: " +
        "Hello-World:latest: invalid reference format: repository name must be lowercase",
    ],
    [
      ":latest",
      "Failed to parse image reference, ensure tags have a valid format: :latest: " +
        "invalid reference format",
    ],
    [
      "",
      "Failed to parse image reference, ensure tags have a valid format: : repository " +
        "name must have at least one component",
    ],
    [
      "node@sha256:abc0123456789abc0123456789abc0123",
      "Failed to parse image reference, ensure tags have a valid format: " +
        "node@sha256:abc0123456789abc0123456789abc0123: invalid checksum digest length",
    ],
    [
      `node@md5:${"a".repeat(32)}`,
      `Failed to parse image reference, ensure tags have a valid format: ` +
        `node@md5:${"a".repeat(32)}: unsupported digest algorithm`,
    ],
  ])("refuses %j with acb's message", (name, message) => {
    expect(() => newImageReference(name)).toThrow(message);
  });
});

describe("parseReference (docker/distribution grammar, not normalised)", () => {
  test("the first of several components is the domain", () => {
    expect(parseReference("myorg/x")).toEqual({ domain: "myorg", path: "x", tag: "", digest: "" });
    expect(parseReference("foo/foo_bar.com:8080")).toEqual({
      domain: "foo",
      path: "foo_bar.com",
      tag: "8080",
      digest: "",
    });
    expect(parseReference("a/b/c:d")).toEqual({ domain: "a", path: "b/c", tag: "d", digest: "" });
  });

  test("a single component has no domain", () => {
    expect(parseReference("golang:1.10-alpine")).toEqual({
      domain: "",
      path: "golang",
      tag: "1.10-alpine",
      digest: "",
    });
  });

  test("a name longer than 255 characters is refused", () => {
    expect(() => parseReference(`${"a".repeat(256)}:latest`)).toThrow(
      "repository name must not be more than 255 characters",
    );
  });

  test("a tag longer than 128 characters is an invalid format", () => {
    expect(() => parseReference(`a:${"b".repeat(129)}`)).toThrow("invalid reference format");
  });
});

describe("normalizeImageTag", () => {
  test.each([
    ["node", "node:latest"],
    ["node:16", "node:16"],
    [`node@sha256:${"a".repeat(64)}`, `node@sha256:${"a".repeat(64)}`],
    ["localhost:5000/foo", "localhost:5000/foo"],
    ["myregistry.azurecr.io/hello-world", "myregistry.azurecr.io/hello-world:latest"],
  ])("%s → %s", (name, normalized) => {
    expect(normalizeImageTag(name)).toBe(normalized);
  });
});
