// The transforms az applies to every command's result before --query and formatting: the
// `resourceGroup` taken from an ARM id, and the hex form of base64 x509 thumbprints.

import { hasKey, isDict, isTruthy, type PythonDict } from "./python.js";

function resourceGroupOf(id: unknown): string | undefined {
  if (typeof id !== "string") {
    return undefined;
  }
  const segments = id.split("/");
  if (segments.length <= 8 || segments[3].toLowerCase() !== "resourcegroups") {
    return undefined;
  }
  return segments[4];
}

/**
 * Adds `resourceGroup` to every object (at any depth, inside lists too, but never inside
 * `sourceVault`) that has a truthy ARM `id` and no key spelled `resourcegroup` in any case.
 * Mutates and returns `value`.
 */
export function injectResourceGroup<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach((item) => injectResourceGroup(item));
  } else if (isDict(value)) {
    const dict: PythonDict = value;
    const hasGroup = Object.keys(dict).some((key) => key.toLowerCase() === "resourcegroup");
    if (!hasGroup && hasKey(dict, "id") && isTruthy(dict.id)) {
      const group = resourceGroupOf(dict.id);
      if (group !== undefined) {
        dict.resourceGroup = group;
      }
    }
    for (const key of Object.keys(dict)) {
      if (key !== "sourceVault") {
        injectResourceGroup(dict[key]);
      }
    }
  }
  return value;
}

const BASE64_ALPHABET = /[^A-Za-z0-9+/]/g;

/** Python's base64.b64decode (non-validating) followed by upper-case hex. */
function base64ToHex(text: string): string {
  const data = text.replace(BASE64_ALPHABET, "");
  if (data.length % 4 === 1) {
    throw new Error(
      `Invalid base64-encoded string: number of data characters (${data.length}) cannot ` +
        `be 1 more than a multiple of 4`,
    );
  }
  const padded = text.replace(/[^A-Za-z0-9+/=]/g, "");
  if (data.length % 4 !== 0 && !/=+$/.test(padded)) {
    throw new Error("Incorrect padding");
  }
  return Buffer.from(data, "base64").toString("hex").toUpperCase();
}

/** Adds `x509ThumbprintHex` next to every truthy string `x509Thumbprint`. Mutates `value`. */
function addThumbprintHex<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach((item) => addThumbprintHex(item));
  } else if (isDict(value)) {
    const dict: PythonDict = value;
    const thumbprint = dict.x509Thumbprint;
    if (!hasKey(dict, "x509ThumbprintHex") && typeof thumbprint === "string" && thumbprint) {
      dict.x509ThumbprintHex = base64ToHex(thumbprint);
    }
    for (const key of Object.keys(dict)) {
      addThumbprintHex(dict[key]);
    }
  }
  return value;
}

/** Both global transforms, in az's order. Idempotent. */
export function applyGlobalTransforms<T>(value: T): T {
  return addThumbprintHex(injectResourceGroup(value));
}
