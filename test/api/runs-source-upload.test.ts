import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  checkRemoteSourceLocation,
  describeSize,
  ignoreRule,
  loadDockerignore,
} from "../../src/api/source-upload.js";
import type { AcrSession } from "../../src/api/session.js";
import { CliError } from "../../src/cli/errors.js";

describe(".dockerignore rules, translated as az translates them", () => {
  test.each([
    ["*.tmp", "scratch.tmp", true],
    ["*.tmp", "dir/scratch.tmp", false],
    ["build/**", "build/out.o", true],
    ["build/**", "build/a/b/c", true],
    ["build/**", "build", false],
    ["**/*.md", "docs/readme.md", true],
    ["a?c", "abc", true],
    ["a?c", "a/c", false],
    ["file.txt", "fileXtxt", false],
    ["dir", "dir", true],
    ["dir", "dir/file", false],
  ])("%s against %s → %s", (rule, path, matches) => {
    expect(ignoreRule(rule).pattern.test(path)).toBe(matches);
  });

  test("a `!` rule re-includes, without its leading and trailing slashes", () => {
    const rule = ignoreRule("!/build/keep.txt//");

    expect(rule.ignore).toBe(false);
    expect(rule.pattern.test("build/keep.txt")).toBe(true);
  });

  test("a rule that is not a valid pattern is a clear error", () => {
    expect(() => ignoreRule("a(b")).toThrow(CliError);
  });
});

describe("loading .dockerignore", () => {
  let directory: string;
  const warnings: string[] = [];
  const logger = {
    warning: (message: string) => void warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
  };
  const session = () => ({ cwd: directory }) as AcrSession;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "dockerignore-"));
    warnings.length = 0;
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  test(
    "blank lines and comments skipped, a BOM and CRLF tolerated, " + "the last rule first",
    async () => {
      await writeFile(
        join(directory, ".dockerignore"),
        "\uFEFF# comment\r\n\r\n*.log  \r\nbuild\r\n",
      );

      const rules = await loadDockerignore(session(), ".", "Dockerfile", logger);

      expect(rules?.map((rule) => rule.rule)).toEqual(["build", "*.log"]);
      expect(warnings).toEqual([]);
    },
  );

  test("none: undefined", async () => {
    expect(await loadDockerignore(session(), ".", "Dockerfile", logger)).toBeUndefined();
  });

  test("another Dockerfile's own ignore file wins, and ignores .dockerignore", async () => {
    await writeFile(join(directory, ".dockerignore"), "*.log\n");
    await writeFile(join(directory, "web.Dockerfile.dockerignore"), "node_modules\n");

    const rules = await loadDockerignore(session(), ".", "web.Dockerfile", logger);

    expect(rules?.map((rule) => rule.rule)).toEqual(["node_modules", ".dockerignore"]);
    expect(warnings).toEqual(["Overriding .dockerignore with ./web.Dockerfile.dockerignore"]);
  });
});

describe("remote source locations", () => {
  const head = jest.fn(async () => 200);
  beforeEach(() => head.mockClear());

  test.each([
    "git@github.com:a/b.git",
    "GIT://host/repo",
    "https://github.com/a/b.git#main:dir",
    "https://dev.azure.com/org/proj/_git/repo",
    "http://x.visualstudio.com/repo",
    "github.com/a/b.git",
    "oci://myreg.azurecr.io/ctx:1",
  ])("%s is taken as it is, unchecked", async (location) => {
    expect(await checkRemoteSourceLocation(location, head)).toBe(location);
    expect(head).not.toHaveBeenCalled();
  });

  test("a tarball URL must answer HEAD below 400", async () => {
    head.mockResolvedValueOnce(302).mockResolvedValueOnce(404);

    expect(await checkRemoteSourceLocation("https://h/ctx.tar.gz", head)).toBe(
      "https://h/ctx.tar.gz",
    );
    await expect(checkRemoteSourceLocation("https://h/gone.tar.gz", head)).rejects.toThrow(
      "'https://h/gone.tar.gz' doesn't exist.",
    );
  });

  test("an unreachable tarball URL says why", async () => {
    const unreachable = async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND h") });
    };

    await expect(checkRemoteSourceLocation("https://h/ctx.tar.gz", unreachable)).rejects.toThrow(
      "Could not reach 'https://h/ctx.tar.gz': getaddrinfo ENOTFOUND h",
    );
  });

  test.each(["github.com/a/b", "ftp://h/x", "relative/dir"])(
    "%s does not exist",
    async (location) => {
      await expect(checkRemoteSourceLocation(location, head)).rejects.toThrow(
        `'${location}' doesn't exist.`,
      );
    },
  );
});

test.each([
  [353, "353.000 Bytes"],
  [1023, "1023.000 Bytes"],
  [1024, "1.000 KiB"],
  [1536, "1.500 KiB"],
  [5 * 1024 * 1024 + 512 * 1024, "5.500 MiB"],
])("archive size %d is shown as %s", (bytes, text) => {
  expect(describeSize(bytes)).toBe(text);
});
