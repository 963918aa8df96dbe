// The az 2.45 routines that turn command-line values into parts of a task request: platform,
// arguments and values, the YAML of an encoded task, credentials, timers, identities and the
// source-control details of a context URL.

import { isAbsolute, join } from "node:path";
import { stat } from "node:fs/promises";

import { CliError } from "../cli/errors.js";
import { readTextFile, type AcrSession } from "./session.js";

export const NULL_CONTEXT = "/dev/null";
export const QUICK_TASK_NAME = "quicktask";
export const DEFAULT_TIMEOUT_SECONDS = 3600;
export const DEFAULT_TASK_FILE = "acb.yaml";

/** A `-f` ending in one of these names a task file rather than a Dockerfile. */
export const TASK_FILE_EXTENSIONS = [
  ".yaml",
  ".yml",
  ".toml",
  ".json",
  ".sh",
  ".bash",
  ".zsh",
  ".ps1",
  ".ps",
  ".cmd",
  ".bat",
  ".ts",
  ".js",
  ".php",
  ".py",
  ".rb",
  ".lua",
];

export function isTaskFile(file: string): boolean {
  return TASK_FILE_EXTENSIONS.some((extension) => file.endsWith(extension));
}

export function isNullContext(context: string): boolean {
  return context.toLowerCase() === NULL_CONTEXT;
}

const VALID_OS = ["windows", "linux"];
const VALID_ARCHITECTURES = ["amd64", "x86", "386", "arm", "arm64"];
const VALID_VARIANTS = ["v6", "v7", "v8"];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** `--platform os[/architecture[/variant]]`: os and architecture lower-cased, variant as typed. */
export function parsePlatform(platform: string | undefined): Platform {
  let os = "linux";
  let architecture = "amd64";
  let variant: string | undefined;

  if (platform) {
    const parts = platform.split("/");
    os = parts[0];
    architecture = parts.length > 1 ? parts[1] : "amd64";
    variant = parts.length > 2 ? parts[2] : undefined;
  }
  os = os.toLowerCase();
  architecture = architecture.toLowerCase();

  if (!VALID_OS.includes(os)) {
    throw new CliError(
      `'${os}' is not a valid value for OS specified in --platform. Valid options are ` +
        `${VALID_OS.join(",")}.`,
    );
  }
  if (!VALID_ARCHITECTURES.includes(architecture)) {
    throw new CliError(
      `'${architecture}' is not a valid value for Architecture specified in --platform. ` +
        `Valid options are ${VALID_ARCHITECTURES.join(",")}.`,
    );
  }
  if (variant && !VALID_VARIANTS.includes(variant)) {
    throw new CliError(
      `'${variant}' is not a valid value for Variant specified in --platform. Valid ` +
        `options are ${VALID_VARIANTS.join(",")}.`,
    );
  }

  return variant ? { os, architecture, variant } : { os, architecture };
}

/** An `Argument` or `SetValue` as sent; null for an empty token, as az produces. */
export type NameValue = { name: string; value: string; isSecret: boolean } | null;

/**
 * `--arg`/`--secret-arg` (`lookUpEnvironment`) and `--set`/`--set-secret` tokens: split at the
 * first `=`; an argument without `=` takes the environment variable of that name.
 */
export function parseNameValues(
  tokens: readonly string[] | undefined,
  isSecret: boolean,
  environment?: Record<string, string | undefined>,
): NameValue[] {
  return (tokens ?? []).map((token) => {
    if (!token) {
      return null;
    }
    const separator = token.indexOf("=");
    if (separator >= 0) {
      return { name: token.slice(0, separator), value: token.slice(separator + 1), isSecret };
    }
    return { name: token, value: environment?.[token] ?? "", isSecret };
  });
}

/** Plain items first, then the secret ones; undefined when neither option was given. */
export function combineNameValues(
  plain: readonly string[] | undefined,
  secret: readonly string[] | undefined,
  environment?: Record<string, string | undefined>,
): NameValue[] | undefined {
  if (plain === undefined && secret === undefined) {
    return undefined;
  }
  return [
    ...parseNameValues(plain, false, environment),
    ...parseNameValues(secret, true, environment),
  ];
}

/**
 * The YAML of an encoded task: a one-step template around `--cmd`, or the task file (`-` for
 * standard input) after a version line.
 */
export async function yamlTemplate(
  session: AcrSession,
  cmd: string | undefined,
  timeout: number | undefined,
  file: string | undefined,
): Promise<string> {
  let template = "version: v1.1.0\n";

  if (cmd) {
    template += `steps: \n  - cmd: ${cmd}\n    disableWorkingDirectoryOverride: true\n`;
    if (timeout) {
      template += `    timeout: ${timeout}\n`;
    }
    return template;
  }

  const name = file || DEFAULT_TASK_FILE;
  if (name === "-") {
    return template + (await session.readStdin());
  }

  const path = isAbsolute(name) ? name : join(session.cwd, name);
  const found = await stat(path).catch(() => undefined);
  if (!found) {
    throw new CliError(`${name} does not exist.`);
  }
  if (found.isDirectory()) {
    throw new CliError(`${name} is a directory, not a task file.`);
  }
  return template + (await readTextFile(path));
}

export function encodedTaskContent(yaml: string): string {
  return Buffer.from(yaml, "utf8").toString("base64");
}

export interface Credentials {
  sourceRegistry?: { loginMode: string };
  customRegistries?: Record<string, CustomRegistryCredential | null>;
}

export interface SecretObject {
  value?: string;
  type: "Opaque" | "Vaultsecret";
}

export interface CustomRegistryCredential {
  userName?: SecretObject;
  password?: SecretObject;
  identity?: string;
}

export interface CustomRegistryInput {
  loginServer: string;
  username?: string;
  password?: string;
  useIdentity?: string;
  remove?: boolean;
}

/** The `credentials` object az sends; `{}` when there is nothing to say. */
export function registryCredentials(
  session: AcrSession,
  authMode: string | undefined,
  customRegistry?: CustomRegistryInput,
): Credentials {
  const credentials: Credentials = {};
  if (authMode) {
    credentials.sourceRegistry = { loginMode: authMode };
  }
  if (!customRegistry?.loginServer) {
    return credentials;
  }

  const { loginServer, username, password, useIdentity, remove } = customRegistry;
  const secret = (value: string | undefined): SecretObject => {
    const isVaultSecret =
      value !== undefined && value.toUpperCase().includes(session.keyVaultDnsSuffix.toUpperCase());
    const type = isVaultSecret ? "Vaultsecret" : "Opaque";
    return value === undefined ? { type } : { value, type };
  };

  let credential: CustomRegistryCredential | null = null;
  if (!remove) {
    if (!username && !password && useIdentity !== undefined) {
      credential = { identity: useIdentity };
    } else {
      credential = { userName: secret(username), password: secret(password) };
      if (useIdentity !== undefined) {
        credential.identity = useIdentity;
      }
    }
  }
  credentials.customRegistries = { [loginServer]: credential };
  return credentials;
}

export interface TimerTrigger {
  schedule: string;
  status: "Enabled";
  name: string;
}

/** `--schedule [name:]cron`: unnamed timers are t1, t2… by position. */
export function timersFromSchedules(schedules: readonly string[]): TimerTrigger[] {
  return schedules.map((schedule, index) => {
    if (schedule.includes(":")) {
      const parts = schedule.split(":");
      return { schedule: parts[1], status: "Enabled", name: parts[0].trim() };
    }
    return { schedule, status: "Enabled", name: `t${index + 1}` };
  });
}

export const SYSTEM_IDENTITY = "[system]";
export const ALL_IDENTITIES = "[all]";

export interface IdentityRequest {
  type: string;
  userAssignedIdentities?: Record<string, Record<string, never> | null>;
}

/** `--assign-identity`/`--identities`: `[system]`, user-assigned ids, or `[all]` for none. */
export function identitiesToAssign(identities: readonly string[] | undefined): IdentityRequest {
  const list = identities ?? [];
  if (list.includes(ALL_IDENTITIES)) {
    return { type: "None" };
  }

  const types: string[] = [];
  if (list.length === 0 || list.includes(SYSTEM_IDENTITY)) {
    types.push("SystemAssigned");
  }
  const userAssigned = list.filter((identity) => identity !== SYSTEM_IDENTITY);
  if (userAssigned.length > 0) {
    types.push("UserAssigned");
  }

  const identity: IdentityRequest = { type: types.join(", ") };
  if (userAssigned.length > 0) {
    identity.userAssignedIdentities = Object.fromEntries(userAssigned.map((id) => [id, {}]));
  }
  return identity;
}

/** The branch in a context URL: after the first `#`, up to a `:` or whitespace. */
export function branchOf(context: string | undefined): string | undefined {
  if (!context) {
    return undefined;
  }
  const match = /#([^:\n\s]*)/.exec(context);
  return match ? match[1] : undefined;
}

export function sourceControlTypeOf(context: string): "Github" | "VisualStudioTeamService" {
  return context.toUpperCase().includes("GITHUB.COM") ? "Github" : "VisualStudioTeamService";
}
