import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { fetchSource } from "../../../src/emulator/agent/source.js";
import { gitEnvironment } from "../../../src/emulator/git-environment.js";
import { runGit } from "../../support/git.js";

let folder: string;
let repository: string;

function git(...args: string[]): string {
  return runGit(repository, ...args);
}

function commitFile(path: string, text: string): string {
  mkdirSync(join(repository, path, ".."), { recursive: true });
  writeFileSync(join(repository, path), text);
  git("add", ".");
  git("commit", "--quiet", "-m", `write ${path}`);
  return git("rev-parse", "HEAD");
}

const noUpload = async () => {
  throw new Error("no upload expected");
};

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "acrtask-source-"));
  repository = join(folder, "repo");
  execFileSync("git", ["init", "--quiet", "--initial-branch", "main", repository]);
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

test(
  "a local repository is cloned at its branch, with the commit " + "and the folder it names",
  async () => {
    commitFile("web/acb.yaml", "main\n");
    git("checkout", "--quiet", "-b", "release");
    const releaseHead = commitFile("web/acb.yaml", "release\n");
    git("checkout", "--quiet", "main");

    const fetched = await fetchSource(
      { kind: "git", url: repository, ref: "release", folder: "web" },
      { destination: join(folder, "work"), downloadUpload: noUpload },
    );

    expect(fetched).toEqual({
      directory: join(folder, "work", "source", "web"),
      commit: releaseHead,
      branch: "release",
      repository,
    });
    expect(readFileSync(join(fetched.directory, "acb.yaml"), "utf8")).toBe("release\n");
  },
);

test("a commit id checks out that commit, detached; no ref takes the default branch", async () => {
  const first = commitFile("acb.yaml", "one\n");
  const second = commitFile("acb.yaml", "two\n");

  const atCommit = await fetchSource(
    { kind: "git", url: `file://${repository}`, ref: first },
    { destination: join(folder, "a"), downloadUpload: noUpload },
  );
  const atHead = await fetchSource(
    { kind: "git", url: repository },
    { destination: join(folder, "b"), downloadUpload: noUpload },
  );

  expect([atCommit.commit, atCommit.branch]).toEqual([first, ""]);
  expect(readFileSync(join(atCommit.directory, "acb.yaml"), "utf8")).toBe("one\n");
  expect([atHead.commit, atHead.branch]).toEqual([second, "main"]);
});

test("an upload is unpacked from the tarball the registry's container holds", async () => {
  const packed = join(folder, "packed");
  mkdirSync(packed);
  writeFileSync(join(packed, "Dockerfile"), "FROM scratch\n");
  const tarball = join(folder, "source.tar.gz");
  execFileSync("tar", ["-czf", tarball, "-C", packed, "."]);

  const fetched = await fetchSource(
    { kind: "upload", relativePath: "source/202612041000/x.tar.gz" },
    {
      destination: join(folder, "work"),
      downloadUpload: async (relativePath, file) => {
        expect(relativePath).toBe("source/202612041000/x.tar.gz");
        writeFileSync(file, readFileSync(tarball));
      },
    },
  );

  expect(fetched).toEqual({
    directory: join(folder, "work", "source"),
    commit: "",
    branch: "",
    repository: "",
  });
  expect(readFileSync(join(fetched.directory, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
});

test("a repository that cannot be cloned fails with git's reason and never the token", async () => {
  const token = "ghp_secretsecretsecret";
  const header = Buffer.from(`x-access-token:${token}`).toString("base64");

  // Nothing listens on port 1: git fails at once, with the URL in its message.
  const failure = await fetchSource(
    { kind: "git", url: "https://127.0.0.1:1/org/app.git", token },
    { destination: join(folder, "work"), downloadUpload: noUpload },
  ).catch((error: Error) => error);

  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(
    /^failed to clone the source repository: fatal: unable to access 'https:\/\/127\.0\.0\.1:1\//,
  );
  expect((failure as Error).message).not.toContain(token);
  expect((failure as Error).message).not.toContain(header);
});

test("a token rides in git's environment as an HTTP header, for https remotes only", () => {
  const https = gitEnvironment("https://github.com/org/app.git", "pat");
  expect(https).toMatchObject({
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from("x-access-token:pat").toString("base64")}`,
  });
  expect(gitEnvironment("/srv/app", "pat").GIT_CONFIG_COUNT).toBeUndefined();
  expect(
    gitEnvironment("https://github.com/org/app.git", undefined).GIT_CONFIG_COUNT,
  ).toBeUndefined();
});
