// The admin credentials of an emulated registry and the htpasswd file the distribution registry
// checks them against.

import { randomBytes } from "node:crypto";

import bcrypt from "bcryptjs";

export interface RegistryCredentials {
  /** ACR's admin user name is the registry's name. */
  username: string;
  /** `password` and `password2`, as listCredentials returns them. */
  passwords: [string, string];
}

// The registry checks the hash on every request (docker sends basic auth each time), so the
// cost is kept low: a push of a few layers makes dozens of requests, and the registry listens
// on loopback only.
const BCRYPT_COST = 6;

/** A password of ACR's length: 32 letters and digits, safe in a URL or a shell. */
export function generateRegistryPassword(): string {
  return randomBytes(24).toString("base64").replace(/\+/g, "A").replace(/\//g, "B");
}

export function generateCredentials(registryName: string): RegistryCredentials {
  return {
    username: registryName,
    passwords: [generateRegistryPassword(), generateRegistryPassword()],
  };
}

/**
 * The htpasswd file for `credentials`. Distribution keeps one hash per user name (a second
 * line for the same user replaces the first), so only the first password can authenticate.
 */
export function htpasswdFile(credentials: RegistryCredentials): string {
  const hash = bcrypt.hashSync(credentials.passwords[0], BCRYPT_COST);
  return `${credentials.username}:${hash}\n`;
}
