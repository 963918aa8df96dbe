// The scan's parts as the executor chains them for one build step: scan before the build,
// digests after all steps, then the report and the service's closing line.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  directorySource,
  gitHeadRevision,
  populateDigests,
  renderDependencyReport,
  renderRunConclusion,
  repoDigestLookup,
  scanBuildDependencies,
} from "../../../../src/emulator/runner/scan/index.js";

const FIXTURES = join(__dirname, "../../../fixtures/runner-scan");
const IMAGE_DIGEST = `sha256:${"a".repeat(64)}`;
const NODE_DIGEST = `sha256:${"b".repeat(64)}`;

describe("a build step from scan to report", () => {
  let workspace: string;
  let revision: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), "scan-pipeline-"));
    await writeFile(
      join(workspace, "Dockerfile"),
      readFileSync(join(FIXTURES, "acr-build-helloworld-node__root__Dockerfile")),
    );
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: workspace,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
        },
      }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "source");
    revision = git("rev-parse", "HEAD");
  });

  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  test("the tutorial's build (taskmulti.yaml) reports as in the tutorial transcript", async () => {
    const taskFile = readFileSync(
      join(FIXTURES, "acr-build-helloworld-node__root__taskmulti.yaml"),
      "utf8",
    );
    const build = /^- build: (.+)$/m
      .exec(taskFile)![1]
      .replace("{{.Run.Registry}}", "myregistry.azurecr.io")
      .replace("{{.Run.ID}}", "cab");

    const entries = await scanBuildDependencies({
      build,
      source: directorySource(workspace),
      stepId: "acb_step_0",
      headRevision: (directory) => gitHeadRevision(join(workspace, directory)),
    });

    const inspected: string[] = [];
    await populateDigests(entries, {
      inspectRepoDigests: repoDigestLookup(async (reference) => {
        inspected.push(reference);
        const repoDigests =
          reference === "node:15-alpine"
            ? [`node@${NODE_DIGEST}`]
            : [`myregistry.azurecr.io/hello-world@${IMAGE_DIGEST}`];
        return { output: `"${JSON.stringify(repoDigests)}"\n` };
      }),
    });

    const log =
      renderDependencyReport(entries, "2019/05/15 21:30:39 ") +
      renderRunConclusion("cab", { duration: "18s" });

    expect(inspected).toEqual(["myregistry.azurecr.io/hello-world:cab", "node:15-alpine"]);
    expect(log).toBe(
      [
        "2019/05/15 21:30:39 The following dependencies were found:",
        "2019/05/15 21:30:39 ",
        "- image:",
        "    registry: myregistry.azurecr.io",
        "    repository: hello-world",
        "    tag: cab",
        `    digest: ${IMAGE_DIGEST}`,
        "  runtime-dependency:",
        "    registry: registry.hub.docker.com",
        "    repository: library/node",
        "    tag: 15-alpine",
        `    digest: ${NODE_DIGEST}`,
        "  git:",
        `    git-head-revision: ${revision}`,
        "",
        "Run ID: cab was successful after 18s",
        "",
      ].join("\n"),
    );
  });

  test(
    "T-S13: a failed-but-ignored build still has entries, and " +
      "its missing image fails the digests",
    async () => {
      const entries = await scanBuildDependencies({
        build: "-t myregistry.azurecr.io/never-built:1 .",
        source: directorySource(workspace),
        stepId: "acb_step_0",
      });

      const digests = populateDigests(entries, {
        inspectRepoDigests: repoDigestLookup(async (reference) => ({
          output: `Error: No such object: ${reference}\n`,
          error: "exit status 1",
        })),
      });

      await expect(digests).rejects.toThrow(
        "failed to query digests, msg: Error: No such object: " +
          "myregistry.azurecr.io/never-built:1\n: exit status 1",
      );
    },
  );
});
