// The storage account the emulator's Azurite serves: Azurite's well-known development account,
// or one with a generated key that is kept in the data folder so that links signed before a
// restart stay valid after it.

import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface StorageAccount {
  /** 3 to 24 lower-case letters and digits, as Azure requires. */
  name: string;
  /** The base64 shared key SAS tokens are signed with. */
  key: string;
}

/** Azurite's documented development account; its key is public and guards nothing. */
export const DEVELOPMENT_ACCOUNT: StorageAccount = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
};

const ACCOUNT_NAME_PATTERN = /^[a-z0-9]{3,24}$/;

export function assertAccountName(name: string): void {
  if (!ACCOUNT_NAME_PATTERN.test(name)) {
    throw new Error(
      `Storage account name '${name}' is invalid: use 3 to 24 lower-case letters and digits.`,
    );
  }
}

/** A new account with a random 64-byte key, the length Azure's keys have. */
export function generateStorageAccount(name: string): StorageAccount {
  assertAccountName(name);
  return { name, key: randomBytes(64).toString("base64") };
}

/**
 * The account kept in `file` (JSON, readable by its owner only), created with a generated key
 * on first use. A kept account of another name is replaced.
 */
export async function loadOrCreateStorageAccount(
  file: string,
  name: string,
): Promise<StorageAccount> {
  const kept = await readFile(file, "utf8")
    .then((text) => JSON.parse(text) as StorageAccount)
    .catch(() => undefined);
  if (kept && kept.name === name && typeof kept.key === "string") {
    return kept;
  }

  const account = generateStorageAccount(name);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  return account;
}
