import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  GIT_HEAD_REVISION_ARGS,
  gitHeadRevision,
} from "../../../../src/emulator/runner/scan/git.js";

describe("gitHeadRevision (spec §6.6, T-S12)", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "scan-git-"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test("a checkout gives the commit of HEAD, also from a subdirectory", async () => {
    const repository = join(root, "repo");
    await mkdir(join(repository, "src"), { recursive: true });
    await writeFile(join(repository, "src", "Dockerfile"), "FROM alpine\n");
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: repository,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
          GIT_CONFIG_GLOBAL: "/dev/null",
          GIT_CONFIG_NOSYSTEM: "1",
        },
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "first");
    const head = git("rev-parse", "HEAD").trim();

    expect(head).toMatch(/^[0-9a-f]{40}$/);
    await expect(gitHeadRevision(repository)).resolves.toBe(head);
    await expect(gitHeadRevision(join(repository, "src"))).resolves.toBe(head);
  });

  test("a directory that is no checkout gives an empty revision", async () => {
    const plain = join(root, "plain");
    await mkdir(plain);
    await expect(gitHeadRevision(plain)).resolves.toBe("");
    await expect(
      gitHeadRevision(plain, async (args, directory) => {
        expect(args).toEqual(["rev-parse", "--verify", "HEAD"]);
        expect(directory).toBe(plain);
        throw new Error("fatal: not a git repository");
      }),
    ).resolves.toBe("");
  });

  test("a directory that does not exist gives an empty revision", async () => {
    await expect(gitHeadRevision(join(root, "missing"))).resolves.toBe("");
  });

  test("the runner's output is trimmed", async () => {
    await expect(gitHeadRevision("x", async () => "abc123\n")).resolves.toBe("abc123");
    expect(GIT_HEAD_REVISION_ARGS).toEqual(["rev-parse", "--verify", "HEAD"]);
  });
});
