// The report's `git-head-revision` (spec: runner §6.6): `git rev-parse --verify HEAD` in the build
// context's directory. Any failure, a context that is no checkout included, gives "", which the
// report shows as `git: {}`.

import { execFile } from "node:child_process";

/** The arguments acb passes to git. */
export const GIT_HEAD_REVISION_ARGS = ["rev-parse", "--verify", "HEAD"];

/** Runs git with these arguments in a directory and resolves to its stdout; rejects on failure. */
export type GitRunner = (args: string[], directory: string) => Promise<string>;

/** git on this machine, for a context that lives in a directory of the host. */
export const runHostGit: GitRunner = (args, directory) =>
  new Promise((resolve, reject) => {
    execFile("git", args, { cwd: directory, windowsHide: true }, (error, stdout) => {
      if (error) {
        reject(error);
        return;
      }
      resolve(stdout);
    });
  });

/** The commit checked out in a directory, or "" when git cannot tell. */
export async function gitHeadRevision(
  directory: string,
  runGit: GitRunner = runHostGit,
): Promise<string> {
  try {
    return (await runGit(GIT_HEAD_REVISION_ARGS, directory)).trim();
  } catch {
    return "";
  }
}
