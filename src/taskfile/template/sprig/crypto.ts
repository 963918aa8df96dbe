/** Sprig v2.22 crypto, UUID and flow-control functions, on node:crypto. */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  scryptSync,
} from "node:crypto";
import { GoError, type FunctionDef } from "../exec.js";
import { decodeBase64 } from "./system.js";

const passwordTemplates: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const templateCharacters: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

const masterPasswordSeed = "com.lyndir.masterpassword";

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

/** The Master Password algorithm (scrypt-derived key, HMAC-SHA256 seed, character templates). */
function derivePassword(
  counter: number,
  passwordType: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = passwordTemplates[passwordType];
  if (!templates) return `cannot find password template ${passwordType}`;
  const userBytes = Buffer.from(user, "utf8");
  const salt = Buffer.concat([
    Buffer.from(masterPasswordSeed),
    uint32(userBytes.length),
    userBytes,
  ]);
  const key = scryptSync(Buffer.from(password, "utf8"), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 256 * 1024 * 1024,
  });
  const siteBytes = Buffer.from(site, "utf8");
  const message = Buffer.concat([
    Buffer.from(masterPasswordSeed),
    uint32(siteBytes.length),
    siteBytes,
    uint32(counter),
  ]);
  const seed = createHmac("sha256", key).update(message).digest();
  const template = templates[seed[0] % templates.length];
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const characters = templateCharacters[template[i]];
    out += characters[seed[i + 1] % characters.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, "utf8").copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === "") return "";
  const content = Buffer.from(plaintext, "utf8");
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", aesKey(password), iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  const crypt = decodeBase64(crypt64);
  if (crypt.length < 16)
    throw new GoError(
      "runtime error: slice bounds out of range [:16] with capacity " + crypt.length,
    );
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoError("crypto/cipher: input not full blocks");
  if (body.length === 0) throw new GoError("runtime error: index out of range [-1]");
  const decipher = createDecipheriv("aes-256-cbc", aesKey(password), crypt.subarray(0, 16));
  decipher.setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  const padding = decrypted[decrypted.length - 1];
  if (padding > decrypted.length) {
    throw new GoError(`runtime error: slice bounds out of range [:${decrypted.length - padding}]`);
  }
  return decrypted.subarray(0, decrypted.length - padding).toString("utf8");
}

function generatePrivateKey(type: string): string {
  switch (type) {
    case "":
    case "rsa":
      return generateKeyPairSync("rsa", {
        modulusLength: 4096,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      }).privateKey;
    case "ecdsa":
      return generateKeyPairSync("ec", {
        namedCurve: "prime256v1",
        privateKeyEncoding: { type: "sec1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      }).privateKey;
    case "dsa":
      throw new GoError("DSA keys are not supported by this runner");
  }
  return `Unknown type ${type}`;
}

function unsupported(name: string): never {
  throw new GoError(`${name} is not supported by this runner (X.509 certificate generation)`);
}

export const cryptoFunctions: Record<string, FunctionDef> = {
  genPrivateKey: { params: ["string"], call: (type) => generatePrivateKey(type as string) },
  derivePassword: {
    params: ["uint32", "string", "string", "string", "string"],
    call: (counter, type, password, user, site) =>
      derivePassword(
        (counter as { value: number }).value,
        type as string,
        password as string,
        user as string,
        site as string,
      ),
  },
  buildCustomCert: { params: ["string", "string"], call: () => unsupported("buildCustomCert") },
  genCA: { params: ["string", "int"], call: () => unsupported("genCA") },
  genSelfSignedCert: {
    params: ["string", "any", "any", "int"],
    call: () => unsupported("genSelfSignedCert"),
  },
  genSignedCert: {
    params: ["string", "any", "any", "int", "any"],
    call: () => unsupported("genSignedCert"),
  },
  encryptAES: {
    params: ["string", "string"],
    call: (password, plaintext) => encryptAES(password as string, plaintext as string),
  },
  decryptAES: {
    params: ["string", "string"],
    call: (password, crypt) => decryptAES(password as string, crypt as string),
  },
  uuidv4: { params: [], call: () => randomUUID() },
  fail: {
    params: ["string"],
    call: (message) => {
      throw new GoError(message as string);
    },
  },
};
