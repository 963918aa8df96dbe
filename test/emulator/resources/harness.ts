// Drives handlers the way the emulator's server does: a RouteTable that matches path templates
// (literal segments without regard to case), a request built from a URL, ArmError turned into
// ARM's error body. Calls fail loudly when no route matches.

import { ArmError } from "../../../src/emulator/server/types.js";
import type {
  EmulatorResponse,
  EmulatorServices,
  Handler,
  RouteTable,
} from "../../../src/emulator/server/types.js";
import { MemoryStore } from "./memory-store.js";

export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const RESOURCE_GROUP = "clitest.rg000001";
export const REGISTRY = "clireg000002";
export const REGISTRY_ID =
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}` +
  `/providers/Microsoft.ContainerRegistry/registries/${REGISTRY}`;
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const ENDPOINT = "https://127.0.0.1:8443";

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** A bearer token whose claims name a user, as the emulator's issuer would sign it. */
export function tokenFor(upn: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none" })}.${encode({ upn, tid: TENANT })}.signature`;
}

export class TestRoutes implements RouteTable {
  readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): void {
    this.routes.push({ method, segments: template.split("/"), handler });
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    const segments = path.split("/");
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) {
        continue;
      }
      const params: Record<string, string> = {};
      const matches = route.segments.every((segment, index) => {
        const actual = segments[index] as string;
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (parameter !== null) {
          params[parameter[1] as string] = decodeURIComponent(actual);
          return actual !== "";
        }
        return segment.toLowerCase() === actual.toLowerCase();
      });
      if (matches) {
        return { handler: route.handler, params };
      }
    }
    throw new Error(`no route for ${method} ${path}`);
  }
}

export interface Harness {
  routes: TestRoutes;
  store: MemoryStore;
  services: EmulatorServices;
  clock: { time: Date };
  /** `caller` names the signed-in user, unless `authorization` gives the header itself. */
  call(
    method: string,
    url: string,
    body?: unknown,
    caller?: string,
    authorization?: string,
  ): Promise<EmulatorResponse>;
}

/** A harness with one registry (`clireg000002`, westus, by default in `clitest.rg000001`). */
export function createHarness(
  register: ((routes: RouteTable) => void)[],
  resourceGroup = RESOURCE_GROUP,
): Harness {
  const routes = new TestRoutes();
  const store = new MemoryStore();
  const clock = { time: new Date("2025-04-08T08:17:32.561Z") };
  const services: EmulatorServices = {
    store,
    armEndpoint: ENDPOINT,
    subscriptionId: SUBSCRIPTION,
    tenantId: TENANT,
    now: () => new Date(clock.time),
  };

  for (const registerRoutes of register) {
    registerRoutes(routes);
  }
  store.put({
    id: REGISTRY_ID.replace(RESOURCE_GROUP, resourceGroup),
    type: "Microsoft.ContainerRegistry/registries",
    document: {
      location: "westus",
      sku: { name: "Premium", tier: "Premium" },
      properties: { loginServer: `${REGISTRY}.azurecr.io` },
    },
  });

  async function call(
    method: string,
    url: string,
    body?: unknown,
    caller = "test@example.com",
    authorization = `Bearer ${tokenFor(caller)}`,
  ): Promise<EmulatorResponse> {
    const parsed = new URL(url, ENDPOINT);
    const { handler, params } = routes.match(method, parsed.pathname);
    try {
      return await handler(
        {
          method,
          path: parsed.pathname,
          params,
          query: parsed.searchParams,
          headers: { authorization },
          body,
        },
        services,
      );
    } catch (error) {
      if (error instanceof ArmError) {
        const detail: Record<string, string> = { code: error.code, message: error.message };
        if (error.target !== undefined) {
          detail.target = error.target;
        }
        return { status: error.status, body: { error: detail } };
      }
      throw error;
    }
  }

  return { routes, store, services, clock, call };
}

/** The path and query of a recorded URI, relative to the ARM endpoint. */
export function pathOf(uri: string): string {
  const parsed = new URL(uri);
  return `${parsed.pathname}${parsed.search}`;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(\+00:00|Z)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A JSON text with the values that differ between two honest runs replaced: instants, generated
 * ids and the caller's name. Key order is kept, so comparing two such texts checks it too.
 */
export function comparable(value: unknown): string {
  return JSON.stringify(value, (key, entry: unknown) => {
    if (typeof entry !== "string") {
      return entry;
    }
    const time = TIME.exec(entry);
    if (time !== null) {
      // The digits differ between runs; the offset's spelling and whole seconds must not.
      const seconds = key === "lastUpdatedTime" && time[1] === undefined ? "whole-second " : "";
      return `<${seconds}time ${time[2]}>`;
    }
    if (GUID.test(entry)) {
      return "<guid>";
    }
    if (key === "createdBy" || key === "lastModifiedBy") {
      return "<caller>";
    }
    return entry;
  });
}

/** The recorded response body, parsed. */
export function recordedBody(interaction: { responseBody: string | null }): unknown {
  return interaction.responseBody ? JSON.parse(interaction.responseBody) : undefined;
}
