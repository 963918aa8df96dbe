// An emulator in a temporary data dir, and the official SDK pointed at it: the CA is trusted
// through an agent on each client (NODE_EXTRA_CA_CERTS is read only when Node starts).

import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent, request } from "node:https";
import type { Duplex } from "node:stream";
import { connect as connectTls } from "node:tls";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/core-auth";

import { startEmulator } from "../../src/emulator/emulator.js";
import type {
  EmulatorConfig,
  EmulatorOptions,
  RunningEmulator,
} from "../../src/emulator/emulator.js";

export interface TestEmulator {
  dataDir: string;
  emulator: RunningEmulator;
  config: EmulatorConfig;
  agent: Agent;
  stop(): Promise<void>;
  /** Stops it and starts it again on the same data dir. */
  restart(): Promise<void>;
}

export async function startTestEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "acrtask-emulator-"));
  const settings: EmulatorOptions = {
    runRegistries: false,
    runBlobStorage: false,
    ...options,
    dataDir,
  };
  const emulator = await startEmulator(settings);
  const harness: TestEmulator = {
    dataDir,
    emulator,
    config: emulator.config,
    agent: new Agent({ ca: readFileSync(emulator.config.caCertPath), keepAlive: false }),
    stop: async () => {
      await harness.emulator.stop();
      if (options.dataDir === undefined) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    restart: async () => {
      await harness.emulator.stop();
      harness.emulator = await startEmulator(settings);
      harness.config = harness.emulator.config;
    },
  };
  return harness;
}

export async function httpClientFor(agent: Agent): Promise<HttpClient> {
  const { createDefaultHttpClient } = await import("@azure/core-rest-pipeline");
  const client = createDefaultHttpClient();
  return {
    sendRequest: (pipelineRequest) => {
      pipelineRequest.agent = agent;
      return client.sendRequest(pipelineRequest);
    },
  };
}

/** A ClientSecretCredential for the emulator's service principal, tenant `adfs` or the GUID. */
export async function credentialFor(
  harness: TestEmulator,
  tenant: "adfs" | "guid" = "guid",
): Promise<TokenCredential> {
  const { ClientSecretCredential } = await import("@azure/identity");
  const { config } = harness;
  return new ClientSecretCredential(
    tenant === "adfs" ? "adfs" : config.tenantId,
    config.clientId,
    config.clientSecret,
    {
      authorityHost: config.armEndpoint,
      disableInstanceDiscovery: true,
      httpClient: await httpClientFor(harness.agent),
    },
  );
}

export async function sdkClient(
  harness: TestEmulator,
  options: { tenant?: "adfs" | "guid"; subscriptionId?: string; credential?: TokenCredential } = {},
): Promise<ContainerRegistryManagementClient> {
  const { ContainerRegistryManagementClient } = await import("@azure/arm-containerregistry");
  const { config } = harness;
  return new ContainerRegistryManagementClient(
    options.credential ?? (await credentialFor(harness, options.tenant)),
    options.subscriptionId ?? config.subscriptionId,
    {
      endpoint: config.armEndpoint,
      credentialScopes: [`${config.audience.replace(/\/$/, "")}/.default`],
      httpClient: await httpClientFor(harness.agent),
    },
  );
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** One raw HTTPS call to the emulator, for what the SDK would not send. */
export function rawRequest(
  harness: TestEmulator,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  // Joined as text: new URL("//x", base) would read "x" as a host.
  const url = new URL(`${harness.config.armEndpoint}${path}`);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method, headers: options.headers, agent: harness.agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** A token from the emulator's token endpoint, as a client would get it. */
export async function fetchToken(harness: TestEmulator, scope?: string): Promise<string> {
  const { config } = harness;
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: config.clientId,
    client_secret: config.clientSecret,
    scope: scope ?? `${config.audience}/.default`,
  }).toString();
  const answer = await rawRequest(harness, "POST", `/${config.tenantId}/oauth2/v2.0/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return (answer.json() as { access_token: string }).access_token;
}

/**
 * An agent that reaches `<account>.blob.localhost` through the emulator's CONNECT proxy, as
 * az does with HTTPS_PROXY, trusting the emulator's CA end to end.
 */
export function proxiedAgent(harness: TestEmulator): Agent {
  const proxy = new URL(harness.config.proxyUrl ?? "http://127.0.0.1:1");
  const ca = readFileSync(harness.config.caCertPath);

  class TunnelAgent extends Agent {
    override createConnection(
      options: { host?: string | null; port?: number | null },
      callback: (error: Error | null, socket?: Duplex) => void,
    ): undefined {
      const target = `${options.host ?? ""}:${options.port ?? 443}`;
      const connect = httpRequest({
        host: proxy.hostname,
        port: proxy.port,
        method: "CONNECT",
        path: target,
      });
      connect.once("connect", (answer, socket) => {
        if (answer.statusCode !== 200) {
          callback(new Error(`the proxy refused ${target}: ${answer.statusCode}`));
          return;
        }
        callback(null, connectTls({ socket, servername: options.host ?? undefined, ca }));
      });
      connect.once("error", (error) => callback(error));
      connect.end();
      return undefined;
    }
  }
  return new TunnelAgent({ keepAlive: false });
}
