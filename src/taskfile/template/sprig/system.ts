/** Sprig v2.22 encoding, path, OS, network and URL functions. */
import { spawnSync } from "node:child_process";
import { GoError, type FunctionDef } from "../exec.js";
import { goTypeName, hasKey, newMap } from "../values.js";

// --- encoding ----------------------------------------------------------------------------

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** base64.StdEncoding.DecodeString: padding required; \r and \n are skipped. */
export function decodeBase64(text: string): Buffer {
  const src = Buffer.from(text, "utf8");
  const corrupt = (offset: number): never => {
    throw new GoError(`illegal base64 data at input byte ${offset}`);
  };
  const isNewline = (byte: number): boolean => byte === 10 || byte === 13;
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const quantum = [0, 0, 0, 0];
    let length = 4;
    let j = 0;
    let done = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        corrupt(si - j);
      }
      const byte = src[si++];
      const value = base64Alphabet.indexOf(String.fromCharCode(byte));
      if (value >= 0 && byte < 128) {
        quantum[j] = value;
        continue;
      }
      if (isNewline(byte)) {
        j--;
        continue;
      }
      if (byte !== 61) corrupt(si - 1);
      if (j < 2) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 61) corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) corrupt(si);
      length = j;
      done = true;
      break;
    }
    const bits = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) | quantum[3];
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
    out.push(...bytes.slice(0, length - 1));
    if (done) return Buffer.from(out);
  }
}

const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function encodeBase32(data: Buffer): string {
  let out = "";
  for (let i = 0; i < data.length; i += 5) {
    const chunk = data.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < chars ? base32Alphabet[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : "=";
    }
  }
  return out;
}

function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\r\n]/g, "");
  if (clean.length % 8 !== 0)
    throw new GoError(`illegal base32 data at input byte ${clean.length - (clean.length % 8)}`);
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    const block = clean.slice(i, i + 8);
    const padding = block.length - block.replace(/=+$/, "").length;
    const dataChars = 8 - padding;
    if (![0, 1, 3, 4, 6].includes(padding))
      throw new GoError(`illegal base32 data at input byte ${i + dataChars}`);
    let bits = 0n;
    for (let k = 0; k < 8; k++) {
      const char = block[k];
      let value = 0;
      if (k < dataChars) {
        value = base32Alphabet.indexOf(char);
        if (value < 0) throw new GoError(`illegal base32 data at input byte ${i + k}`);
      }
      bits = (bits << 5n) | BigInt(value);
    }
    const byteCount = { 0: 5, 1: 4, 3: 3, 4: 2, 6: 1 }[padding]!;
    for (let k = 0; k < byteCount; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 255n));
    if (padding > 0 && i + 8 < clean.length)
      throw new GoError(`illegal base32 data at input byte ${i + 8}`);
  }
  return Buffer.from(out);
}

// --- paths (Go's path package) -------------------------------------------------------------

export function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const stack: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (stack.length > 0 && stack[stack.length - 1] !== "..") stack.pop();
      else if (!rooted) stack.push("..");
      continue;
    }
    stack.push(segment);
  }
  const out = (rooted ? "/" : "") + stack.join("/");
  return out === "" ? "." : out;
}

function basePath(path: string): string {
  if (path === "") return ".";
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function dirPath(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf("/") + 1));
}

function extPath(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== "/"; i--) {
    if (path[i] === ".") return path.slice(i);
  }
  return "";
}

// --- OS ----------------------------------------------------------------------------------

function isShellSpecial(char: string): boolean {
  return "*#$@!?-".includes(char) || (char >= "0" && char <= "9");
}

/** os.Expand with Go's shell-name rules. */
export function expandEnv(text: string, lookup: (name: string) => string): string {
  let out = "";
  let i = 0;
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== "$" || j + 1 >= text.length) continue;
    out += text.slice(i, j);
    const rest = text.slice(j + 1);
    let name = "";
    let width = 0;
    if (rest[0] === "{") {
      if (rest.length > 2 && isShellSpecial(rest[1]) && rest[2] === "}") {
        name = rest[1];
        width = 3;
      } else {
        const close = rest.indexOf("}");
        if (close < 0) width = 1;
        else if (close === 1) width = 2;
        else {
          name = rest.slice(1, close);
          width = close + 1;
        }
      }
    } else if (isShellSpecial(rest[0])) {
      name = rest[0];
      width = 1;
    } else {
      const match = /^[A-Za-z0-9_]*/.exec(rest)!;
      name = match[0];
      width = name.length;
    }
    if (name === "" && width > 0) {
      // Invalid syntax: the characters are dropped.
    } else if (name === "") {
      out += "$";
    } else {
      out += lookup(name);
    }
    j += width;
    i = j + 1;
  }
  return out + text.slice(i);
}

function environment(name: string): string {
  return process.env[name] ?? "";
}

/** net.LookupHost run synchronously in a child process (templates render synchronously). */
function lookupHost(name: string): string[] {
  const script =
    "require('node:dns').lookup(process.argv[1],{all:true},(e,a)=>{process.stdout.write(e?'':a.map(x=>x.address).join('\\n'))})";
  const result = spawnSync(process.execPath, ["-e", script, name], {
    encoding: "utf8",
    timeout: 10000,
  });
  return (result.stdout ?? "").split("\n").filter((address) => address !== "");
}

// --- URLs ----------------------------------------------------------------------------------

function unescapePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new GoError(`unable to parse url: invalid URL escape`);
  }
}

interface ParsedUrl {
  scheme: string;
  opaque: string;
  userinfo: string | null;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function parseUrl(raw: string): ParsedUrl {
  const url: ParsedUrl = {
    scheme: "",
    opaque: "",
    userinfo: null,
    host: "",
    path: "",
    rawQuery: "",
    fragment: "",
  };
  let rest = raw;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    url.fragment = unescapePercent(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (scheme) {
    url.scheme = scheme[1].toLowerCase();
    rest = rest.slice(scheme[0].length);
  } else if (/^[^/?]*:/.test(rest) && !rest.startsWith("/")) {
    if (rest.startsWith(":"))
      throw new GoError(`unable to parse url: parse "${raw}": missing protocol scheme`);
    throw new GoError(
      `unable to parse url: parse "${raw}": first path segment in URL cannot contain colon`,
    );
  }
  const question = rest.indexOf("?");
  if (question >= 0) {
    url.rawQuery = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  if (!rest.startsWith("/") && url.scheme !== "") {
    url.opaque = rest;
    return url;
  }
  if (rest.startsWith("//")) {
    const authorityEnd = rest.indexOf("/", 2);
    const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd);
    rest = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      url.userinfo = authority.slice(0, at);
      url.host = authority.slice(at + 1);
    } else {
      url.host = authority;
    }
  }
  url.path = unescapePercent(rest);
  return url;
}

function escapePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (char) =>
    [...Buffer.from(char, "utf8")]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
}

function escapeFragment(fragment: string): string {
  return fragment.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/g, (char) =>
    [...Buffer.from(char, "utf8")]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
}

function urlString(url: ParsedUrl): string {
  let out = "";
  if (url.scheme) out += `${url.scheme}:`;
  if (url.opaque) {
    out += url.opaque;
  } else {
    if (url.scheme || url.host || url.userinfo !== null) {
      if (url.host || url.path || url.userinfo !== null) out += "//";
      if (url.userinfo !== null) out += `${url.userinfo}@`;
      out += url.host;
    }
    const path = escapePath(url.path);
    if (path !== "" && path[0] !== "/" && url.host !== "") out += "/";
    out += path;
  }
  if (url.rawQuery) out += `?${url.rawQuery}`;
  if (url.fragment) out += `#${escapeFragment(url.fragment)}`;
  return out;
}

function hostname(host: string): string {
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return close < 0 ? host.slice(1) : host.slice(1, close);
  }
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

function getString(dict: Record<string, unknown> | null, key: string): string {
  const value = dict && hasKey(dict, key) ? dict[key] : "";
  if (typeof value !== "string") {
    throw new GoError(
      `interface conversion: interface {} is ` +
        `${value === null ? "nil" : goTypeName(value)}, not string`,
    );
  }
  return value;
}

export const systemFunctions: Record<string, FunctionDef> = {
  b64enc: {
    params: ["string"],
    call: (text) => Buffer.from(text as string, "utf8").toString("base64"),
  },
  b64dec: {
    params: ["string"],
    call: (text) => {
      try {
        return decodeBase64(text as string).toString("utf8");
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  b32enc: { params: ["string"], call: (text) => encodeBase32(Buffer.from(text as string, "utf8")) },
  b32dec: {
    params: ["string"],
    call: (text) => {
      try {
        return decodeBase32(text as string).toString("utf8");
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  base: { params: ["string"], call: (path) => basePath(path as string) },
  dir: { params: ["string"], call: (path) => dirPath(path as string) },
  clean: { params: ["string"], call: (path) => cleanPath(path as string) },
  ext: { params: ["string"], call: (path) => extPath(path as string) },
  isAbs: { params: ["string"], call: (path) => (path as string).startsWith("/") },
  env: { params: ["string"], call: (name) => environment(name as string) },
  expandenv: { params: ["string"], call: (text) => expandEnv(text as string, environment) },
  getHostByName: {
    params: ["string"],
    call: (name) => {
      const addresses = lookupHost(name as string);
      if (addresses.length === 0) throw new GoError("invalid argument to Intn");
      return addresses[Math.floor(Math.random() * addresses.length)];
    },
  },
  urlParse: {
    params: ["string"],
    call: (raw) => {
      const url = parseUrl(raw as string);
      const dict = newMap();
      dict.scheme = url.scheme;
      dict.host = url.host;
      dict.hostname = hostname(url.host);
      dict.path = url.path;
      dict.query = url.rawQuery;
      dict.opaque = url.opaque;
      dict.fragment = url.fragment;
      dict.userinfo = url.userinfo ?? "";
      return dict;
    },
  },
  urlJoin: {
    params: ["map"],
    call: (dict) => {
      const map = dict as Record<string, unknown> | null;
      const userinfo = getString(map, "userinfo");
      return urlString({
        scheme: getString(map, "scheme"),
        host: getString(map, "host"),
        path: getString(map, "path"),
        rawQuery: getString(map, "query"),
        opaque: getString(map, "opaque"),
        fragment: getString(map, "fragment"),
        userinfo: userinfo === "" ? null : userinfo,
      });
    },
  },
};
