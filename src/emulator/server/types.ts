// The contract between the emulator's HTTPS server and the resource handlers that serve ARM
// operations on it.

import type { ResourceStore } from "../store/types.js";

export interface EmulatorRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** Path template parameters, e.g. `registryName`, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined without one. */
  body: unknown;
}

export interface EmulatorResponse {
  status: number;
  /** Serialised as JSON unless it is a string or a Buffer. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a handler can reach: the state and the emulator's own facts. */
export interface EmulatorServices {
  store: ResourceStore;
  /** The emulator's ARM base URL, e.g. `https://127.0.0.1:8443`. */
  armEndpoint: string;
  subscriptionId: string;
  tenantId: string;
  now: () => Date;
  /** The processes behind registries; absent when the emulator runs none (tests of shapes). */
  registryProcesses?: RegistryProcesses;
  /** The data folder the emulator keeps its state in. */
  dataDir?: string;
  /** Called after a registry is created or deleted (emulator.json lists them). */
  onRegistriesChanged?: () => void;
}

/** A registry's admin user and its two passwords, as listCredentials reports them. */
export interface RegistryAdmin {
  username: string;
  passwords: [string, string];
}

/** Starts and removes the real registry behind an ACR registry resource. */
export interface RegistryProcesses {
  /** Starts (creating on first use) the registry; returns its login server and admin user. */
  start(name: string): Promise<RegistryAdmin & { loginServer: string }>;
  /** Stops the registry and removes its content. */
  remove(name: string): Promise<void>;
  /** The admin user of a registry, without starting it. */
  credentials(name: string): Promise<RegistryAdmin | undefined>;
}

export type Handler = (
  request: EmulatorRequest,
  services: EmulatorServices,
) => EmulatorResponse | Promise<EmulatorResponse>;

export interface RouteTable {
  /**
   * Registers `handler` for `method` on a path template such as
   * `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/
   * Microsoft.ContainerRegistry/registries/{registryName}/tasks/{taskName}`; matching is
   * case-insensitive on the literal segments, as ARM's is.
   */
  add(method: string, template: string, handler: Handler): void;
}

/** An ARM error answer: `{"error": {"code", "message", "target"?}}` with `status`. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}
