// Fetches a run's source context into a folder on this machine, as ACR's agent downloads it
// before acb starts: an uploaded tarball is unpacked, a git repository is cloned at the ref
// the context names. The runner copies the folder into the run's workspace volume.

import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join, normalize } from "node:path";

import { gitEnvironment } from "../git-environment.js";
import type { SourceLocation } from "./run-plan.js";
import { RunPlanError } from "./run-plan.js";

export interface FetchedSource {
  /** The context root: the clone, or the folder within it that the context names. */
  directory: string;
  /** `{{.Run.Commit}}`, `{{.Run.Branch}}`, `{{.Run.Repository}}`: empty for an upload. */
  commit: string;
  branch: string;
  repository: string;
}

export interface FetchSourceOptions {
  /** An empty folder to fetch into. */
  destination: string;
  /** Writes the uploaded tarball at `relativePath` of the run's registry to `file`. */
  downloadUpload(relativePath: string, file: string): Promise<void>;
}

export async function fetchSource(
  location: SourceLocation,
  options: FetchSourceOptions,
): Promise<FetchedSource> {
  const tree = join(options.destination, "source");
  await mkdir(tree, { recursive: true });

  if (location.kind === "upload") {
    const archive = join(options.destination, "source.tar.gz");
    await options.downloadUpload(location.relativePath, archive);
    await run("tar", ["-xzf", archive, "-C", tree], "failed to unpack the uploaded source");
    return { directory: tree, commit: "", branch: "", repository: "" };
  }

  await run(
    "git",
    ["clone", "--quiet", "--no-checkout", "--", location.url, tree],
    "failed to clone the source repository",
    location.token,
    gitEnvironment(location.url, location.token),
  );

  const ref = location.ref ?? "";
  const checkout = ref === "" ? ["checkout", "--quiet"] : await checkoutOf(tree, ref);
  await run("git", ["-C", tree, ...checkout], `failed to check out '${ref}'`);

  const commit = (await run("git", ["-C", tree, "rev-parse", "HEAD"], "no commit")).trim();
  const branch =
    ref !== "" && !/^[0-9a-f]{40}$/i.test(ref)
      ? ref
      : (await run("git", ["-C", tree, "rev-parse", "--abbrev-ref", "HEAD"], "no branch")).trim();
  const folder = location.folder ? normalize(location.folder).replace(/^(\.\.(\/|$))+/, "") : "";
  return {
    directory: folder === "" ? tree : join(tree, folder),
    commit,
    branch: branch === "HEAD" ? "" : branch,
    repository: location.url,
  };
}

/** A branch or tag checks out as the remote has it; anything else as a commit. */
async function checkoutOf(tree: string, ref: string): Promise<string[]> {
  const remoteBranch = await run(
    "git",
    ["-C", tree, "rev-parse", "--verify", "--quiet", `refs/remotes/origin/${ref}`],
    "",
  ).catch(() => "");
  return remoteBranch !== ""
    ? ["checkout", "--quiet", "-B", ref, `origin/${ref}`]
    : ["checkout", "--quiet", "--detach", ref];
}

function run(
  command: string,
  args: string[],
  failure: string,
  secret?: string,
  environment: NodeJS.ProcessEnv = gitEnvironment("", undefined),
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { maxBuffer: 16 * 1024 * 1024, env: environment },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        let detail = (stderr || error.message).trim().split("\n")[0] ?? "";
        if (secret) {
          detail = detail.split(secret).join("REDACTED");
        }
        reject(new RunPlanError(`${failure}: ${detail}`));
      },
    );
  });
}
