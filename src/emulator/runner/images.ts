// Images the runner makes on the local engine from files of this machine, because nothing can be
// assumed pullable: a busybox root file system (shell and core utilities), and on top of it the
// docker command line that ACR runs `docker …` steps, logins and pushes with. Tags are content
// addressed, so an image is imported once per engine and a changed binary gets a new tag.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, realpathSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";

import { spawnProcess } from "./process.js";
import type { ProcessRunner } from "./process.js";

const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];

/** Bumped whenever the layout of the images changes, so that old tags are not reused. */
const RECIPE_VERSION = "1";

/**
 * Like Docker Hub's `docker` image: arguments that start with a flag or name a docker
 * sub-command are handed to `docker`; anything else runs as a command.
 */
const DOCKER_ENTRYPOINT = `#!/bin/sh
set -e
if [ "$#" -eq 0 ]; then
  set -- sh
elif [ "\${1#-}" != "$1" ]; then
  set -- docker "$@"
elif docker help "$1" > /dev/null 2>&1; then
  set -- docker "$@"
fi
exec "$@"
`;

const PATH_VARIABLE = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface LocalImageOptions {
  /** The docker binary on this machine (command name or path); `docker` by default. */
  docker?: string;
  /** Repository of the tag, e.g. `acrtask-runner/docker-cli`. */
  repository?: string;
  run?: ProcessRunner;
}

/** Finds a program on PATH the way a shell does. */
export function resolveExecutable(command: string): string | undefined {
  if (command.includes("/")) {
    return existsSync(command) ? realpathSync(command) : undefined;
  }
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (directory !== "" && existsSync(join(directory, command))) {
      return realpathSync(join(directory, command));
    }
  }
  return undefined;
}

function findBusybox(): string {
  const found = BUSYBOX_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      "The runner needs a static busybox to make its images. " +
        "Install it with: sudo apt-get install -y busybox-static",
    );
  }
  return realpathSync(found);
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** The shared libraries `ldd` lists for a binary (none for a static one). */
async function sharedLibraries(binary: string, run: ProcessRunner): Promise<string[]> {
  const result = await run({ command: "ldd", args: [binary] });
  if (result.exitCode !== 0) {
    return [];
  }
  const libraries: string[] = [];
  for (const line of result.stdout.split("\n")) {
    const resolved = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (resolved) {
      libraries.push(resolved[1]);
    }
  }
  return libraries;
}

async function applets(busybox: string, run: ProcessRunner): Promise<string[]> {
  const result = await run({ command: busybox, args: ["--list"] });
  return result.stdout.split("\n").filter((name) => /^[a-z0-9_.[-]+$/.test(name));
}

interface Payload {
  /** Absolute path inside the image → file of this machine. */
  files: Map<string, string>;
  digest: string;
}

async function collectPayload(
  binaries: Array<{ source: string; target: string }>,
  run: ProcessRunner,
): Promise<Payload> {
  const files = new Map<string, string>();
  for (const binary of binaries) {
    files.set(binary.target, binary.source);
    for (const library of await sharedLibraries(binary.source, run)) {
      files.set(library, library);
    }
  }
  const hash = createHash("sha256").update(RECIPE_VERSION).update(DOCKER_ENTRYPOINT);
  for (const [target, source] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${target}\0${await fileDigest(source)}\0`);
  }
  return { files, digest: hash.digest("hex").slice(0, 16) };
}

async function imageExists(docker: string, tag: string, run: ProcessRunner): Promise<boolean> {
  const result = await run({
    command: docker,
    args: ["image", "inspect", "--format", "{{.Id}}", tag],
  });
  return result.exitCode === 0;
}

/** Writes the root file system into a folder and `docker import`s it as `tag`. */
async function importRootFileSystem(
  docker: string,
  tag: string,
  payload: Payload,
  busybox: string,
  run: ProcessRunner,
  withDockerEntrypoint: boolean,
): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), "acrtask-image-"));
  try {
    for (const [target, source] of payload.files) {
      const destination = join(staging, target);
      await mkdir(dirname(destination), { recursive: true });
      await copyFile(source, destination);
      await chmod(destination, (await stat(source)).mode & 0o777);
    }
    for (const name of await applets(busybox, run)) {
      const link = join(staging, "bin", name);
      if (name !== "busybox" && !existsSync(link)) {
        await symlink("/bin/busybox", link);
      }
    }
    await mkdir(join(staging, "etc"), { recursive: true });
    await writeFile(join(staging, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    await writeFile(join(staging, "etc", "group"), "root:x:0:\n");
    for (const directory of ["tmp", "root", "var/tmp"]) {
      await mkdir(join(staging, directory), { recursive: true });
      await chmod(join(staging, directory), directory === "root" ? 0o700 : 0o1777);
    }

    const changes = ["--change", `ENV ${PATH_VARIABLE}`];
    if (withDockerEntrypoint) {
      const entrypoint = join(staging, "usr", "local", "bin", "docker-entrypoint.sh");
      await writeFile(entrypoint, DOCKER_ENTRYPOINT, { mode: 0o755 });
      changes.push("--change", 'ENTRYPOINT ["docker-entrypoint.sh"]');
    }
    changes.push("--change", 'CMD ["sh"]');
    await tarInto(docker, staging, [...changes, "-", tag]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `tar -c` of a folder piped into `docker import`. */
function tarInto(docker: string, folder: string, importArgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn(
      "tar",
      ["-C", folder, "--numeric-owner", "--owner=0", "--group=0", "-cf", "-", "."],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const importer = spawn(docker, ["import", ...importArgs], { stdio: ["pipe", "pipe", "pipe"] });
    tar.stdout.pipe(importer.stdin);
    let errors = "";
    tar.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    importer.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    importer.stdout.resume();
    tar.on("error", reject);
    importer.on("error", reject);
    importer.on("close", (code) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`docker import failed: ${errors.trim()}`));
      }
    });
  });
}

const pending = new Map<string, Promise<string>>();

/** Makes (once) the image and returns its tag; concurrent callers share the work. */
function memoized(key: string, make: () => Promise<string>): Promise<string> {
  let entry = pending.get(key);
  if (!entry) {
    entry = make();
    pending.set(key, entry);
    entry.catch(() => pending.delete(key));
  }
  return entry;
}

/**
 * The memoized tag, checked against the engine each time: an image removed since (a prune) is
 * made again.
 */
async function stillThere(
  key: string,
  options: LocalImageOptions,
  make: () => Promise<string>,
): Promise<string> {
  const tag = await memoized(key, make);
  if (await imageExists(options.docker ?? "docker", tag, options.run ?? spawnProcess)) {
    return tag;
  }
  pending.delete(key);
  return memoized(key, make);
}

async function ensureImage(
  options: LocalImageOptions,
  defaultRepository: string,
  withDocker: boolean,
): Promise<string> {
  const docker = options.docker ?? "docker";
  const run = options.run ?? spawnProcess;
  const busybox = findBusybox();
  const binaries = [{ source: busybox, target: "/bin/busybox" }];
  if (withDocker) {
    const dockerPath = resolveExecutable(docker);
    if (!dockerPath || !isAbsolute(dockerPath)) {
      throw new Error(`The docker command line (${docker}) was not found.`);
    }
    binaries.push({ source: dockerPath, target: "/usr/local/bin/docker" });
  }
  const payload = await collectPayload(binaries, run);
  const tag = `${options.repository ?? defaultRepository}:${payload.digest}`;
  if (!(await imageExists(docker, tag, run))) {
    await importRootFileSystem(docker, tag, payload, busybox, run, withDocker);
  }
  return tag;
}

/**
 * The docker command line image (busybox + this machine's docker binary), standing in for the
 * `docker` image of ACR's agents. Returns its tag.
 */
export function ensureDockerCliImage(options: LocalImageOptions = {}): Promise<string> {
  const key = `cli\0${options.docker ?? "docker"}\0${options.repository ?? ""}\0${process.env.DOCKER_HOST ?? ""}`;
  return stillThere(key, options, () => ensureImage(options, "acrtask-runner/docker-cli", true));
}

/** A plain busybox image (shell and core utilities). Returns its tag. */
export function ensureBusyboxImage(options: LocalImageOptions = {}): Promise<string> {
  const key = `busybox\0${options.docker ?? "docker"}\0${options.repository ?? ""}\0${process.env.DOCKER_HOST ?? ""}`;
  return stillThere(key, options, () => ensureImage(options, "acrtask-runner/busybox", false));
}
