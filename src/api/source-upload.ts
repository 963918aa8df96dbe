// The source context of a run (az 2.45's `prepare_source_location`): nothing, a remote location
// checked as az checks it, or a local directory packed into a gzipped tar with az's
// .dockerignore rules and uploaded to the registry's build-source blob.

import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, readFile, readdir, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { Stats } from "node:fs";

import type { Logger } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { API_VERSIONS } from "../azure/arm.js";
import { describeSdkError } from "../azure/arm-errors.js";
import type { ResolvedRegistry } from "../azure/registry.js";
import type { BlobConnectionOptions } from "../logs/blob-transport.js";
import { isObject } from "./common.js";
import type { AcrSession } from "./session.js";
import { isNullContext, isTaskFile } from "./task-inputs.js";

export type SourceLogger = Pick<Logger, "warning" | "info" | "debug">;

/** The file name az gives its archive: `acr run`/`task run` and `acr build` differ. */
export type ArchivePrefix = "cli_source_archive" | "build_archive";

export interface SourceLocationOptions {
  /** `--context`/`SOURCE_LOCATION` as typed; absent or `/dev/null` means none. */
  sourceLocation?: string;
  /** `--file/-f` (only `task run` passes it): decides which Dockerfile goes into the archive. */
  dockerFile?: string;
  archivePrefix: ArchivePrefix;
  logger: SourceLogger;
  /** The proxy and CA the upload blob is reached with (the active cloud's). */
  blobConnection?: (blobUrl: string) => Promise<BlobConnectionOptions>;
  /** Sends `HEAD <url>` for a remote tarball; answers the status. Default: fetch. */
  head?: (url: string) => Promise<number>;
}

// Paths are joined as Python's os.path.join joins them: no normalisation, an absolute second
// part wins. They appear in az's messages exactly so.
export function pythonJoin(first: string, second: string): string {
  if (second.startsWith("/")) {
    return second;
  }
  if (first === "" || first.endsWith("/")) {
    return first + second;
  }
  return `${first}/${second}`;
}

export function pythonBasename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function onDisk(session: AcrSession, path: string): string {
  return isAbsolute(path) ? path : join(session.cwd, path);
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  return stat(path).catch(() => undefined);
}

/** What a path typed by the user (relative to the session's directory) is, if it exists. */
export async function localPathKind(
  session: AcrSession,
  path: string,
): Promise<"directory" | "file" | "other" | undefined> {
  const found = await statOrUndefined(onDisk(session, path));
  if (found === undefined) {
    return undefined;
  }
  return found.isDirectory() ? "directory" : found.isFile() ? "file" : "other";
}

/**
 * The source location to send: undefined for none, the remote location unchanged, or the
 * relative path of the uploaded archive of a local directory.
 */
export async function prepareSourceLocation(
  session: AcrSession,
  registry: ResolvedRegistry,
  options: SourceLocationOptions,
): Promise<string | undefined> {
  const location = options.sourceLocation;
  if (!location || isNullContext(location)) {
    return undefined;
  }

  const found = await statOrUndefined(onDisk(session, location));
  if (found === undefined) {
    const remote = await checkRemoteSourceLocation(location, options.head);
    options.logger.warning(`Sending context to registry: ${registry.registryName}...`);
    return remote;
  }
  if (!found.isDirectory()) {
    throw new CliError("Source location should be a local directory path or remote URL.");
  }

  // A task file (by extension) or `-` puts no Dockerfile into the archive. Any other -f must
  // exist in the context, but az then reads it relative to the current directory.
  let dockerFile: string;
  if (options.dockerFile) {
    if (isTaskFile(options.dockerFile) || options.dockerFile === "-") {
      dockerFile = "";
    } else {
      const inContext = pythonJoin(location, options.dockerFile);
      if (!(await statOrUndefined(onDisk(session, inContext)))?.isFile()) {
        throw new CliError(`Unable to find '${inContext}'.`);
      }
      dockerFile = options.dockerFile;
    }
  } else {
    dockerFile = pythonJoin(location, "Dockerfile");
    if ((await statOrUndefined(onDisk(session, dockerFile)))?.isFile()) {
      options.logger.info(`'--file or -f' is not provided. '${dockerFile}' is used.`);
    } else {
      dockerFile = "";
    }
  }

  const dockerFileInArchive = dockerFile ? pythonBasename(dockerFile.replace(/\\/g, "/")) : "";
  return packAndUpload(session, registry, {
    directory: location,
    dockerFile,
    dockerFileInArchive,
    archivePrefix: options.archivePrefix,
    logger: options.logger,
    blobConnection: options.blobConnection,
  });
}

export interface PackOptions {
  /** The directory as typed; messages and .dockerignore paths use it so. */
  directory: string;
  /** The Dockerfile to add at the end of the archive ("" for none), as az names it. */
  dockerFile: string;
  /** Its name in the archive. */
  dockerFileInArchive: string;
  archivePrefix: ArchivePrefix;
  logger: SourceLogger;
  /** The proxy and CA the upload blob is reached with (the active cloud's). */
  blobConnection?: (blobUrl: string) => Promise<BlobConnectionOptions>;
}

/**
 * Packs the directory into a temporary gzipped tar, uploads it to the registry's build-source
 * blob and returns the relative path a run request names it by. The archive is removed after.
 */
export async function packAndUpload(
  session: AcrSession,
  registry: ResolvedRegistry,
  options: PackOptions,
): Promise<string> {
  const archive = join(
    tmpdir(),
    `${options.archivePrefix}_${randomUUID().replace(/-/g, "")}.tar.gz`,
  );
  try {
    return await uploadSourceDirectory(session, registry, { ...options, archive });
  } catch (error) {
    // az turns anything that goes wrong while packing or uploading into a plain error (exit 1).
    if (error instanceof CliError) {
      throw new CliError(error.message);
    }
    const report = describeSdkError(error);
    throw new CliError(report?.message ?? (error instanceof Error ? error.message : String(error)));
  } finally {
    options.logger.debug(`Deleting the archived source code from '${archive}'...`);
    await rm(archive, { force: true });
  }
}

const VSTS_HOSTS = ["visualstudio.com", "dev.azure.com"];

async function headStatus(url: string): Promise<number> {
  // requests.head: no redirects followed, no credentials, any media type.
  const response = await fetch(url, {
    method: "HEAD",
    redirect: "manual",
    headers: { Accept: "*/*" },
  });
  return response.status;
}

/** az's check of a remote source location; the location itself when it passes. */
export async function checkRemoteSourceLocation(
  location: string,
  head: (url: string) => Promise<number> = headStatus,
): Promise<string> {
  const lower = location.toLowerCase();
  const doesNotExist = () => new CliError(`'${location}' doesn't exist.`);

  if (lower.startsWith("git@") || lower.startsWith("git://")) {
    return location;
  }

  if (
    lower.startsWith("https://") ||
    lower.startsWith("http://") ||
    lower.startsWith("github.com/")
  ) {
    if (VSTS_HOSTS.some((host) => lower.includes(host)) || /\.git(?:#.+)?$/.test(lower)) {
      return location;
    }
    if (lower.startsWith("github.com/")) {
      throw doesNotExist();
    }

    // Anything else over HTTP is taken for a tarball, which must answer a HEAD below 400.
    let status: number;
    try {
      status = await head(location);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new CliError(
        `Could not reach '${location}': ` +
          `${cause ?? (error instanceof Error ? error.message : String(error))}`,
      );
    }
    if (status < 400) {
      return location;
    }
    throw doesNotExist();
  }

  if (lower.startsWith("oci://")) {
    return location;
  }
  throw doesNotExist();
}

interface UploadOptions extends PackOptions {
  archive: string;
}

async function uploadSourceDirectory(
  session: AcrSession,
  registry: ResolvedRegistry,
  options: UploadOptions,
): Promise<string> {
  await packSourceDirectory(session, options);

  const size = (await stat(options.archive)).size;
  options.logger.warning(`Uploading archived source code from '${options.archive}'...`);

  const response = await session.arm.send(
    {
      method: "POST",
      path: `${registry.path}/listBuildSourceUploadUrl`,
      query: [["api-version", API_VERSIONS.tasks]],
    },
    [200],
  );
  const answer = isObject(response.json) ? response.json : {};
  const uploadUrl = typeof answer.uploadUrl === "string" ? answer.uploadUrl : "";
  const relativePath = typeof answer.relativePath === "string" ? answer.relativePath : "";
  if (!uploadUrl) {
    throw new CliError("Failed to get a SAS URL to upload context.");
  }

  await uploadArchive(uploadUrl, options.archive, await options.blobConnection?.(uploadUrl));
  options.logger.warning(
    `Sending context (${describeSize(size)}) to registry: ${registry.registryName}...`,
  );
  return relativePath;
}

/** The archive as a block blob: one PUT up to 64 MiB, else 4 MiB blocks, as az's SDK does. */
export async function uploadArchive(
  uploadUrl: string,
  archive: string,
  connection: BlobConnectionOptions = {},
): Promise<void> {
  const { AnonymousCredential, BlockBlobClient, newPipeline } = await import("@azure/storage-blob");
  const storagePipeline = newPipeline(new AnonymousCredential());

  // The storage client takes no pipeline policies of the newer kind; a request policy factory
  // of the older kind is the way to put the cloud's agent (proxy tunnel, CA) on each request.
  const { createBlobConnectionAgent } = await import("../logs/blob-transport.js");
  const agent = await createBlobConnectionAgent(uploadUrl, connection);
  if (agent) {
    storagePipeline.factories.push({
      create: (next) => ({
        sendRequest: (request) => {
          request.agent = agent;
          return next.sendRequest(request);
        },
      }),
    });
  }
  const client = new BlockBlobClient(uploadUrl, storagePipeline);
  await client.uploadFile(archive, {
    maxSingleShotSize: 64 * 1024 * 1024,
    blockSize: 4 * 1024 * 1024,
    concurrency: 4,
  });
}

/** `353.000 Bytes`, `1.234 MiB`: divided by 1024 while it is 1024 or more. */
export function describeSize(bytes: number): string {
  let size = bytes;
  let unit = "GiB";
  for (const candidate of ["Bytes", "KiB", "MiB", "GiB"]) {
    if (size < 1024) {
      unit = candidate;
      break;
    }
    size /= 1024;
  }
  return `${size.toFixed(3)} ${unit}`;
}

/** One `.dockerignore` rule as az reads it: an anchored pattern, and whether it ignores. */
export interface IgnoreRule {
  rule: string;
  ignore: boolean;
  pattern: RegExp;
}

export function ignoreRule(text: string): IgnoreRule {
  let rule = text;
  let ignore = true;
  if (rule.startsWith("!")) {
    ignore = false;
    rule = rule.slice(1);
    if (rule.startsWith("/")) {
      rule = rule.slice(1);
    }
    rule = rule.replace(/\/+$/, "");
  }

  // az's translation: `**` any number of directories, `*` and `?` within one segment, `.`
  // literal; every other character keeps its regular-expression meaning.
  const tokens = rule.split("/");
  let pattern = "^";
  tokens.forEach((token, index) => {
    if (token === "**") {
      pattern += ".*";
      return;
    }
    pattern += token.replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]").replace(/\./g, "\\.");
    if (index < tokens.length - 1) {
      pattern += "/";
    }
  });
  pattern += "$";

  try {
    return { rule: text, ignore, pattern: new RegExp(pattern) };
  } catch (error) {
    throw new CliError(
      `The .dockerignore rule '${text}' is not valid: ${(error as Error).message}`,
    );
  }
}

/**
 * The rules of `.dockerignore`, or of `<Dockerfile>.dockerignore` when the Dockerfile has
 * another name and that file exists; the last rule comes first. Undefined when there is none.
 */
export async function loadDockerignore(
  session: AcrSession,
  directory: string,
  dockerFileName: string,
  logger: SourceLogger,
): Promise<IgnoreRule[] | undefined> {
  let file = pythonJoin(directory, ".dockerignore");
  let overridden = false;
  if (dockerFileName !== "Dockerfile") {
    const override = pythonJoin(directory, `${dockerFileName}.dockerignore`);
    if (await statOrUndefined(onDisk(session, override))) {
      logger.warning(`Overriding .dockerignore with ${override}`);
      file = override;
      overridden = true;
    }
  }

  const bytes = await readFile(onDisk(session, file)).catch(() => undefined);
  if (bytes === undefined) {
    return undefined;
  }

  const rules: IgnoreRule[] = overridden ? [ignoreRule(".dockerignore")] : [];
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  for (const line of text.split(/\r\n|\r|\n/)) {
    const rule = line.trimEnd();
    if (!rule || rule.startsWith("#")) {
      continue;
    }
    rules.unshift(ignoreRule(rule));
  }
  return rules;
}

const VCS_ENTRIES = new Set([
  ".git",
  ".gitignore",
  ".bzr",
  "bzrignore",
  ".hg",
  ".hgignore",
  ".svn",
]);

interface ArchiveEntry {
  /** Path inside the archive. */
  name: string;
  /** Path on disk. */
  path: string;
  stats: Stats;
  linkTarget?: string;
}

/**
 * Walks the directory as az does: every entry is judged against the rules (a rule of lower
 * priority than the one that decided for the parent is not consulted; without a match the
 * parent's verdict holds), ignored directories are still descended, and the chosen Dockerfile
 * is added again at the end under its base name.
 */
async function* archiveEntries(
  session: AcrSession,
  options: UploadOptions,
  rules: IgnoreRule[] | undefined,
): AsyncGenerator<ArchiveEntry> {
  const ruleCount = rules?.length ?? 0;

  async function* visit(
    path: string,
    name: string,
    parentIgnored: boolean,
    parentRule: number,
  ): AsyncGenerator<ArchiveEntry> {
    const stats = await lstat(path);
    let ignored = parentIgnored;
    let decidingRule = parentRule;

    if (VCS_ENTRIES.has(name)) {
      options.logger.warning(`Excluding '${name}' based on default ignore rules`);
      ignored = true;
    } else if (rules !== undefined) {
      for (let index = 0; index < rules.length && index < parentRule; index += 1) {
        if (rules[index].pattern.test(name)) {
          options.logger.debug(`.dockerignore: rule '${rules[index].rule}' matches '${name}'.`);
          ignored = rules[index].ignore;
          decidingRule = index;
          break;
        }
      }
    }

    // The archive's root has no name of its own; it is not written.
    if (!ignored && name !== "") {
      yield await entryOf(path, name, stats);
    }
    if (stats.isDirectory()) {
      for (const child of await readdir(path)) {
        yield* visit(join(path, child), pythonJoin(name, child), ignored, decidingRule);
      }
    }
  }

  yield* visit(onDisk(session, options.directory), "", false, ruleCount);

  if (options.dockerFile) {
    const path = onDisk(session, options.dockerFile);
    yield await entryOf(path, options.dockerFileInArchive, await stat(path));
  }
}

async function entryOf(path: string, name: string, stats: Stats): Promise<ArchiveEntry> {
  if (stats.isSymbolicLink()) {
    return { name, path, stats, linkTarget: await readlink(path) };
  }
  if (!stats.isFile() && !stats.isDirectory()) {
    throw new CliError(`tarfile: unsupported type ${path}`);
  }
  return { name, path, stats };
}

async function packSourceDirectory(session: AcrSession, options: UploadOptions): Promise<void> {
  options.logger.warning("Packing source code into tar to upload...");
  const dockerFileName = pythonBasename(options.dockerFile);
  const rules = await loadDockerignore(session, options.directory, dockerFileName, options.logger);

  const entries = archiveEntries(session, options, rules);
  await pipeline(
    Readable.from(tarStream(entries)),
    createGzip(),
    createWriteStream(options.archive),
  );
}

// ---- tar (POSIX ustar, with pax headers for what ustar cannot hold) ----

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(fields: {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: string;
  linkname: string;
  uname: string;
  gname: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode, 8), 100, 8, "ascii");
  block.write(octal(fields.uid, 8), 108, 8, "ascii");
  block.write(octal(fields.gid, 8), 116, 8, "ascii");
  block.write(octal(fields.size, 12), 124, 12, "ascii");
  block.write(octal(fields.mtime, 12), 136, 12, "ascii");
  block.write("        ", 148, 8, "ascii");
  block.write(fields.type, 156, 1, "ascii");
  block.write(fields.linkname, 157, 100, "utf8");
  block.write("ustar\u000000", 257, 8, "ascii");
  block.write(fields.uname, 265, 32, "utf8");
  block.write(fields.gname, 297, 32, "utf8");
  let checksum = 0;
  for (const byte of block) {
    checksum += byte;
  }
  block.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

function paxRecords(records: Record<string, string>): Buffer {
  let text = "";
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) {
      length = String(length).length + Buffer.byteLength(body);
    }
    text += `${length}${body}`;
  }
  return Buffer.from(text, "utf8");
}

const MAX_OCTAL_SIZE = 0o77777777777;

async function* tarStream(entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const { stats } = entry;
    const type = entry.linkTarget !== undefined ? "2" : stats.isDirectory() ? "5" : "0";
    const name = stats.isDirectory() ? `${entry.name}/` : entry.name;
    const linkname = entry.linkTarget ?? "";
    const size = type === "0" ? stats.size : 0;

    const pax: Record<string, string> = {};
    if (Buffer.byteLength(name) > 100) {
      pax.path = name;
    }
    if (Buffer.byteLength(linkname) > 100) {
      pax.linkpath = linkname;
    }
    if (size > MAX_OCTAL_SIZE) {
      pax.size = String(size);
    }
    if (Object.keys(pax).length > 0) {
      const records = paxRecords(pax);
      yield header({
        name: "././@PaxHeader",
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: records.length,
        mtime: 0,
        type: "x",
        linkname: "",
        uname: "",
        gname: "",
      });
      yield records;
      yield padding(records.length);
    }

    yield header({
      name: Buffer.byteLength(name) > 100 ? name.slice(0, 99) : name,
      mode: stats.mode & 0o7777,
      uid: stats.uid,
      gid: stats.gid,
      size: size > MAX_OCTAL_SIZE ? 0 : size,
      mtime: Math.floor(stats.mtimeMs / 1000),
      type,
      linkname: Buffer.byteLength(linkname) > 100 ? linkname.slice(0, 99) : linkname,
      uname: "",
      gname: "",
    });

    if (type === "0") {
      let written = 0;
      for await (const chunk of createReadStream(entry.path)) {
        const buffer = chunk as Buffer;
        written += buffer.length;
        yield buffer;
      }
      if (written !== size) {
        throw new CliError(`'${entry.path}' changed while it was being packed.`);
      }
      yield padding(size);
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}
