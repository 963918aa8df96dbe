import {
  cleanPath,
  contextDirectory,
  dockerfilePath,
  gitReferenceAndSubdirectory,
  isRemoteContext,
  isSourceControlUrl,
  joinPath,
  parseBuildString,
  remoteBuildWorkingDirectory,
  remoteContextWarning,
  replacePositionalContext,
} from "../../../../src/emulator/runner/scan/build-string.js";

describe("parseBuildString (spec §4.10.1 test-asserted parses)", () => {
  test.each([
    [
      "-f Dockerfile -t {{.Run.ID}}:latest https://github.com/Azure/acr-builder.git",
      "Dockerfile",
      undefined,
      "https://github.com/Azure/acr-builder.git",
    ],
    [
      "https://github.com/Azure/acr-builder.git#master:blah -f Dockerfile -t foo:bar",
      "Dockerfile",
      undefined,
      "https://github.com/Azure/acr-builder.git#master:blah",
    ],
    [".", "", undefined, "."],
    ["--file src/Dockerfile . -t foo:bar", "src/Dockerfile", undefined, "."],
    [
      "-t foo --target build https://github.com/Azure/acr-builder.git#:HelloWorld",
      "",
      "build",
      "https://github.com/Azure/acr-builder.git#:HelloWorld",
    ],
  ])("%s", (build, dockerfile, target, context) => {
    const parsed = parseBuildString(build);
    expect(parsed.dockerfile).toBe(dockerfile);
    expect(parsed.target).toBe(target);
    expect(parsed.context).toBe(context);
  });

  test("no context at all means `.`", () => {
    expect(parseBuildString("-t foo -f Dockerfile").context).toBe(".");
  });

  test("a boolean flag right before the context hides it", () => {
    expect(parseBuildString("--no-cache https://github.com/a/b.git").context).toBe(".");
  });

  test("`--file=x` and `--target=x` are not recognised (a token of their own each)", () => {
    expect(parseBuildString("--file=x.dockerfile --target=build .")).toEqual({
      dockerfile: "",
      context: ".",
      tags: [],
      buildArgs: [],
    });
  });

  test("the last positional token wins", () => {
    expect(parseBuildString("first -t x second").context).toBe("second");
  });

  test("quotes around the Dockerfile, target and context are stripped", () => {
    expect(parseBuildString(`-f "sub dir" --target 'stage' "ctx"`)).toMatchObject({
      dockerfile: "sub",
      target: "stage",
      context: "ctx",
    });
    expect(parseBuildString(`-f 'a/Dockerfile' '.'`)).toMatchObject({
      dockerfile: "a/Dockerfile",
      context: ".",
    });
  });

  test(
    "tags follow -t or --tag, build arguments follow " + "--build-arg, in order and as written",
    () => {
      const parsed = parseBuildString(
        "-t reg.io/a:1 --tag reg.io/a:2 --build-arg A=1 --build-arg 'B=2' -t=ignored --build-arg C .",
      );
      expect(parsed.tags).toEqual(["reg.io/a:1", "reg.io/a:2"]);
      expect(parsed.buildArgs).toEqual(["A=1", "'B=2'", "C"]);
    },
  );

  test("tokens are split on any whitespace, tabs and newlines included", () => {
    expect(parseBuildString("-t\ta:1\n-f  x.dockerfile \t ctx")).toEqual({
      dockerfile: "x.dockerfile",
      context: "ctx",
      tags: ["a:1"],
      buildArgs: [],
    });
  });

  test("the WeatherService build step (spec T-S7)", () => {
    const build =
      "-f Dockerfile -t myregistry.azurecr.io/weatherservice:cab --build-arg " +
      "BaseImage=myregistry.azurecr.io/dotnet/core/aspnet:3.1-buster-slim --build-arg " +
      "BuildImage=myregistry.azurecr.io/dotnet/core/sdk:3.1-buster .";
    expect(parseBuildString(build)).toEqual({
      dockerfile: "Dockerfile",
      context: ".",
      tags: ["myregistry.azurecr.io/weatherservice:cab"],
      buildArgs: [
        "BaseImage=myregistry.azurecr.io/dotnet/core/aspnet:3.1-buster-slim",
        "BuildImage=myregistry.azurecr.io/dotnet/core/sdk:3.1-buster",
      ],
    });
  });
});

describe("dockerfilePath (spec T-S4, acr-builder's createDockerfilePath table)", () => {
  test.each([
    ["https://github.com/Azure/acr-builder.git", "", "", "Dockerfile"],
    ["https://github.com/Azure/acr-builder.git", "build", "", "build/Dockerfile"],
    [
      "https://github.com/Azure/acr-builder.git#:foo/bar",
      "",
      "foo/bar/Dockerfile",
      "foo/bar/Dockerfile",
    ],
    [
      "https://github.com/Azure/acr-builder.git#:foo/bar",
      "build",
      "foo/bar/Dockerfile",
      "build/foo/bar/Dockerfile",
    ],
    [".", ".", "", "Dockerfile"],
    ["src/foo", "src/foo", "", "src/foo/Dockerfile"],
    ["src/foo", "src/foo", "bar/qux/Dockerfile", "bar/qux/Dockerfile"],
  ])("(%j, %j, %j) → %j", (context, directory, dockerfile, expected) => {
    expect(dockerfilePath(context, directory, dockerfile)).toBe(expected);
  });
});

describe("where the context lives", () => {
  test.each([
    ["https://github.com/Azure/acr-builder.git", true],
    ["https://github.com/Azure/acr-builder.git#main:src", true],
    ["HTTPS://example.com/context.tar.gz", true],
    ["http://example.com/context.tar.gz", true],
    ["git://github.com/user/repo.git#mybranch:mydir/mysubdir/", true],
    ["git@github.com:user/repo.git", true],
    ["github.com/user/repo", true],
    ["oci://myregistry.azurecr.io/src:v1", true],
    ["OCI://myregistry.azurecr.io/src:v1", true],
    [".", false],
    ["src/foo", false],
    ["/workspace/src", false],
  ])("%s remote: %s", (context, remote) => {
    expect(isRemoteContext(context)).toBe(remote);
  });

  test.each([
    ["https://dev.azure.com/org/project/_git/repo", true],
    ["https://dev.azure.com/org/project/_git/repo?version=GBmain", false],
    ["https://azure.visualstudio.com/ACR/_git/Build/#mybranch:mydir/mysubdir/", true],
    ["https://example.com/context.tar.gz", false],
    ["https://github.com/Azure/acr-builder.git#master:blah", true],
  ])("%s is cloned with git: %s", (context, cloned) => {
    expect(isSourceControlUrl(context)).toBe(cloned);
  });

  test("a git fragment gives the ref and the subdirectory", () => {
    expect(
      gitReferenceAndSubdirectory("git://github.com/user/repo.git#mybranch:mydir/mysubdir/"),
    ).toEqual({
      ref: "mybranch",
      subdirectory: "mydir/mysubdir/",
    });
    expect(gitReferenceAndSubdirectory("https://github.com/a/b.git#:HelloWorld")).toEqual({
      ref: "",
      subdirectory: "HelloWorld",
    });
    expect(gitReferenceAndSubdirectory("https://github.com/a/b.git")).toEqual({
      ref: "",
      subdirectory: "",
    });
  });

  test(
    "a remote context is materialised into the step's directory, " + "a git subdirectory inside it",
    () => {
      expect(contextDirectory("https://github.com/a/b.git#main:src/app/", "build")).toBe(
        "build/src/app",
      );
      expect(contextDirectory("https://github.com/a/b.git", "build")).toBe("build");
      expect(contextDirectory("https://example.com/context.tar.gz", "acb_step_0")).toBe(
        "acb_step_0",
      );
      expect(contextDirectory("src/foo", "build")).toBe("src/foo");
    },
  );

  test("a GitHub context without .git is warned about, lower-cased", () => {
    expect(remoteContextWarning("https://GitHub.com/Azure/acr-builder")).toBe(
      "WARNING: https://github.com/azure/acr-builder might not be valid context. Valid " +
        "Git repositories should end with .git.",
    );
    expect(remoteContextWarning("https://github.com/Azure/acr-builder.git")).toBeUndefined();
    expect(remoteContextWarning(".")).toBeUndefined();
  });
});

describe("Go's path functions", () => {
  test.each([
    ["", "."],
    [".", "."],
    ["a/b/", "a/b"],
    ["./a//b/../c", "a/c"],
    ["../a", "../a"],
    ["/../a", "/a"],
    ["/", "/"],
  ])("Clean(%j) = %j", (path, cleaned) => {
    expect(cleanPath(path)).toBe(cleaned);
  });

  test("Join ignores empty elements and cleans", () => {
    expect(joinPath("", "Dockerfile")).toBe("Dockerfile");
    expect(joinPath(".", "Dockerfile")).toBe("Dockerfile");
    expect(joinPath("build", "foo/bar/")).toBe("build/foo/bar");
    expect(joinPath("", "")).toBe("");
  });
});

describe("the build container of a remote context (spec §4.10.3)", () => {
  test.each([
    [
      "-f Dockerfile -t blah:latest https://github.com/Azure/acr-builder.git",
      ".",
      "-f Dockerfile -t blah:latest .",
    ],
    [
      "https://github.com/Azure/acr-builder.git -f Dockerfile -t foo:bar",
      "HelloWorld",
      "HelloWorld -f Dockerfile -t foo:bar",
    ],
    [".", "HelloWorld", "HelloWorld"],
    [
      "--file src/Dockerfile . -t foo:bar",
      "src/Dockerfile",
      "--file src/Dockerfile src/Dockerfile -t foo:bar",
    ],
    ["-f src/Dockerfile   .", "test/another-repo", "-f src/Dockerfile test/another-repo"],
    ["-t a --no-cache", ".", "-t a --no-cache"],
  ])("replacePositionalContext(%j, %j)", (build, replacement, expected) => {
    expect(replacePositionalContext(build, replacement)).toBe(expected);
  });

  test.each([
    ["https://github.com/Azure/acr-builder.git#stable:.", "build/."],
    ["https://github.com/Azure/acr-builder.git#master:HelloWorld", "build/HelloWorld"],
    ["https://github.com/Azure/acr-builder.git", "build/."],
    ["https://github.com/Azure/acr-builder.git#master", "build/."],
    ["https://dev.azure.com/org/project/_git/repo#main:src", "build/src"],
    ["git://github.com/user/repo.git#main:src", "build/."],
    ["https://example.com/context.tar.gz", "build"],
    ["oci://myregistry.azurecr.io/source:v1", "build"],
  ])("remoteBuildWorkingDirectory(%j)", (context, directory) => {
    expect(remoteBuildWorkingDirectory(context, "build")).toBe(directory);
  });
});
