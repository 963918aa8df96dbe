// The single point where raw ARM JSON becomes the data az prints for it.

import { toAzJson, type AzSchemaName } from "../azure/az-json.js";

/**
 * What a piece of wire JSON is, as far as az's conversion cares:
 * - `Task`: a task read by GET, list, listDetails or the direct create call;
 * - `TaskFromInitialResponse`: a task that came back through az's poller from the operation's
 *   first response, which az deserialises twice (the step loses its `type` and keeps the
 *   server's keys verbatim);
 * - `IdentityProperties`, `CustomRegistryCredentials`, `TimerTrigger`: the parts some
 *   commands print on their own.
 */
export type AzSchema = Extract<
  AzSchemaName,
  | "Task"
  | "TaskFromInitialResponse"
  | "IdentityProperties"
  | "CustomRegistryCredentials"
  | "TimerTrigger"
>;

/** az's dict for `wire` (without `resourceGroup`, which the output layer adds to every result). */
export function azShape(schema: AzSchema, wire: unknown): unknown {
  return toAzJson(schema, wire);
}
