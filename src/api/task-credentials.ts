// `az acr task credential add | update | remove | list`: the custom-registry credentials of a
// task. Each returns the task's `customRegistries` map as az prints it: `{}` when the task has
// no credentials object, nothing (undefined) when it has one without a map.

import { CliError } from "../cli/errors.js";
import { azShape } from "./shape.js";
import {
  isObject,
  lookUpRegistry,
  properties,
  taskDetails,
  taskRequest,
  taskThroughPoller,
  type AzObject,
  type Json,
  type TaskOptions,
} from "./common.js";
import { sessionOf, type AcrSession, type AcrTarget } from "./session.js";
import { registryCredentials, type CustomRegistryInput } from "./task-inputs.js";

export interface TaskCredentialOptions extends TaskOptions {
  /** `--login-server`: the custom registry, e.g. `other.azurecr.io`. */
  loginServer: string;
}

export interface SetTaskCredentialOptions extends TaskCredentialOptions {
  /** `--username/-u`: plain text or a Key Vault secret URI. */
  username?: string;
  /** `--password/-p`: plain text or a Key Vault secret URI. */
  password?: string;
  /** `--use-identity`: `[system]` or a user-assigned identity's client id. */
  useIdentity?: string;
}

/** The map az prints for a task: `{}`, undefined, or each credential in az's shape. */
function customRegistriesOf(task: Json | undefined): AzObject | undefined {
  const credentials = task === undefined ? undefined : properties(task).credentials;
  if (!isObject(credentials)) {
    return {};
  }
  const map = credentials.customRegistries;
  if (!isObject(map)) {
    return undefined;
  }
  return Object.fromEntries(
    Object.entries(map).map(([server, credential]) => [
      server,
      credential === null ? null : azShape("CustomRegistryCredentials", credential),
    ]),
  );
}

async function existingServers(session: AcrSession, options: TaskCredentialOptions) {
  const registry = await lookUpRegistry(session, options);
  const task = await taskDetails(session, registry, options.name);
  const credentials = properties(task).credentials;
  const map = isObject(credentials) ? credentials.customRegistries : undefined;
  return { registry, servers: isObject(map) ? Object.keys(map) : [] };
}

async function patchCredential(
  session: AcrSession,
  registry: Awaited<ReturnType<typeof lookUpRegistry>>,
  options: TaskOptions,
  customRegistry: CustomRegistryInput,
): Promise<AzObject | undefined> {
  const body = {
    properties: { credentials: registryCredentials(session, undefined, customRegistry) },
  };
  const task = await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body));
  return customRegistriesOf(task?.wire);
}

/** `az acr task credential add`: fails when the login server already has credentials. */
export async function addTaskCredential(
  target: AcrTarget,
  options: SetTaskCredentialOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const { registry, servers } = await existingServers(session, options);

  if (servers.includes(options.loginServer)) {
    throw new CliError(
      `Login server '${options.loginServer}' already exists. You cannot add it again.`,
    );
  }
  return patchCredential(session, registry, options, options);
}

/** `az acr task credential update`: the login server must have credentials already. */
export async function updateTaskCredential(
  target: AcrTarget,
  options: SetTaskCredentialOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const { registry, servers } = await existingServers(session, options);

  if (!servers.includes(options.loginServer)) {
    throw new CliError(`Login server '${options.loginServer}' not found.`);
  }
  return patchCredential(session, registry, options, options);
}

/** `az acr task credential remove`: no existence check, as in az. */
export async function removeTaskCredential(
  target: AcrTarget,
  options: TaskCredentialOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  return patchCredential(session, registry, options, {
    loginServer: options.loginServer,
    remove: true,
  });
}

/** `az acr task credential list`. */
export async function listTaskCredentials(
  target: AcrTarget,
  options: TaskOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  return customRegistriesOf(await taskDetails(session, registry, options.name));
}
