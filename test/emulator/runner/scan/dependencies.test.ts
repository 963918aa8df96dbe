import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  newImageDependencies,
  scanBuildDependencies,
  scannedDockerfilePath,
  SCAN_PROCESS_ERROR,
  ScanError,
  type ScanSource,
} from "../../../../src/emulator/runner/scan/dependencies.js";
import { directorySource } from "../../../../src/emulator/runner/scan/source.js";

const FIXTURES = join(__dirname, "../../../fixtures/runner-scan");

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** The files of a step, by path relative to its working directory; records what was read. */
function memorySource(files: Record<string, string>): ScanSource & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    async readFile(path) {
      read.push(path);
      return files[path];
    },
  };
}

/** The `build:` line of a task file, after the alias pass has replaced `$Registry` and `$ID`. */
function buildLine(taskFile: string, registry: string, runId: string): string {
  const match = /^\s*-?\s*build:\s*(.+)$/m.exec(taskFile);
  if (!match) {
    throw new Error("no build step in the task file");
  }
  return match[1]
    .replace(/\$Registry/g, registry)
    .replace(/\$ID/g, runId)
    .trim();
}

describe("scanBuildDependencies", () => {
  test(
    "T-S7: the WeatherService build's --build-arg values " +
      "override the Dockerfile's ARG defaults",
    async () => {
      const build = buildLine(
        fixture("acr-tasks__build-aspnetapp_WeatherService__acb.yaml"),
        "myregistry.azurecr.io",
        "cab",
      );
      const source = memorySource({
        Dockerfile: fixture("acr-tasks__build-aspnetapp_WeatherService__Dockerfile"),
      });

      const entries = await scanBuildDependencies({ build, source, stepId: "acb_step_2" });

      expect(source.read).toEqual(["Dockerfile"]);
      expect(entries).toEqual([
        {
          image: {
            registry: "myregistry.azurecr.io",
            repository: "weatherservice",
            tag: "cab",
            digest: "",
            reference: "myregistry.azurecr.io/weatherservice:cab",
          },
          runtime: {
            registry: "myregistry.azurecr.io",
            repository: "dotnet/core/aspnet",
            tag: "3.1-buster-slim",
            digest: "",
            reference: "myregistry.azurecr.io/dotnet/core/aspnet:3.1-buster-slim",
          },
          buildtime: [
            {
              registry: "myregistry.azurecr.io",
              repository: "dotnet/core/sdk",
              tag: "3.1-buster",
              digest: "",
              reference: "myregistry.azurecr.io/dotnet/core/sdk:3.1-buster",
            },
          ],
          gitHeadRevision: "",
        },
      ]);
    },
  );

  test("without --build-arg the WeatherService Dockerfile's own defaults are used", async () => {
    const source = memorySource({
      Dockerfile: fixture("acr-tasks__build-aspnetapp_WeatherService__Dockerfile"),
    });

    const [entry] = await scanBuildDependencies({ build: "-t ws .", source, stepId: "s" });

    expect(entry.runtime.reference).toBe("mcr.microsoft.com/dotnet/core/aspnet:3.1-buster-slim");
    expect(entry.buildtime.map((dependency) => dependency.reference)).toEqual([
      "mcr.microsoft.com/dotnet/core/sdk:3.1-buster",
    ]);
  });

  test("T-S8: two tags give two entries sharing runtime and git data", async () => {
    const build = buildLine(
      fixture("acr-tasks__root__build-push-hello-world-multi.yaml"),
      "myregistry.azurecr.io",
      "cf1",
    );
    const source = memorySource({
      "hello-world.dockerfile": fixture("acr-tasks__root__hello-world.dockerfile"),
    });

    const entries = await scanBuildDependencies({
      build,
      source,
      stepId: "acb_step_0",
      headRevision: async () => "0123456789abcdef0123456789abcdef01234567",
    });

    expect(entries.map((entry) => entry.image?.reference)).toEqual([
      "myregistry.azurecr.io/hello-world:cf1",
      "myregistry.azurecr.io/hello-world:latest",
    ]);
    for (const entry of entries) {
      expect(entry.runtime).toEqual({
        registry: "mcr.microsoft.com",
        repository: "hello-world",
        tag: "latest",
        digest: "",
        reference: "mcr.microsoft.com/hello-world:latest",
      });
      expect(entry.buildtime).toEqual([]);
      expect(entry.gitHeadRevision).toBe("0123456789abcdef0123456789abcdef01234567");
    }
    expect(entries[0].runtime).not.toBe(entries[1].runtime);
  });

  test("T-S9: a tag without a version gets :latest", async () => {
    const build = buildLine(
      fixture("acr-tasks__root__build-hello-world.yaml"),
      "myregistry.azurecr.io",
      "cf2",
    );
    const source = memorySource({
      "hello-world.dockerfile": fixture("acr-tasks__root__hello-world.dockerfile"),
    });

    const [entry] = await scanBuildDependencies({ build, source, stepId: "acb_step_0" });

    expect(entry.image).toEqual({
      registry: "myregistry.azurecr.io",
      repository: "hello-world",
      tag: "latest",
      digest: "",
      reference: "myregistry.azurecr.io/hello-world:latest",
    });
  });

  test("the tutorial build: FROM node:15-alpine is Docker Hub's library/node", async () => {
    const build = "-t myregistry.azurecr.io/hello-world:cab -f Dockerfile .";
    const source = memorySource({
      Dockerfile: fixture("acr-build-helloworld-node__root__Dockerfile"),
    });

    const [entry] = await scanBuildDependencies({ build, source, stepId: "acb_step_0" });

    expect(entry.runtime).toEqual({
      registry: "registry.hub.docker.com",
      repository: "library/node",
      tag: "15-alpine",
      digest: "",
      reference: "node:15-alpine",
    });
  });

  test("T-S10: a final FROM scratch is Docker Hub's library/scratch:latest", async () => {
    const source = memorySource({
      Dockerfile:
        "FROM golang:1.21 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n",
    });

    const [entry] = await scanBuildDependencies({ build: "-t app:1 .", source, stepId: "s" });

    expect(entry.runtime).toEqual({
      registry: "registry.hub.docker.com",
      repository: "library/scratch",
      tag: "latest",
      digest: "",
      reference: "scratch:latest",
    });
    expect(entry.buildtime.map((dependency) => dependency.reference)).toEqual(["golang:1.21"]);
  });

  test("a build without -t has one entry whose image is null", async () => {
    const source = memorySource({ Dockerfile: "FROM alpine\n" });

    const entries = await scanBuildDependencies({ build: ".", source, stepId: "s" });

    expect(entries).toHaveLength(1);
    expect(entries[0].image).toBeNull();
    expect(entries[0].runtime.reference).toBe("alpine:latest");
  });

  test(
    "without -f the Dockerfile is <context>/Dockerfile; with -f " + "it is the path as written",
    async () => {
      const source = memorySource({
        "src/app/Dockerfile": "FROM alpine\n",
        "docker/x.df": "FROM busybox\n",
      });

      await scanBuildDependencies({ build: "-t a src/app", source, stepId: "s" });
      await scanBuildDependencies({ build: "-t a -f docker/x.df src/app", source, stepId: "s" });

      expect(source.read).toEqual(["src/app/Dockerfile", "docker/x.df"]);
    },
  );

  test(
    "a remote context is read from the step's directory, a git " + "subdirectory inside it",
    async () => {
      const source = memorySource({ "build/src/Dockerfile": "FROM alpine\n" });
      const directories: string[] = [];

      const [entry] = await scanBuildDependencies({
        build: "-t a https://github.com/org/repo.git#main:src",
        source,
        stepId: "build",
        headRevision: async (directory) => {
          directories.push(directory);
          return "abc";
        },
      });

      expect(source.read).toEqual(["build/src/Dockerfile"]);
      expect(directories).toEqual(["build/src"]);
      expect(entry.gitHeadRevision).toBe("abc");
      expect(
        scannedDockerfilePath("-f docker/Dockerfile https://example.com/ctx.tar.gz", "s"),
      ).toBe("s/docker/Dockerfile");
    },
  );

  test("the revision is asked of the local context's directory", async () => {
    const directories: string[] = [];
    await scanBuildDependencies({
      build: "-f Dockerfile app",
      source: memorySource({ Dockerfile: "FROM alpine\n" }),
      stepId: "s",
      headRevision: async (directory) => {
        directories.push(directory);
        return "";
      },
    });
    expect(directories).toEqual(["app"]);
  });

  test("a missing Dockerfile fails the scan with acb's message", async () => {
    const scan = scanBuildDependencies({
      build: "-f missing.dockerfile .",
      source: memorySource({}),
      stepId: "s",
    });

    await expect(scan).rejects.toThrow(ScanError);
    await expect(scan).rejects.toThrow(
      "error opening dockerfile: missing.dockerfile, error: open missing.dockerfile: no " +
        "such file or directory",
    );
  });

  test("a source that fails otherwise is reported with its error", async () => {
    const source: ScanSource = {
      readFile: async () => {
        throw new Error("open Dockerfile: permission denied");
      },
    };
    await expect(scanBuildDependencies({ build: ".", source, stepId: "s" })).rejects.toThrow(
      "error opening dockerfile: Dockerfile, error: open Dockerfile: permission denied",
    );
  });

  test("T-S14: --build-arg without a value fails the scan", async () => {
    const scan = scanBuildDependencies({
      build: "-t a --build-arg FOO .",
      source: memorySource({ Dockerfile: "FROM alpine\n" }),
      stepId: "s",
    });
    await expect(scan).rejects.toThrow(new ScanError("FOO cannot be split into 2 tokens with '='"));
  });

  test("T-S15: FROM --platform fails the scan", async () => {
    const scan = scanBuildDependencies({
      build: "-t a .",
      source: memorySource({ Dockerfile: "FROM --platform=$BUILDPLATFORM golang AS b\n" }),
      stepId: "s",
    });
    await expect(scan).rejects.toThrow(
      new ScanError("unable to understand line FROM --platform=$BUILDPLATFORM golang AS b"),
    );
  });

  test(
    "a failure carries the scanner's output: its timestamped " + "lines, then its error",
    async () => {
      const logged: string[] = [];
      const failure = await scanBuildDependencies({
        build: "-t a .",
        source: memorySource({
          Dockerfile: "FROM node:20 AS build extra\nFROM --platform=linux/amd64 alpine\n",
        }),
        stepId: "s",
        log: (message) => logged.push(message),
        clock: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      }).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ScanError);
      expect((failure as ScanError).output).toBe(
        [
          "2026/01/02 03:04:05 Ignoring chunks from FROM clause: [extra]",
          "unable to understand line FROM --platform=linux/amd64 alpine",
        ].join("\n"),
      );
      expect(logged).toEqual(["Ignoring chunks from FROM clause: [extra]"]);
      expect(SCAN_PROCESS_ERROR).toBe("exit status 1");
    },
  );

  test("without lines the output is the error alone", async () => {
    const failure = (await scanBuildDependencies({
      build: "-f missing .",
      source: memorySource({}),
      stepId: "s",
    }).catch((error: unknown) => error)) as ScanError;
    expect(failure.output).toBe(
      "error opening dockerfile: missing, error: open missing: no such file or directory",
    );
  });

  test("an upper-case tag fails the scan with the reference error", async () => {
    const scan = scanBuildDependencies({
      build: "-t MyImage:1 .",
      source: memorySource({ Dockerfile: "FROM alpine\n" }),
      stepId: "s",
    });
    await expect(scan).rejects.toThrow(
      new ScanError(
        "Failed to parse image reference, ensure tags have a valid format: MyImage:1: " +
          "invalid reference format: repository name must be lowercase",
      ),
    );
  });

  test("an ARG that expands to nothing gives an invalid `:latest`", async () => {
    const scan = scanBuildDependencies({
      build: "-t a .",
      source: memorySource({ Dockerfile: "ARG BASE\nFROM $BASE\n" }),
      stepId: "s",
    });
    await expect(scan).rejects.toThrow(
      "Failed to parse image reference, ensure tags have a valid format: :latest: " +
        "invalid reference format",
    );
  });
});

describe("newImageDependencies", () => {
  test("golang, golang:latest and library/golang collapse into one build-time dependency", () => {
    const entry = newImageDependencies("app", "alpine", [
      "golang",
      "golang:latest",
      "library/golang",
      "node",
    ]);

    expect(entry.buildtime).toEqual([
      {
        registry: "registry.hub.docker.com",
        repository: "library/golang",
        tag: "latest",
        digest: "",
        reference: "golang:latest",
      },
      {
        registry: "registry.hub.docker.com",
        repository: "library/node",
        tag: "latest",
        digest: "",
        reference: "node:latest",
      },
    ]);
  });

  test("the runtime keeps library/ as written", () => {
    expect(newImageDependencies("", "library/alpine:3", []).runtime.reference).toBe(
      "library/alpine:3",
    );
  });
});

describe("directorySource", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "scan-source-"));
    await mkdir(join(directory, "sub", "Dockerfile"), { recursive: true });
    await writeFile(join(directory, "Dockerfile"), "FROM alpine:3.19\n");
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test("reads files relative to the directory", async () => {
    const [entry] = await scanBuildDependencies({
      build: "-t a .",
      source: directorySource(directory),
      stepId: "s",
    });
    expect(entry.runtime.reference).toBe("alpine:3.19");
  });

  test(
    "a missing file is absent; a directory in its place reads as " + "an empty Dockerfile",
    async () => {
      const source = directorySource(directory);
      await expect(source.readFile("nothing/Dockerfile")).resolves.toBeUndefined();
      await expect(
        scanBuildDependencies({ build: "-t a sub", source, stepId: "s" }),
      ).rejects.toThrow(new ScanError("unexpected dockerfile format"));
    },
  );
});
