// The admin credentials of an emulated registry, which its auth front checks.

import { randomBytes } from "node:crypto";

export interface RegistryCredentials {
  /** ACR's admin user name is the registry's name. */
  username: string;
  /** `password` and `password2`, as listCredentials returns them. */
  passwords: [string, string];
}

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
