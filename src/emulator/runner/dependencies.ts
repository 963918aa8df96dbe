// The executor's dependency scan and report (spec: runner §4.10.2, §4.14) over the run's
// workspace volume: the scan module reads the step's Dockerfile and the checkout's HEAD through
// short-lived containers of the docker CLI image, since the workspace lives in a Docker volume.

import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";

import type { Step } from "../../taskfile/model.js";
import { normalizeWorkingDirectory, WORKSPACE_MOUNT } from "./docker-args.js";
import { errorMessage } from "./errors.js";
import type { BuildDependencies, BuildDependencyContext, BuildRewrite } from "./execute.js";
import {
  downloadRemoteContext,
  gitHeadRevision,
  isContextArchive,
  isRemoteContext,
  isSourceControlUrl,
  materializeGitContext,
  remoteBuildWorkingDirectory,
  replacePositionalContext,
  runHostGitCommand,
  parseBuildString,
  populateDigests,
  remoteContextWarning,
  renderDependencyYaml,
  repoDigestLookup,
  repoDigestsInspectArgs,
  SCAN_PROCESS_ERROR,
  scanBuildDependencies,
  ScanError,
} from "./scan/index.js";
import type { ImageDependencies, ScanOptions, ScanSource } from "./scan/index.js";
import { isOciContext } from "./scan/build-string.js";

/** Exit status of the read script when the file does not exist. */
const MISSING_FILE_STATUS = 3;

/** Prints a file; a directory reads as empty (as acb's reader sees it); a missing file exits 3. */
const READ_FILE_SCRIPT = `if [ -d "$1" ]; then exit 0; elif [ -e "$1" ]; then exec cat -- "$1"; else exit ${MISSING_FILE_STATUS}; fi`;

/**
 * The commit checked out around a directory, read from `.git` the way `git rev-parse HEAD`
 * resolves it (the image has no git): a symbolic HEAD through its ref file or packed-refs.
 */
const HEAD_REVISION_SCRIPT = [
  'cd "$1" 2>/dev/null || exit 1',
  "d=$(pwd)",
  'while [ ! -e "$d/.git" ]; do [ "$d" = / ] && exit 1; d=$(dirname "$d"); done',
  'g="$d/.git"',
  'if [ -f "$g" ]; then g=$(sed -n "s/^gitdir: //p" "$g"); case "$g" in /*) ;; *) ' +
    'g="$d/$g";; esac; fi',
  'h=$(cat "$g/HEAD") || exit 1',
  'case "$h" in',
  '  "ref: "*) r=${h#ref: }; if [ -f "$g/$r" ]; then cat "$g/$r"; else grep " $r$" ' +
    '"$g/packed-refs" | cut -d" " -f1; fi;;',
  '  *) echo "$h";;',
  "esac",
].join("\n");

function workspaceContainerArgs(
  context: BuildDependencyContext,
  workingDirectory: string,
  script: string,
  argument: string,
): string[] {
  return [
    "run",
    "--rm",
    "--volume",
    `${context.workspaceVolume}:${WORKSPACE_MOUNT}`,
    "--workdir",
    workingDirectory,
    "--entrypoint",
    "sh",
    context.dockerCliImage,
    "-c",
    script,
    "sh",
    argument,
  ];
}

/** The step's files, relative to its working directory inside the workspace volume. */
function workspaceSource(step: Step, context: BuildDependencyContext): ScanSource {
  const workingDirectory = normalizeWorkingDirectory(step.workingDirectory);
  return {
    async readFile(path) {
      const result = await context.runProcess({
        command: context.docker,
        args: workspaceContainerArgs(context, workingDirectory, READ_FILE_SCRIPT, path),
        signal: context.signal,
      });
      if (result.exitCode === MISSING_FILE_STATUS) {
        return undefined;
      }
      if (result.exitCode !== 0) {
        throw new Error(result.stderr.trim() || `exit status ${result.exitCode}`);
      }
      return result.stdout;
    },
  };
}

/**
 * The scan, failing as acb's scanner process does: the process error (`exit status 1`) with the
 * scanner's output for the log.
 */
async function scanOrFail(options: ScanOptions): Promise<ImageDependencies[]> {
  try {
    return await scanBuildDependencies(options);
  } catch (error) {
    if (error instanceof ScanError) {
      throw Object.assign(new Error(SCAN_PROCESS_ERROR), { output: error.output });
    }
    throw error;
  }
}

/**
 * Fetches a remote build context into the workspace folder `destination` (the step id under the
 * step's working directory), as acb's scanner does: a git repository cloned on this machine, an
 * HTTP(S) archive unpacked, any other HTTP(S) payload kept as the Dockerfile.
 */
async function fetchRemoteContext(
  buildContext: string,
  destination: string,
  context: BuildDependencyContext,
): Promise<void> {
  if (isOciContext(buildContext)) {
    throw new Error(
      "failed to download source code: the local runner cannot pull oci:// build contexts",
    );
  }
  const staging = await mkdtemp(join(tmpdir(), "acrtask-context-"));
  try {
    const folder = join(staging, "context");
    if (isSourceControlUrl(buildContext)) {
      await mkdir(folder);
      // The scanner's own lines (a missing git-lfs) show only when the scan fails, as in acb.
      await materializeGitContext(buildContext, {
        destination: folder,
        runGit: runHostGitCommand,
        isDirectory: async (path) => {
          try {
            return (await stat(path)).isDirectory();
          } catch {
            return undefined;
          }
        },
      });
      await context.copyIntoWorkspace({ kind: "directory", path: folder }, destination);
      return;
    }

    const payload = await downloadRemoteContext(buildContext);
    if (isContextArchive(payload)) {
      const archive = join(staging, "context.tar");
      await writeFile(archive, payload);
      await context.copyIntoWorkspace({ kind: "archive", path: archive }, destination);
    } else {
      await mkdir(folder);
      await writeFile(join(folder, "Dockerfile"), payload);
      await context.copyIntoWorkspace({ kind: "directory", path: folder }, destination);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The scans of a run, which the emulator also reads to record a task's base images. */
export interface WorkspaceBuildDependencies extends BuildDependencies {
  /** Every build step's entries, in step order, with digests once populated. */
  entries(): ImageDependencies[];
}

/** One run's scans, digests and report. */
export function workspaceBuildDependencies(): WorkspaceBuildDependencies {
  const scans = new Map<string, { index: number; entries: ImageDependencies[] }>();
  const inStepOrder = () =>
    // Entries in step order, whatever order parallel builds finished their scans in.
    [...scans.values()].sort((a, b) => a.index - b.index).flatMap((scan) => scan.entries);

  return {
    entries: inStepOrder,

    async scan(step, context) {
      const { context: buildContext } = parseBuildString(step.build);
      const warning = remoteContextWarning(buildContext);
      if (warning) {
        context.logLine(warning);
      }
      const workingDirectory = normalizeWorkingDirectory(step.workingDirectory);
      let rewrite: BuildRewrite | undefined;
      if (isRemoteContext(buildContext)) {
        try {
          await fetchRemoteContext(buildContext, posix.join(workingDirectory, step.id), context);
        } catch (error) {
          const output = errorMessage(error);
          throw Object.assign(new Error(SCAN_PROCESS_ERROR), { output });
        }
        rewrite = {
          build: replacePositionalContext(step.build, "."),
          workingDirectory: remoteBuildWorkingDirectory(buildContext, step.id),
        };
      }

      const entries = await scanOrFail({
        build: step.build,
        source: workspaceSource(step, context),
        stepId: step.id,
        headRevision: (directory) =>
          gitHeadRevision(directory, async (_args, cwd) => {
            const result = await context.runProcess({
              command: context.docker,
              args: workspaceContainerArgs(context, workingDirectory, HEAD_REVISION_SCRIPT, cwd),
              signal: context.signal,
            });
            const revision = result.stdout.trim();
            if (result.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(revision)) {
              throw new Error("no revision");
            }
            return revision;
          }),
      });
      scans.set(step.id, { index: step.index, entries });
      return rewrite;
    },

    async populateDigests(step, context) {
      const entries = scans.get(step.id)?.entries;
      if (!entries) {
        return;
      }
      // The engine holds every base image here (nothing is pulled from elsewhere), so even a
      // BuildKit build's digests are read locally; acb's announcement is kept.
      if (step.usesBuildCache || step.env.includes("DOCKER_BUILDKIT=1")) {
        context.logLine("Image was built using buildkit, fetching Digest from remote...");
      }
      const inspect = repoDigestLookup(async (reference) => {
        const result = await context.runProcess({
          command: context.docker,
          args: repoDigestsInspectArgs(reference, {
            homeVolume: context.homeVolume,
            dockerCliImage: context.dockerCliImage,
          }),
          signal: context.signal,
        });
        const output = `${result.stdout}${result.stderr}`;
        return result.exitCode === 0
          ? { output }
          : { output, error: `exit status ${result.exitCode ?? "killed"}` };
      }, context.logLine);
      await populateDigests(entries, { inspectRepoDigests: inspect });
    },

    report() {
      const entries = inStepOrder();
      return entries.length === 0 ? "" : renderDependencyYaml(entries);
    },
  };
}
