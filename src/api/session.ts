// What every operation of the Node API needs: an ARM client and the few facts about the
// environment that az reads from its cloud, its profile and the process.

import { readFile } from "node:fs/promises";

import { createArmClient, type ArmClient, type ArmConnection } from "../azure/arm.js";
import { DEFAULT_ACR_LOGIN_SERVER_SUFFIX } from "../azure/registry.js";

export const DEFAULT_KEY_VAULT_DNS_SUFFIX = ".vault.azure.net";

export interface AcrConnection extends ArmConnection {
  /** Display name of the subscription, used in "registry not found" messages. */
  subscriptionName?: string;
  /** The cloud's registry login-server suffix (default `.azurecr.io`). */
  loginServerSuffix?: string;
  /** The cloud's Key Vault DNS suffix (default `.vault.azure.net`), which marks secret URIs. */
  keyVaultDnsSuffix?: string;
  /** Environment read for `--arg NAME` without a value (default process.env). */
  env?: Record<string, string | undefined>;
  /** Directory relative file names are read from (default process.cwd()). */
  cwd?: string;
  /** Source of `--file -` (default: all of the process's standard input). */
  readStdin?: () => Promise<string>;
}

export interface AcrSession {
  readonly arm: ArmClient;
  readonly subscriptionName?: string;
  readonly loginServerSuffix: string;
  readonly keyVaultDnsSuffix: string;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly readStdin: () => Promise<string>;
}

/** A session, or what is needed to open one; operations accept either. */
export type AcrTarget = AcrSession | AcrConnection;

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Opens a session: one ARM client (one token cache, one client request id) for many calls. */
export async function connect(connection: AcrConnection): Promise<AcrSession> {
  return {
    arm: await createArmClient(connection),
    subscriptionName: connection.subscriptionName,
    loginServerSuffix: connection.loginServerSuffix ?? DEFAULT_ACR_LOGIN_SERVER_SUFFIX,
    keyVaultDnsSuffix: connection.keyVaultDnsSuffix ?? DEFAULT_KEY_VAULT_DNS_SUFFIX,
    env: connection.env ?? process.env,
    cwd: connection.cwd ?? process.cwd(),
    readStdin: connection.readStdin ?? readProcessStdin,
  };
}

export async function sessionOf(target: AcrTarget): Promise<AcrSession> {
  return "arm" in target ? target : connect(target);
}

/** Reads a text file as Python's open(path, 'r') does: UTF-8, any line ending becomes "\n". */
export async function readTextFile(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  return text.replace(/\r\n?/g, "\n");
}
