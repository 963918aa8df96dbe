// Materialising a git build context the way acb's scanner does before it scans (spec: runner
// §4.10.3, §6.7): moby's git URL rules, a shallow fetch where the server allows it, the checkout,
// submodules and LFS, then the `:subdir` of the URL. git itself runs through an injected function,
// so the commands can run on this machine or in a container that sees the workspace.

import { execFile } from "node:child_process";

import { gitReferenceAndSubdirectory, isUrl, joinPath } from "./build-string.js";

/** A git context split into what to fetch and where the build context is inside it. */
export interface GitRemote {
  /** The repository URL, fragment removed (a PAT-only user rewritten to `dummy:<PAT>`). */
  remote: string;
  /** The branch, tag, commit or pull ref; "" for the remote's default. */
  ref: string;
  /** The build context's directory inside the repository; "" for its root. */
  subdirectory: string;
}

/** moby's transports for git contexts; anything else gets `https://` in front. */
function isGitTransport(context: string): boolean {
  return isUrl(context) || context.startsWith("git://") || context.startsWith("git@");
}

/**
 * A URL whose user has no password carries a personal access token as the user; acb moves it to
 * the password with the user `dummy`, which is how GitHub and Azure Repos accept a token.
 */
function withTokenAsPassword(remote: string): string {
  const match = /^(https?:\/\/)([^:@/]+)@/.exec(remote);
  if (!match) {
    return remote;
  }
  return `${match[1]}dummy:${match[2]}@${remote.slice(match[0].length)}`;
}

/** Splits a git context into remote, ref and subdirectory (moby's parseRemoteURL). */
export function parseGitRemote(context: string): GitRemote {
  const url = isGitTransport(context) ? context : `https://${context}`;
  const hash = url.indexOf("#");
  const remote = hash < 0 ? url : url.slice(0, hash);
  const { ref, subdirectory } = gitReferenceAndSubdirectory(url);
  return { remote: withTokenAsPassword(remote), ref, subdirectory };
}

/** The fetch acb tries first: shallow where the transport allows it. */
export function gitFetchArgs(ref: string, shallow: boolean): string[] {
  const args = ["fetch", ...(shallow ? ["--depth", "1"] : []), "origin"];
  return ref === "" ? args : [...args, ref];
}

/** What is checked out: the ref, or FETCH_HEAD for the default branch and pull request refs. */
export function gitCheckoutTarget(ref: string): string {
  if (ref === "" || /^pull\/[0-9]+\/(?:head|merge)$/.test(ref)) {
    return "FETCH_HEAD";
  }
  return ref;
}

/** One git command's outcome; exit code 0 is success. */
export interface GitCommandResult {
  exitCode: number | null;
  /** stdout and stderr together. */
  output: string;
}

export type GitCommandRunner = (args: string[], directory: string) => Promise<GitCommandResult>;

function exitError(result: GitCommandResult): string {
  return result.exitCode === null ? "signal: killed" : `exit status ${result.exitCode}`;
}

/**
 * Whether an HTTP(S) git server is a "smart" one, which alone allows a shallow fetch: it answers
 * the upload-pack advertisement with its own content type. Other transports always allow it.
 */
export async function supportsShallowClone(remote: string): Promise<boolean> {
  if (!isUrl(remote)) {
    return true;
  }

  const url = new URL(`${remote}/info/refs?service=git-upload-pack`);
  const headers: Record<string, string> = {};
  if (url.username !== "" || url.password !== "") {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }

  const ask = async (method: string) => {
    try {
      const response = await fetch(url, { method, headers, redirect: "follow" });
      await response.body?.cancel();
      return response;
    } catch {
      return undefined;
    }
  };
  let response = await ask("HEAD");
  if (response?.status !== 200) {
    response = await ask("GET");
  }
  if (response?.status !== 200) {
    return false;
  }
  return response.headers.get("content-type") === "application/x-git-upload-pack-advertisement";
}

/** Where to clone and how to run git; the destination directory must exist. */
export interface GitCloneOptions {
  /** The directory to clone into (acb uses the step id), as the runner addresses it. */
  destination: string;
  runGit: GitCommandRunner;
  /** Whether a path is a directory: true, false, or undefined when there is nothing there. */
  isDirectory: (path: string) => Promise<boolean | undefined>;
  /** Defaults to asking the server (supportsShallowClone). */
  shallow?: (remote: string) => Promise<boolean>;
  /** Receives acb's warning when git-lfs is missing. */
  log?: (message: string) => void;
}

/**
 * Clones a git context into its destination and returns the build context's directory (the
 * destination, or the URL's subdirectory inside it). Failures carry acb's messages, including
 * the scanner's `failed to download source code: ` prefix.
 */
export async function materializeGitContext(
  context: string,
  options: GitCloneOptions,
): Promise<string> {
  try {
    return await cloneGitRepository(parseGitRemote(context), options);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `failed to download source code: unable to git clone to ${options.destination}: ${cause}`,
    );
  }
}

/** moby's clone sequence for an already parsed remote. */
export async function cloneGitRepository(
  repository: GitRemote,
  options: GitCloneOptions,
): Promise<string> {
  const { remote, ref, subdirectory } = repository;
  const root = options.destination;
  const git = (...args: string[]) => options.runGit(args, root);
  const init = await git("init");
  if (init.exitCode !== 0) {
    throw new Error(`failed to init repo at ${root}: ${init.output}: ${exitError(init)}`);
  }

  const addRemote = await git("remote", "add", "origin", remote);
  if (addRemote.exitCode !== 0) {
    throw new Error(
      `failed add origin repo at ${remote}: ${addRemote.output}: ${exitError(addRemote)}`,
    );
  }

  const shallow = await (options.shallow ?? supportsShallowClone)(remote);
  const fetch = await git(...gitFetchArgs(ref, shallow));
  if (fetch.exitCode !== 0) {
    // A commit SHA cannot be fetched shallowly from most servers; everything is fetched instead.
    const fullFetch = await git("fetch", "origin");
    if (fullFetch.exitCode !== 0) {
      throw new Error(`error fetching: ${fullFetch.output}: ${exitError(fetch)}`);
    }
  }

  const target = gitCheckoutTarget(ref);
  const checkout = await git("checkout", target);
  if (checkout.exitCode !== 0) {
    const fallback = target === "FETCH_HEAD" ? checkout : await git("checkout", "FETCH_HEAD");
    if (fallback.exitCode !== 0) {
      throw new Error(`error checking out ${ref}: ${checkout.output}: ${exitError(checkout)}`);
    }
  }

  const submodules = await git("submodule", "update", "--init", "--recursive", "--depth=1");
  if (submodules.exitCode !== 0) {
    throw new Error(
      `error initializing submodules: ${submodules.output}: ${exitError(submodules)}`,
    );
  }

  const lfs = await git("lfs", "version");
  if (lfs.exitCode === 0) {
    const pull = await git("lfs", "pull");
    if (pull.exitCode !== 0) {
      throw new Error(`error pulling git-lfs objects: ${pull.output}: ${exitError(pull)}`);
    }
  } else {
    options.log?.("WARNING: git-lfs is not installed");
  }

  if (subdirectory === "") {
    return root;
  }

  const inside = joinPath(root, subdirectory);
  const escapes = joinPath(subdirectory).split("/")[0] === "..";
  if (escapes) {
    throw new Error(`error setting git context, "${subdirectory}" not within git root`);
  }
  const isDirectory = await options.isDirectory(inside);
  if (isDirectory === undefined) {
    throw new Error(`stat ${inside}: no such file or directory`);
  }
  if (!isDirectory) {
    throw new Error(`error setting git context, not a directory: ${inside}`);
  }
  return inside;
}

/** git on this machine: runs in the directory and reports the exit code and combined output. */
export const runHostGitCommand: GitCommandRunner = (args, directory) =>
  new Promise((resolve) => {
    execFile("git", args, { cwd: directory, windowsHide: true }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ exitCode, output: `${stdout}${stderr}` });
    });
  });

/** The scanner's backoff between attempts: 250 ms doubled each time, at most 5 s. */
export function exponentialBackoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000);
}

const DOWNLOAD_ATTEMPTS = 3;

export interface DownloadOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to a timer; tests pass one that returns at once. */
  sleep?: (milliseconds: number) => Promise<void>;
}

function defaultSleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Downloads an HTTP(S) build context: up to three attempts, a 4xx answer failing at once with its
 * body, a 5xx retried after a backoff. acb retries a connection error without counting it, which
 * can loop forever; here it counts as an attempt.
 */
export async function downloadRemoteContext(
  url: string,
  options: DownloadOptions = {},
): Promise<Buffer> {
  const get = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  let lastError = "";

  for (let attempt = 0; attempt < DOWNLOAD_ATTEMPTS; attempt++) {
    let response: Response;
    try {
      response = await get(url, { redirect: "follow" });
    } catch (error) {
      lastError = `Get "${url}": ${error instanceof Error ? error.message : String(error)}`;
      continue;
    }

    if (response.status < 400) {
      return Buffer.from(await response.arrayBuffer());
    }

    const message = `failed to GET ${url} with status ${response.status} ${response.statusText}`;
    if (response.status < 500 || attempt === DOWNLOAD_ATTEMPTS - 1) {
      lastError = `${message}: ${(await response.text()).trim()}`;
      break;
    }
    await response.body?.cancel();
    await sleep(exponentialBackoff(attempt));
  }

  throw new Error(
    `failed to download source code: unable to download remote context from ${url}: ${lastError}`,
  );
}

/** Octal number of a tar header field (NUL or space terminated). */
function tarOctal(header: Buffer, start: number, length: number): number {
  const text = header
    .subarray(start, start + length)
    .toString("latin1")
    .replace(/[\0 ]+$/, "")
    .trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : -1;
}

/**
 * Whether downloaded bytes are an archive acb extracts into the context directory: gzip, bzip2
 * or xz compressed, or a tar whose first header's checksum holds. Anything else is ignored, which
 * leaves the context directory empty.
 */
export function isContextArchive(bytes: Buffer): boolean {
  const compressed = [
    [0x1f, 0x8b, 0x08],
    [0x42, 0x5a, 0x68],
    [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  ];
  if (compressed.some((magic) => magic.every((byte, index) => bytes[index] === byte))) {
    return true;
  }

  if (bytes.length < 512) {
    return false;
  }
  const header = bytes.subarray(0, 512);
  const recorded = tarOctal(header, 148, 8);
  let sum = 0;
  for (let index = 0; index < 512; index++) {
    sum += index >= 148 && index < 156 ? 0x20 : header[index];
  }
  return recorded === sum;
}
