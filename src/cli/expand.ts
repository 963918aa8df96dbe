// `@file` arguments, expanded before parsing exactly as az does: the part after the first `=`
// (or the whole token) that starts with `@` names a file whose text replaces it.

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface ExpandOptions {
  /** Reads all of standard input as text, for `@-`. */
  readStdin: () => string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function expandUser(path: string, env: NodeJS.ProcessEnv): string {
  if (path === "~" || path.startsWith("~/")) {
    return (env.HOME ?? homedir()) + path.slice(1);
  }
  return path;
}

function resolvePath(path: string, cwd: string): string {
  return path.startsWith("/") ? path : join(cwd, path);
}

function decodeStrict(bytes: Uint8Array, encoding: string, ignoreBOM: boolean): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** How many bytes a UTF-8 sequence with this lead byte has, and the range of its second byte. */
function utf8Sequence(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 3, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (lead === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  return undefined;
}

/** The bytes without a well-formed but unfinished UTF-8 sequence at their very end. */
function withoutUnfinishedUtf8(bytes: Uint8Array): Uint8Array {
  for (let start = Math.max(0, bytes.length - 3); start < bytes.length; start += 1) {
    const sequence = utf8Sequence(bytes[start]);
    const tail = bytes.subarray(start);
    if (!sequence || tail.length >= sequence.length) {
      continue;
    }
    const secondOk = tail.length < 2 || (tail[1] >= sequence.low && tail[1] <= sequence.high);
    const restOk = tail.subarray(2).every((byte) => byte >= 0x80 && byte <= 0xbf);
    if (secondOk && restOk) {
      return bytes.subarray(0, start);
    }
  }
  return bytes;
}

/**
 * The code units without an odd final byte or a final high surrogate still waiting for its pair.
 */
function withoutUnfinishedUtf16(bytes: Uint8Array, bigEndian: boolean): Uint8Array {
  let end = bytes.length - (bytes.length % 2);
  if (end >= 2) {
    const unit = bigEndian
      ? (bytes[end - 2] << 8) | bytes[end - 1]
      : (bytes[end - 1] << 8) | bytes[end - 2];
    if (unit >= 0xd800 && unit <= 0xdbff) {
      end -= 2;
    }
  }
  return bytes.subarray(0, end);
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string | undefined {
  const encoding = bigEndian ? "utf-16be" : "utf-16le";
  return decodeStrict(withoutUnfinishedUtf16(bytes, bigEndian), encoding, true);
}

/**
 * az's read_file_content: UTF-8 (a BOM is dropped), then UTF-16 (byte order from the BOM,
 * little-endian without one), UTF-16LE, UTF-16BE; bytes that decode as none of these become
 * their base64 text. Python reads through a codec stream reader, which silently leaves out
 * a sequence left unfinished at the end of the file, so the same is done here.
 */
export function decodeFileContent(bytes: Uint8Array): string {
  const utf8 = decodeStrict(withoutUnfinishedUtf8(bytes), "utf-8", false);
  if (utf8 !== undefined) {
    return utf8;
  }

  let utf16: string | undefined;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    utf16 = decodeUtf16(bytes.subarray(2), true);
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    utf16 = decodeUtf16(bytes.subarray(2), false);
  } else {
    utf16 = decodeUtf16(bytes, false);
  }
  if (utf16 !== undefined) {
    return utf16;
  }

  const fallback = decodeUtf16(bytes, false) ?? decodeUtf16(bytes, true);
  return fallback ?? Buffer.from(bytes).toString("base64");
}

/** The file's text with trailing newlines removed, or undefined when it cannot be read. */
function loadFile(path: string, options: ExpandOptions): string | undefined {
  let content: string;
  if (path === "-") {
    content = options.readStdin();
  } else {
    try {
      content = decodeFileContent(
        readFileSync(resolvePath(expandUser(path, options.env), options.cwd)),
      );
    } catch {
      return undefined;
    }
  }
  return content.replace(/\n+$/, "");
}

function maybeLoad(text: string, options: ExpandOptions): string {
  if (!text.startsWith("@") || text.length === 1) {
    return text;
  }
  return loadFile(text.slice(1), options) ?? text;
}

function expandToken(token: string, options: ExpandOptions): string {
  const separator = token.indexOf("=");
  if (separator < 0) {
    return maybeLoad(token, options);
  }
  return `${token.slice(0, separator)}=${maybeLoad(token.slice(separator + 1), options)}`;
}

/** The first pass, az's `_expand_file_prefixed_files`. */
export function expandFileArguments(argv: readonly string[], options: ExpandOptions): string[] {
  return argv.map((token) => expandToken(token, options));
}

/** Whether a token would read standard input in the first pass. */
export function readsStdin(token: string): boolean {
  const separator = token.indexOf("=");
  return (separator < 0 ? token : token.slice(separator + 1)) === "@-";
}

/**
 * The second pass, knack's: a whole token that still starts with `@` and names a readable
 * file is replaced by its text, this time kept as read (no newline stripping; line endings
 * normalised as Python's text mode does).
 */
export function expandWholeTokenFiles(argv: readonly string[], options: ExpandOptions): string[] {
  return argv.map((token) => {
    if (!token.startsWith("@")) {
      return token;
    }
    try {
      const bytes = readFileSync(resolvePath(token.slice(1), options.cwd));
      return new TextDecoder("utf-8").decode(bytes).replace(/\r\n?/g, "\n");
    } catch {
      return token;
    }
  });
}
