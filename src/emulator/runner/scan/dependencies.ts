// A build step's dependency scan (spec: runner §4.10.2, §6): which Dockerfile, its base images,
// and the report entries made of them, one per tag. acb runs this in a scanner container before
// the build; here it runs in-process over an injected view of the step's files.

import { logTimestamp } from "../log.js";
import { contextDirectory, dockerfilePath, parseBuildString } from "./build-string.js";
import { resolveDockerfileDependencies } from "./dockerfile.js";
import { newImageReference, normalizeImageTag, type ImageReference } from "./reference.js";

/** The files of a build step, by path relative to the step's working directory. */
export interface ScanSource {
  /** The file's text, or undefined when there is no such file; other failures throw. */
  readFile(path: string): Promise<string | undefined>;
}

/** One entry of the dependency report (acb's `image.Dependencies`). */
export interface ImageDependencies {
  /** The built image under one of its tags; null when the build has no `-t`. */
  image: ImageReference | null;
  runtime: ImageReference;
  buildtime: ImageReference[];
  /** The commit of the build context, or "" when it is not a git checkout. */
  gitHeadRevision: string;
}

/** acb's outer limit on a build step's scan, in seconds (§6.5). */
export const SCAN_TIMEOUT_SECONDS = 900;

/** The scanner's own limit, in seconds: what bounds a remote context's download (§6.5). */
export const SCANNER_TIMEOUT_SECONDS = 60;

/**
 * acb runs the scanner as a process: when it fails, acb logs the scanner's whole output after
 * `Output from dependency scanning: ` and the step fails with the process error, which is always
 * this one (`failed to scan dependencies: exit status 1`).
 */
export const SCAN_PROCESS_ERROR = "exit status 1";

/** The scan's failure: the scanner's error, and its output as acb logs it. */
export class ScanError extends Error {
  /**
   * The scanner's lines (timestamped, as its logger writes them) followed by its error, trimmed:
   * the text after `Output from dependency scanning: `.
   */
  readonly output: string;

  constructor(message: string, lines: string[] = []) {
    super(message);
    this.output = [...lines, message].join("\n").trim();
  }
}

/**
 * The entry for one tag: the runtime origin as named, the build-time origins with `:latest`
 * added and `library/` removed before de-duplication (`golang`, `golang:latest` and
 * `library/golang` are one dependency).
 */
export function newImageDependencies(
  tag: string,
  runtime: string,
  buildtime: string[],
): Omit<ImageDependencies, "gitHeadRevision"> {
  const image = tag === "" ? null : newImageReference(normalizeImageTag(tag));
  const runtimeReference = newImageReference(normalizeImageTag(runtime));

  const seen = new Set<string>();
  const buildtimeReferences: ImageReference[] = [];
  for (const name of buildtime) {
    let normalized = normalizeImageTag(name);
    if (normalized.startsWith("library/")) {
      normalized = normalized.slice("library/".length);
    }
    if (seen.has(normalized)) {
      continue;
    }
    seen.add(normalized);
    buildtimeReferences.push(newImageReference(normalized));
  }

  return { image, runtime: runtimeReference, buildtime: buildtimeReferences };
}

export interface ScanOptions {
  /** The build step's string (the arguments of `docker build`). */
  build: string;
  /** The step's files; a remote context must already be materialised into `<stepId>/`. */
  source: ScanSource;
  /** The step's id: the directory a remote context is materialised into. */
  stepId: string;
  /** The commit of the context directory (see gitHeadRevision); "" when not given. */
  headRevision?: (contextDirectory: string) => Promise<string>;
  /**
   * Receives the scanner's informational lines as they happen. acb shows them only when the scan
   * fails (they are part of ScanError.output), so a faithful run log does not print them.
   */
  log?: (message: string) => void;
  /** The clock of the scanner's log prefix; the current time by default. */
  clock?: () => Date;
}

/** The file the scan opens, relative to the step's working directory. */
export function scannedDockerfilePath(build: string, stepId: string): string {
  const parsed = parseBuildString(build);
  return dockerfilePath(
    parsed.context,
    contextDirectory(parsed.context, stepId),
    parsed.dockerfile,
  );
}

/**
 * Scans a build step: reads its Dockerfile, resolves the base images with the build string's
 * `--build-arg` values and `--target`, and makes one entry per tag (one with a null image when
 * there is no tag). Throws ScanError with acb's message.
 */
export async function scanBuildDependencies(options: ScanOptions): Promise<ImageDependencies[]> {
  const parsed = parseBuildString(options.build);
  const directory = contextDirectory(parsed.context, options.stepId);
  const path = dockerfilePath(parsed.context, directory, parsed.dockerfile);
  const clock = options.clock ?? (() => new Date());
  const lines: string[] = [];
  const log = (message: string) => {
    lines.push(`${logTimestamp(clock())}${message}`);
    options.log?.(message);
  };

  let text: string | undefined;
  try {
    text = await options.source.readFile(path);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new ScanError(`error opening dockerfile: ${path}, error: ${cause}`, lines);
  }
  if (text === undefined) {
    throw new ScanError(
      `error opening dockerfile: ${path}, error: open ${path}: no such file or directory`,
      lines,
    );
  }

  let entries: Omit<ImageDependencies, "gitHeadRevision">[];
  try {
    const { runtime, buildtime } = resolveDockerfileDependencies(text, {
      buildArgs: parsed.buildArgs,
      target: parsed.target,
      log,
    });
    const tags = parsed.tags.length === 0 ? [""] : parsed.tags;
    entries = tags.map((tag) => newImageDependencies(tag, runtime, buildtime));
  } catch (error) {
    throw new ScanError(error instanceof Error ? error.message : String(error), lines);
  }

  const revision = options.headRevision ? await options.headRevision(directory) : "";
  return entries.map((entry) => ({ ...entry, gitHeadRevision: revision }));
}
