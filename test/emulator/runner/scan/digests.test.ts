import type { ImageDependencies } from "../../../../src/emulator/runner/scan/dependencies.js";
import {
  digestFromRepoDigests,
  parseRepoDigestsOutput,
  populateDigests,
  remoteDigestReference,
  repoDigestLookup,
  repoDigestPrefix,
  repoDigestsInspectArgs,
} from "../../../../src/emulator/runner/scan/digests.js";
import {
  newImageReference,
  type ImageReference,
} from "../../../../src/emulator/runner/scan/reference.js";

const X = "sha256:69d6b9a450c69bde2005885fb4f850ded96596b9dd1949f4313b376e7518841d";
const Y = "sha256:466d0a05ecb1e5b9890960592311fa10c2bc6012fc27dbfdcc74abf10fc324fc";
const G = "sha256:c2a9d25b77b9a7439e56efffa916e43eda09db4f7b78526082443f9c2ee18dc0";

function reference(fields: Partial<ImageReference>): ImageReference {
  return { registry: "", repository: "", tag: "", digest: "", reference: "", ...fields };
}

describe("digestFromRepoDigests (spec T-S6, acr-builder's RepoDigests tables)", () => {
  const acbRepoDigests = [
    `testing.azurecr-test.io/testing@${X}`,
    `acrimageshub.azurecr.io/public/acr/acb@${X}`,
    `mcr.microsoft.com/acr/acb@${X}`,
  ];

  test.each([
    ["testing.azurecr-test.io", "testing", X],
    ["acrimageshub.azurecr.io", "public/acr/acb", X],
    ["mcr.microsoft.com", "acr/acb", X],
    ["invalid", "invalid", ""],
  ])("registry %s, repository %s", (registry, repository, digest) => {
    expect(digestFromRepoDigests(acbRepoDigests, reference({ registry, repository }))).toBe(digest);
  });

  test.each([
    [
      `registry.hub.docker.com/library/node@${Y}`,
      "registry.hub.docker.com/library/node:16",
      "library/node",
      Y,
    ],
    [`node@${Y}`, "node:16", "library/node", Y],
    [`node@${Y}`, "library/node:16", "library/node", Y],
    [`grafana/grafana@${G}`, "grafana/grafana:latest", "grafana/grafana", G],
    [
      `registry.hub.docker.com/grafana/grafana@${G}`,
      "registry.hub.docker.com/grafana/grafana:latest",
      "grafana/grafana",
      G,
    ],
  ])("Docker Hub: %s for %s", (repoDigest, written, repository, digest) => {
    const hub = reference({ registry: "registry.hub.docker.com", repository, reference: written });
    expect(digestFromRepoDigests([repoDigest], hub)).toBe(digest);
  });

  test("the prefixes acb looks for", () => {
    expect(repoDigestPrefix(newImageReference("node:16"))).toBe("node@");
    expect(repoDigestPrefix(newImageReference("grafana/grafana:latest"))).toBe("grafana/grafana@");
    expect(repoDigestPrefix(newImageReference("localhost:5000/foo:1"))).toBe("localhost:5000/foo@");
    expect(repoDigestPrefix(newImageReference("registry.local:5000/foo:1"))).toBe(
      "registry.local:5000/foo@",
    );
    expect(repoDigestPrefix(newImageReference("registry.hub.docker.com/library/node:16"))).toBe(
      "registry.hub.docker.com/library/node@",
    );
  });

  test("a locally built image that was never pushed has no RepoDigests, so no digest", () => {
    expect(digestFromRepoDigests([], newImageReference("myregistry.azurecr.io/app:1"))).toBe("");
  });
});

describe("parseRepoDigestsOutput", () => {
  test("the literal quotes of the format and the newline are trimmed", () => {
    expect(parseRepoDigestsOutput(`"["node@${Y}"]"\n`)).toEqual([`node@${Y}`]);
    expect(parseRepoDigestsOutput('"[]"\n')).toEqual([]);
    expect(parseRepoDigestsOutput("null\n")).toEqual([]);
  });

  test("output that is not a JSON list gives no digests and a log line", () => {
    const messages: string[] = [];
    expect(parseRepoDigestsOutput("garbage\n", (message) => messages.push(message))).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^Error deserializing garbage to json, error: /);
  });
});

describe("repoDigestsInspectArgs", () => {
  test("acb's inspect container, the format argument with its literal quotes", () => {
    expect(
      repoDigestsInspectArgs("node:16", { homeVolume: "home", dockerCliImage: "docker" }),
    ).toEqual([
      "run",
      "--rm",
      "--volume",
      "/var/run/docker.sock:/var/run/docker.sock",
      "--volume",
      "home:/acb/home",
      "--env",
      "HOME=/acb/home",
      "docker",
      "inspect",
      "--format",
      '"{{json .RepoDigests}}"',
      "node:16",
    ]);
  });
});

describe("repoDigestLookup", () => {
  test("a successful inspect is parsed", async () => {
    const lookup = repoDigestLookup(async () => ({ output: `"["node@${Y}"]"\n` }));
    await expect(lookup("node:16")).resolves.toEqual([`node@${Y}`]);
  });

  test("a failed inspect is acb's `failed to query digests` error", async () => {
    const lookup = repoDigestLookup(async () => ({
      output: "Error: No such object: app:1\n",
      error: "exit status 1",
    }));
    await expect(lookup("app:1")).rejects.toThrow(
      "failed to query digests, msg: Error: No such object: app:1\n: exit status 1",
    );
  });
});

function entry(tag: string, runtime: string, buildtime: string[]): ImageDependencies {
  return {
    image: tag === "" ? null : newImageReference(tag),
    runtime: newImageReference(runtime),
    buildtime: buildtime.map((name) => newImageReference(name)),
    gitHeadRevision: "",
  };
}

describe("populateDigests", () => {
  test(
    "image, runtime, then each build-time dependency, per entry; " + "scratch is never inspected",
    async () => {
      const inspected: string[] = [];
      const entries = [
        entry("myregistry.azurecr.io/app:1", "scratch:latest", ["golang:1.21", "node:20"]),
        entry("myregistry.azurecr.io/app:latest", "scratch:latest", ["golang:1.21", "node:20"]),
      ];

      await populateDigests(entries, {
        inspectRepoDigests: async (name) => {
          inspected.push(name);
          const repository = name.split(":")[0];
          return [`${repository}@sha256:${name.length.toString().padStart(64, "0")}`];
        },
      });

      expect(inspected).toEqual([
        "myregistry.azurecr.io/app:1",
        "golang:1.21",
        "node:20",
        "myregistry.azurecr.io/app:latest",
        "golang:1.21",
        "node:20",
      ]);
      expect(entries[0].image?.digest).toBe(`sha256:${"27".padStart(64, "0")}`);
      expect(entries[0].runtime.digest).toBe("");
      expect(entries[0].buildtime[0].digest).toBe(`sha256:${"11".padStart(64, "0")}`);
    },
  );

  test("an image built but never pushed keeps an empty digest", async () => {
    const entries = [entry("myregistry.azurecr.io/app:1", "alpine:3.19", [])];
    await populateDigests(entries, {
      inspectRepoDigests: async (name) => (name === "alpine:3.19" ? [`alpine@${Y}`] : []),
    });
    expect(entries[0].image?.digest).toBe("");
    expect(entries[0].runtime.digest).toBe(Y);
  });

  test("a digest already in the name is not looked up again", async () => {
    const inspected: string[] = [];
    const entries = [entry("", `alpine@${Y}`, [])];
    await populateDigests(entries, {
      inspectRepoDigests: async (name) => {
        inspected.push(name);
        return [];
      },
    });
    expect(inspected).toEqual([]);
    expect(entries[0].runtime.digest).toBe(Y);
  });

  test(
    "T-S13: an image that does not exist fails digest " + "population, and it stops there",
    async () => {
      const inspected: string[] = [];
      const entries = [entry("myregistry.azurecr.io/app:1", "alpine:3.19", [])];
      const lookup = repoDigestLookup(async (name) => {
        inspected.push(name);
        return { output: `Error: No such object: ${name}\n`, error: "exit status 1" };
      });

      await expect(populateDigests(entries, { inspectRepoDigests: lookup })).rejects.toThrow(
        "failed to query digests, msg: Error: No such object: " +
          "myregistry.azurecr.io/app:1\n: exit status 1",
      );
      expect(inspected).toEqual(["myregistry.azurecr.io/app:1"]);
    },
  );

  test(
    "with BuildKit the base images are resolved remotely, the " + "built image still locally",
    async () => {
      const inspected: string[] = [];
      const resolved: string[] = [];
      const entries = [
        entry("myregistry.azurecr.io/app:1", "scratch", [
          "golang",
          "mcr.microsoft.com/dotnet/sdk:8.0",
        ]),
      ];

      await populateDigests(entries, {
        inspectRepoDigests: async (name) => {
          inspected.push(name);
          return [`myregistry.azurecr.io/app@${X}`];
        },
        resolveRemoteDigest: async (dependency) => {
          resolved.push(remoteDigestReference(dependency));
          return G;
        },
      });

      expect(inspected).toEqual(["myregistry.azurecr.io/app:1"]);
      expect(entries[0].image?.digest).toBe(X);
      expect(resolved).toEqual([
        "registry.hub.docker.com/library/scratch:latest",
        "registry.hub.docker.com/library/golang:latest",
        "mcr.microsoft.com/dotnet/sdk:8.0",
      ]);
      expect(entries[0].buildtime.map((dependency) => dependency.digest)).toEqual([G, G]);
    },
  );

  test("the remote lookup skips scratch:latest", async () => {
    const resolved: string[] = [];
    const entries = [entry("", "scratch:latest", [])];
    await populateDigests(entries, {
      inspectRepoDigests: async () => [],
      resolveRemoteDigest: async (dependency) => {
        resolved.push(dependency.reference);
        return G;
      },
    });
    expect(resolved).toEqual([]);
  });
});
