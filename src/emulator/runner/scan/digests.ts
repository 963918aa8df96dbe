// Filling the report's digests after every step has run (spec: runner §4.14, §6.4): the built
// image always from the local engine's RepoDigests, the base images the same way unless the
// build used BuildKit, in which case they are resolved from their registries.

import type { ImageDependencies } from "./dependencies.js";
import { DOCKER_HUB_REGISTRY, type ImageReference } from "./reference.js";

/** acb's limit on one build step's digest population, in seconds (§6.5). */
export const DIGEST_TIMEOUT_SECONDS = 300;

/** The reference acb never looks up: `FROM scratch` has no image to inspect. */
export const SCRATCH_LATEST = "scratch:latest";

/**
 * The prefix of the RepoDigests entry that belongs to a reference: `<registry>/<repository>@`,
 * except for a Docker Hub name written without Docker Hub's host, which the engine lists as
 * `<repository>@` with no `library/` (`node@`, `grafana/grafana@`).
 */
export function repoDigestPrefix(reference: ImageReference): string {
  const writtenWithHost = reference.reference.startsWith(`${DOCKER_HUB_REGISTRY}/`);
  if (reference.registry === DOCKER_HUB_REGISTRY && !writtenWithHost) {
    const repository = reference.repository.startsWith("library/")
      ? reference.repository.slice("library/".length)
      : reference.repository;
    return `${repository}@`;
  }
  if (reference.registry === "") {
    return `${reference.repository}@`;
  }
  return `${reference.registry}/${reference.repository}@`;
}

/** The digest for a reference among the engine's RepoDigests; "" when none matches. */
export function digestFromRepoDigests(repoDigests: string[], reference: ImageReference): string {
  const prefix = repoDigestPrefix(reference);
  const match = repoDigests.find((entry) => entry.startsWith(prefix));
  return match === undefined ? "" : match.slice(prefix.length);
}

/**
 * The RepoDigests list out of `docker inspect --format "{{json .RepoDigests}}"` output: newlines,
 * tabs and the literal quotes of the format trimmed from both ends, then JSON. Output that is not
 * a JSON list yields no digests, as in acb, and is reported through `log`.
 */
export function parseRepoDigestsOutput(output: string, log?: (message: string) => void): string[] {
  const trimmed = output.replace(/^[\n\r"\t]+|[\n\r"\t]+$/g, "");
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed === null) {
      return [];
    }
    if (Array.isArray(parsed) && parsed.every((entry) => typeof entry === "string")) {
      return parsed;
    }
    throw new Error(`cannot unmarshal ${typeof parsed} into a list of strings`);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    log?.(`Error deserializing ${trimmed} to json, error: ${cause}`);
    return [];
  }
}

/** The docker command line (after the docker binary) acb runs to read an image's RepoDigests. */
export function repoDigestsInspectArgs(
  reference: string,
  options: { homeVolume: string; dockerCliImage: string; dockerSocket?: string },
): string[] {
  const socket = options.dockerSocket ?? "/var/run/docker.sock";
  return [
    "run",
    "--rm",
    "--volume",
    `${socket}:${socket}`,
    "--volume",
    `${options.homeVolume}:/acb/home`,
    "--env",
    "HOME=/acb/home",
    options.dockerCliImage,
    "inspect",
    "--format",
    '"{{json .RepoDigests}}"',
    reference,
  ];
}

/** The outcome of one inspect: its combined output and, when it failed, the process error. */
export interface InspectOutcome {
  output: string;
  /** `exit status <n>` (or another process error) when the inspect failed. */
  error?: string;
}

/**
 * Turns a way of running the inspect command into the lookup populateDigests takes: a failed
 * inspect (an image that does not exist) becomes acb's `failed to query digests` error.
 */
export function repoDigestLookup(
  runInspect: (reference: string) => Promise<InspectOutcome>,
  log?: (message: string) => void,
): (reference: string) => Promise<string[]> {
  return async (reference) => {
    const outcome = await runInspect(reference);
    if (outcome.error !== undefined) {
      throw new Error(`failed to query digests, msg: ${outcome.output}: ${outcome.error}`);
    }
    return parseRepoDigestsOutput(outcome.output, log);
  };
}

/** `<registry>/<repository>:<tag or latest>`: what a remote digest lookup resolves. */
export function remoteDigestReference(reference: ImageReference): string {
  const tag = reference.tag === "" ? "latest" : reference.tag;
  return `${reference.registry}/${reference.repository}:${tag}`;
}

export interface PopulateDigestsOptions {
  /** The engine's RepoDigests of a reference; throws when the image cannot be inspected. */
  inspectRepoDigests: (reference: string) => Promise<string[]>;
  /**
   * Set when the build used BuildKit (`DOCKER_BUILDKIT=1` or `cache: enabled`): the base images
   * were not pulled into the engine, so their digests come from their registries through this.
   */
  resolveRemoteDigest?: (reference: ImageReference) => Promise<string>;
}

function needsDigest(reference: ImageReference): boolean {
  return reference.digest === "" && reference.reference !== SCRATCH_LATEST;
}

async function populateLocally(
  reference: ImageReference,
  inspectRepoDigests: (reference: string) => Promise<string[]>,
): Promise<void> {
  if (!needsDigest(reference)) {
    return;
  }
  const repoDigests = await inspectRepoDigests(reference.reference);
  reference.digest = digestFromRepoDigests(repoDigests, reference);
}

/**
 * Fills the digests of one build step's entries in acb's order (per entry: the image, the
 * runtime dependency, then each build-time one). The first failure stops it and is thrown.
 */
export async function populateDigests(
  entries: ImageDependencies[],
  options: PopulateDigestsOptions,
): Promise<void> {
  for (const entry of entries) {
    if (entry.image) {
      await populateLocally(entry.image, options.inspectRepoDigests);
    }

    for (const dependency of [entry.runtime, ...entry.buildtime]) {
      if (options.resolveRemoteDigest) {
        if (needsDigest(dependency)) {
          dependency.digest = await options.resolveRemoteDigest(dependency);
        }
      } else {
        await populateLocally(dependency, options.inspectRepoDigests);
      }
    }
  }
}
