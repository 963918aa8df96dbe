import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  cloneGitRepository,
  downloadRemoteContext,
  exponentialBackoff,
  gitCheckoutTarget,
  isContextArchive,
  gitFetchArgs,
  materializeGitContext,
  parseGitRemote,
  runHostGitCommand,
  supportsShallowClone,
  type GitCommandResult,
} from "../../../../src/emulator/runner/scan/remote-context.js";

describe("parseGitRemote (spec §6.7, acr-builder's parse table)", () => {
  test.each([
    ["git://github.com/user/repo.git", "git://github.com/user/repo.git", "", ""],
    [
      "git://github.com/user/repo.git#mybranch:mydir/mysubdir/",
      "git://github.com/user/repo.git",
      "mybranch",
      "mydir/mysubdir/",
    ],
    ["https://github.com/user/repo.git", "https://github.com/user/repo.git", "", ""],
    [
      "https://github.com/user/repo.git#mybranch:mydir/mysubdir/",
      "https://github.com/user/repo.git",
      "mybranch",
      "mydir/mysubdir/",
    ],
    ["git@github.com:user/repo.git", "git@github.com:user/repo.git", "", ""],
    [
      "git@github.com:user/repo.git#mybranch:mydir/mysubdir/",
      "git@github.com:user/repo.git",
      "mybranch",
      "mydir/mysubdir/",
    ],
    [
      "https://azure.visualstudio.com/ACR/_git/Build/#mybranch:mydir/mysubdir/",
      "https://azure.visualstudio.com/ACR/_git/Build/",
      "mybranch",
      "mydir/mysubdir/",
    ],
    ["github.com/user/repo", "https://github.com/user/repo", "", ""],
  ])("%s", (context, remote, ref, subdirectory) => {
    expect(parseGitRemote(context)).toEqual({ remote, ref, subdirectory });
  });

  test("a token given as the user becomes the password of the user dummy", () => {
    expect(parseGitRemote("https://ghp_token@github.com/org/repo.git#main").remote).toBe(
      "https://dummy:ghp_token@github.com/org/repo.git",
    );
    expect(parseGitRemote("https://user:pass@github.com/org/repo.git").remote).toBe(
      "https://user:pass@github.com/org/repo.git",
    );
  });
});

describe("fetch and checkout arguments", () => {
  test("shallow only when the transport allows it; no ref fetches the default", () => {
    expect(gitFetchArgs("main", true)).toEqual(["fetch", "--depth", "1", "origin", "main"]);
    expect(gitFetchArgs("main", false)).toEqual(["fetch", "origin", "main"]);
    expect(gitFetchArgs("", true)).toEqual(["fetch", "--depth", "1", "origin"]);
  });

  test.each([
    ["", "FETCH_HEAD"],
    ["pull/12/head", "FETCH_HEAD"],
    ["pull/12/merge", "FETCH_HEAD"],
    ["main", "main"],
    ["v1.0", "v1.0"],
  ])("checkout for %j is %s", (ref, target) => {
    expect(gitCheckoutTarget(ref)).toBe(target);
  });
});

describe("supportsShallowClone", () => {
  let server: Server;
  let base: string;
  const seen: { url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      if (request.url?.startsWith("/smart.git/info/refs")) {
        response.setHeader("content-type", "application/x-git-upload-pack-advertisement");
      } else {
        response.setHeader("content-type", "text/plain");
      }
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test("a smart HTTP server allows a shallow fetch, a dumb one does not", async () => {
    await expect(supportsShallowClone(`${base}/smart.git`)).resolves.toBe(true);
    await expect(supportsShallowClone(`${base}/dumb.git`)).resolves.toBe(false);
    expect(seen[0].url).toBe("/smart.git/info/refs?service=git-upload-pack");
  });

  test("credentials in the URL are sent as basic authentication", async () => {
    seen.length = 0;
    await supportsShallowClone(`http://dummy:token@127.0.0.1:${new URL(base).port}/smart.git`);
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from("dummy:token").toString("base64")}`);
  });

  test("other transports always allow it", async () => {
    await expect(supportsShallowClone("git://github.com/docker/docker")).resolves.toBe(true);
    await expect(supportsShallowClone("git@github.com:docker/docker.git")).resolves.toBe(true);
  });
});

describe("materializeGitContext with a recorded git", () => {
  function recorder(failing: Record<string, GitCommandResult> = {}) {
    const calls: string[] = [];
    return {
      calls,
      runGit: async (args: string[], directory: string): Promise<GitCommandResult> => {
        const line = args.join(" ");
        calls.push(`${directory}: ${line}`);
        return failing[line] ?? { exitCode: 0, output: "" };
      },
    };
  }

  test(
    "init, origin, shallow fetch, checkout, submodules, LFS, " + "then the subdirectory",
    async () => {
      const git = recorder();
      const directory = await materializeGitContext(
        "https://github.com/org/repo.git#main:src/app",
        {
          destination: "build",
          runGit: git.runGit,
          isDirectory: async (path) => path === "build/src/app",
          shallow: async () => true,
        },
      );

      expect(directory).toBe("build/src/app");
      expect(git.calls).toEqual([
        "build: init",
        "build: remote add origin https://github.com/org/repo.git",
        "build: fetch --depth 1 origin main",
        "build: checkout main",
        "build: submodule update --init --recursive --depth=1",
        "build: lfs version",
        "build: lfs pull",
      ]);
    },
  );

  test(
    "a failed shallow fetch falls back to a full one; a missing " + "git-lfs is warned about",
    async () => {
      const git = recorder({
        "fetch --depth 1 origin 0123abc": { exitCode: 128, output: "error: no such ref" },
        "lfs version": { exitCode: 1, output: "git: 'lfs' is not a git command." },
      });
      const messages: string[] = [];

      await materializeGitContext("https://github.com/org/repo.git#0123abc", {
        destination: "s",
        runGit: git.runGit,
        isDirectory: async () => true,
        shallow: async () => true,
        log: (message) => messages.push(message),
      });

      expect(git.calls).toContain("s: fetch origin");
      expect(git.calls).toContain("s: checkout 0123abc");
      expect(messages).toEqual(["WARNING: git-lfs is not installed"]);
    },
  );

  test("a checkout that fails by name tries FETCH_HEAD", async () => {
    const git = recorder({ "checkout refs/tags/x": { exitCode: 1, output: "no" } });
    await materializeGitContext("https://github.com/org/repo.git#refs/tags/x", {
      destination: "s",
      runGit: git.runGit,
      isDirectory: async () => true,
      shallow: async () => false,
    });
    expect(git.calls).toContain("s: checkout FETCH_HEAD");
  });

  test("failures carry acb's messages", async () => {
    const git = recorder({
      "fetch origin": { exitCode: 128, output: "fatal: repository not found" },
    });
    await expect(
      materializeGitContext("https://github.com/org/missing.git", {
        destination: "s",
        runGit: git.runGit,
        isDirectory: async () => true,
        shallow: async () => false,
      }),
    ).rejects.toThrow(
      "failed to download source code: unable to git clone to s: error fetching: fatal: " +
        "repository not found: exit status 128",
    );
  });

  test("the subdirectory must stay inside the repository and be a directory", async () => {
    const options = (isDirectory: boolean | undefined) => ({
      destination: "s",
      runGit: recorder().runGit,
      isDirectory: async () => isDirectory,
      shallow: async () => true,
    });

    await expect(
      materializeGitContext("https://github.com/o/r.git#main:../x", options(true)),
    ).rejects.toThrow('error setting git context, "../x" not within git root');
    await expect(
      materializeGitContext("https://github.com/o/r.git#main:Dockerfile", options(false)),
    ).rejects.toThrow("error setting git context, not a directory: s/Dockerfile");
    await expect(
      materializeGitContext("https://github.com/o/r.git#main:nosubdir", options(undefined)),
    ).rejects.toThrow("stat s/nosubdir: no such file or directory");
  });
});

describe("cloneGitRepository with real git", () => {
  let root: string;
  let origin: string;

  const environment = {
    ...process.env,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
  };
  const git = (directory: string, ...args: string[]) =>
    execFileSync("git", args, { cwd: directory, encoding: "utf8", env: environment }).trim();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "scan-clone-"));
    origin = join(root, "origin");
    await mkdir(join(origin, "subdir"), { recursive: true });
    await writeFile(join(origin, "Dockerfile"), "FROM scratch\n");
    await writeFile(join(origin, "subdir", "Dockerfile"), "FROM busybox\n");
    git(origin, "init", "-q", "-b", "default");
    git(origin, "add", "-A");
    git(origin, "commit", "-q", "-m", "first");
    git(origin, "checkout", "-q", "-b", "test");
    await writeFile(join(origin, "subdir", "Dockerfile"), "FROM alpine\n");
    git(origin, "commit", "-q", "-am", "branch");
    git(origin, "checkout", "-q", "default");
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const isDirectory = async (path: string) => {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return undefined;
    }
  };

  test.each([
    ["", "", "Dockerfile", "FROM scratch\n"],
    ["test", "subdir", "Dockerfile", "FROM alpine\n"],
    ["default", "subdir", "Dockerfile", "FROM busybox\n"],
  ])("ref %j, subdirectory %j", async (ref, subdirectory, file, text) => {
    const destination = await mkdtemp(join(root, "clone-"));

    const directory = await cloneGitRepository(
      { remote: origin, ref, subdirectory },
      { destination, runGit: runHostGitCommand, isDirectory, shallow: async () => false },
    );

    expect(directory).toBe(subdirectory === "" ? destination : join(destination, subdirectory));
    expect(readFileSync(join(directory, file), "utf8")).toBe(text);
  });
});

describe("downloadRemoteContext", () => {
  let server: Server;
  let base: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/context.tar.gz") {
        response.end("archive bytes");
        return;
      }
      if (request.url === "/missing") {
        response.statusCode = 404;
        response.end("no such blob\n");
        return;
      }
      const status = statuses.shift() ?? 503;
      response.statusCode = status;
      response.end(status === 200 ? "finally" : "busy\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test("a successful GET gives the bytes", async () => {
    const bytes = await downloadRemoteContext(`${base}/context.tar.gz`);
    expect(bytes.toString()).toBe("archive bytes");
  });

  test("a 4xx fails at once with its body", async () => {
    const sleeps: number[] = [];
    await expect(
      downloadRemoteContext(`${base}/missing`, { sleep: async (ms) => void sleeps.push(ms) }),
    ).rejects.toThrow(
      `failed to download source code: unable to download remote context from ` +
        `${base}/missing: failed to GET ${base}/missing with status 404 Not Found: no such ` +
        `blob`,
    );
    expect(sleeps).toEqual([]);
  });

  test("a 5xx is retried after a backoff, three attempts in all", async () => {
    const sleeps: number[] = [];
    statuses.splice(0, statuses.length, 503, 503, 503);
    await expect(
      downloadRemoteContext(`${base}/flaky`, { sleep: async (ms) => void sleeps.push(ms) }),
    ).rejects.toThrow(`failed to GET ${base}/flaky with status 503 Service Unavailable: busy`);
    expect(sleeps).toEqual([250, 500]);

    statuses.splice(0, statuses.length, 502, 200);
    const bytes = await downloadRemoteContext(`${base}/flaky`, { sleep: async () => undefined });
    expect(bytes.toString()).toBe("finally");
  });

  test("the backoff doubles up to five seconds", () => {
    expect([0, 1, 2, 3, 4, 5].map(exponentialBackoff)).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });
});

describe("isContextArchive", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "scan-archive-"));
    await mkdir(join(root, "context"));
    await writeFile(join(root, "context", "Dockerfile"), "FROM alpine\n");
    execFileSync("tar", ["-cf", join(root, "context.tar"), "-C", join(root, "context"), "."]);
    execFileSync("gzip", ["-k", join(root, "context.tar")]);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test("tar and gzip are archives; a Dockerfile is not", () => {
    expect(isContextArchive(readFileSync(join(root, "context.tar")))).toBe(true);
    expect(isContextArchive(readFileSync(join(root, "context.tar.gz")))).toBe(true);
    expect(isContextArchive(Buffer.from("FROM alpine\n".padEnd(600, "\n")))).toBe(false);
    expect(isContextArchive(Buffer.from([0x42, 0x5a, 0x68, 0x39]))).toBe(true);
  });
});
