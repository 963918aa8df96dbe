// acb's RepoDigests query against a real engine: the format argument keeps its literal quotes,
// so the engine prints them around the JSON, and a missing image fails the query.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import {
  parseRepoDigestsOutput,
  populateDigests,
  repoDigestLookup,
  type InspectOutcome,
} from "../../../../src/emulator/runner/scan/digests.js";
import { newImageReference } from "../../../../src/emulator/runner/scan/reference.js";
import { requireDockerEngine } from "../../../support/docker.js";

function docker(args: string[], input?: string) {
  return spawnSync("docker", args, {
    encoding: "utf8",
    input,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  });
}

/** `docker inspect` with acb's arguments, run directly against this machine's engine. */
async function inspect(reference: string): Promise<InspectOutcome> {
  const result = docker(["inspect", "--format", '"{{json .RepoDigests}}"', reference]);
  const output = `${result.stdout}${result.stderr}`;
  return result.status === 0 ? { output } : { output, error: `exit status ${result.status}` };
}

describe("RepoDigests from a real engine", () => {
  const image = `acrtask-scan-test/unpushed:${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    await requireDockerEngine();
    const build = docker(
      ["build", "-q", "-t", image, "-"],
      "FROM scratch\nLABEL purpose=scan-test\n",
    );
    if (build.status !== 0) {
      throw new Error(`docker build failed: ${build.stderr}`);
    }
  }, 120_000);

  afterAll(() => {
    docker(["rmi", "-f", image]);
  });

  test("the engine prints the list between the literal quotes of the format", async () => {
    const outcome = await inspect(image);
    expect(outcome.output).toBe('"[]"\n');
    expect(parseRepoDigestsOutput(outcome.output)).toEqual([]);
  });

  test("an image built here and never pushed keeps an empty digest", async () => {
    const entries = [
      {
        image: newImageReference(image),
        runtime: newImageReference("scratch:latest"),
        buildtime: [],
        gitHeadRevision: "",
      },
    ];
    await populateDigests(entries, { inspectRepoDigests: repoDigestLookup(inspect) });
    expect(entries[0].image.digest).toBe("");
  });

  test("an image that does not exist fails the query", async () => {
    const missing = `acrtask-scan-test/missing:${randomBytes(6).toString("hex")}`;
    await expect(repoDigestLookup(inspect)(missing)).rejects.toThrow(
      new RegExp(`^failed to query digests, msg: .*${missing}.*: exit status 1$`, "s"),
    );
  });
});
