// `az acr task identity assign | remove | show`.

import { CliError } from "../cli/errors.js";
import { azShape } from "./shape.js";
import {
  azPolledTask,
  isObject,
  lookUpRegistry,
  taskDetails,
  taskRequest,
  taskThroughPoller,
  type AzObject,
  type TaskOptions,
} from "./common.js";
import { sessionOf, type AcrTarget } from "./session.js";
import {
  ALL_IDENTITIES,
  SYSTEM_IDENTITY,
  identitiesToAssign,
  type IdentityRequest,
} from "./task-inputs.js";

export interface TaskIdentityOptions extends TaskOptions {
  /** `--identities`: `[system]`, user-assigned identity ids, or `[all]`. */
  identities?: readonly string[];
}

/** `az acr task identity assign`: absent or empty identities mean `[system]`. */
export async function assignTaskIdentity(
  target: AcrTarget,
  options: TaskIdentityOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const body = { identity: identitiesToAssign(options.identities) };
  return azPolledTask(
    await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body)),
  );
}

/**
 * `az acr task identity remove`. az 2.45 always crashes here; this does what its code means:
 * absent identities or `[system]` remove the system-assigned identity, ids remove those
 * user-assigned identities, `[all]` removes every identity. What remains is read from the task.
 */
export async function removeTaskIdentity(
  target: AcrTarget,
  options: TaskIdentityOptions,
): Promise<AzObject | undefined> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const identities = options.identities ?? [];
  let identity: IdentityRequest;
  if (identities.includes(ALL_IDENTITIES)) {
    if (identities.length > 1) {
      throw new CliError(
        "Cannot specify additional identities when [all] is used in [--identities]",
      );
    }
    identity = { type: "None" };
  } else {
    const task = await taskDetails(session, registry, options.name);
    identity = identityAfterRemoval(task.identity, identities);
  }

  const body = { identity };
  return azPolledTask(
    await taskThroughPoller(session, taskRequest(registry, options.name, "PATCH", body)),
  );
}

function identityAfterRemoval(existing: unknown, identities: readonly string[]): IdentityRequest {
  const current = isObject(existing) ? existing : {};
  const type = typeof current.type === "string" ? current.type : "";
  const hasSystem = type.split(",").some((part) => part.trim() === "SystemAssigned");
  const userIds = isObject(current.userAssignedIdentities)
    ? Object.keys(current.userAssignedIdentities)
    : [];

  const removeSystem = identities.length === 0 || identities.includes(SYSTEM_IDENTITY);
  const removeIds = identities
    .filter((identity) => identity !== SYSTEM_IDENTITY)
    .map((identity) => identity.toLowerCase());
  const removedUserIds = userIds.filter((id) => removeIds.includes(id.toLowerCase()));
  const remainingUserIds = userIds.filter((id) => !removeIds.includes(id.toLowerCase()));

  const types = [
    ...(hasSystem && !removeSystem ? ["SystemAssigned"] : []),
    ...(remainingUserIds.length > 0 ? ["UserAssigned"] : []),
  ];
  if (types.length === 0) {
    return { type: "None" };
  }

  const identity: IdentityRequest = { type: types.join(", ") };
  if (remainingUserIds.length > 0 && removedUserIds.length > 0) {
    // ARM merges the map on PATCH: a null removes that identity, the others stay.
    identity.userAssignedIdentities = Object.fromEntries(removedUserIds.map((id) => [id, null]));
  }
  return identity;
}

/** `az acr task identity show`: the task's identity, or `{}` when it has none. */
export async function showTaskIdentity(target: AcrTarget, options: TaskOptions): Promise<AzObject> {
  const session = await sessionOf(target);
  const registry = await lookUpRegistry(session, options);

  const task = await taskDetails(session, registry, options.name);
  return isObject(task.identity) ? (azShape("IdentityProperties", task.identity) as AzObject) : {};
}
