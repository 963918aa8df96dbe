// The seed tutorial's source repository as a local git repository: the tutorial's task file and
// Dockerfile with a small web app, committed on branch main, for tasks whose context is a local
// repository instead of GitHub.

import { appendFileSync, cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { runGit } from "./git.js";

const SEED_FILES = join(__dirname, "..", "..", "examples", "acr-build-helloworld-node");

/** Creates `<parent>/acr-build-helloworld-node` and returns its path. */
export function createSeedRepository(parent: string): string {
  const repository = join(parent, "acr-build-helloworld-node");
  mkdirSync(repository, { recursive: true });
  for (const file of ["taskmulti.yaml", "Dockerfile", "server.js", "package.json"]) {
    cpSync(join(SEED_FILES, file), join(repository, file));
  }

  const git = gitIn(repository);
  git("init", "--quiet", "--initial-branch", "main");
  git("add", ".");
  git("commit", "--quiet", "-m", "The hello-world web app and its multi-step task");
  return repository;
}

/** Appends `text` to `file` of the repository, commits, and returns the new head commit. */
export function commitToSeedRepository(repository: string, file: string, text: string): string {
  appendFileSync(join(repository, file), text);
  const git = gitIn(repository);
  git("add", file);
  git("commit", "--quiet", "-m", `Change ${file}`);
  return git("rev-parse", "HEAD");
}

function gitIn(repository: string): (...args: string[]) => string {
  return (...args) => runGit(repository, ...args);
}
