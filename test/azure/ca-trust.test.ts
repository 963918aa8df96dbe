// Trust in a cloud's own CA: stored in clouds.config, turned into a pipeline policy that puts a
// CA-aware agent on each https request, and checked against a real TLS server.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent as HttpsAgent, createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";

import {
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";

import {
  CA_CERT_PATH_OPTION,
  addCloud,
  getCloud,
  setActiveCloudName,
} from "../../src/azure/clouds.js";
import { readIni } from "../../src/azure/profile.js";
import {
  CA_TRUST_POLICY_NAME,
  createCaTrustPolicy,
  debugPolicies,
  destroyCaTrustAgents,
} from "../../src/azure/session.js";
import { HTTP_DEBUG_POLICY_NAME } from "../../src/azure/http-debug.js";
import { ensureTlsFiles, type TlsFiles } from "../../src/emulator/server/tls.js";
import { fakeContext } from "./fake-context.js";

let directory: string;
let tls: TlsFiles;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "acrtask-ca-trust-"));
  tls = ensureTlsFiles(directory);
  server = createServer({ cert: tls.cert, key: tls.key }, (_request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("trusted");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  serverUrl = `https://127.0.0.1:${address.port}/`;
});

afterAll(async () => {
  destroyCaTrustAgents();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

function passThrough(request: PipelineRequest): Promise<PipelineResponse> {
  return Promise.resolve({ request, status: 200, headers: request.headers });
}

describe("createCaTrustPolicy", () => {
  it("gives https requests one agent that trusts the system roots and the CA", async () => {
    const policy = createCaTrustPolicy(tls.caCertPath);
    expect(policy.name).toBe(CA_TRUST_POLICY_NAME);

    const first = createPipelineRequest({ url: "https://example.test/a" });
    const second = createPipelineRequest({ url: "https://example.test/b" });
    await policy.sendRequest(first, passThrough);
    await policy.sendRequest(second, passThrough);

    const agent = first.agent as HttpsAgent;
    expect(agent).toBeInstanceOf(HttpsAgent);
    expect(second.agent).toBe(agent);
    const ca = agent.options.ca as string[];
    expect(ca).toContain(readFileSync(tls.caCertPath, "utf8"));
    expect(ca).toHaveLength(rootCertificates.length + 1);
    expect(agent.options.keepAlive).toBe(true);
  });

  it("leaves plain http requests and requests that already have an agent alone", async () => {
    const policy = createCaTrustPolicy(tls.caCertPath);
    const plain = createPipelineRequest({
      url: "http://127.0.0.1:1/",
      allowInsecureConnection: true,
    });
    const ownAgent = new HttpsAgent();
    const withAgent = createPipelineRequest({ url: "https://example.test/" });
    withAgent.agent = ownAgent;

    await policy.sendRequest(plain, passThrough);
    await policy.sendRequest(withAgent, passThrough);

    expect(plain.agent).toBeUndefined();
    expect(withAgent.agent).toBe(ownAgent);
    ownAgent.destroy();
  });

  it("reports an unreadable CA file as a user error at the first request", async () => {
    const policy = createCaTrustPolicy(join(directory, "missing.crt"));
    const request = createPipelineRequest({ url: "https://example.test/" });
    await expect(policy.sendRequest(request, passThrough)).rejects.toThrow(
      /certificate authority file '.*missing\.crt' of the active cloud cannot be read/,
    );
  });

  it(
    "lets the SDK's HTTP client reach a server signed by the CA, " + "which fails without it",
    async () => {
      const client = createDefaultHttpClient();

      const trusting = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
      trusting.addPolicy(createCaTrustPolicy(tls.caCertPath), { phase: "Sign" });
      const answer = await trusting.sendRequest(client, createPipelineRequest({ url: serverUrl }));
      expect(answer.status).toBe(200);
      expect(answer.bodyAsText).toBe("trusted");

      const untrusting = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
      await expect(
        untrusting.sendRequest(client, createPipelineRequest({ url: serverUrl })),
      ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    },
  );
});

describe("a cloud's CA path", () => {
  const cloudArguments = {
    name: "Emulated",
    profile: "latest",
    isActive: false,
    endpoints: {
      resource_manager: "https://127.0.0.1:1/",
      active_directory: "https://127.0.0.1:1",
      active_directory_resource_id: "https://management.core.windows.net/",
    },
    suffixes: {},
  };

  it("is stored under an acrtask-only option and read back", () => {
    const context = fakeContext();
    try {
      addCloud(context.configDir, { ...cloudArguments, caCertPath: tls.caCertPath });

      const section = readIni(context.configDir, "clouds.config").get("Emulated");
      expect(section?.get(CA_CERT_PATH_OPTION)).toBe(tls.caCertPath);
      expect(getCloud(context.configDir, "Emulated").caCertPath).toBe(tls.caCertPath);
      expect(getCloud(context.configDir, "AzureCloud").caCertPath).toBeUndefined();
    } finally {
      context.cleanup();
    }
  });

  it("puts the trust policy before the debug trace once its cloud is active", () => {
    const context = fakeContext({ globals: { debug: true } });
    try {
      addCloud(context.configDir, { ...cloudArguments, caCertPath: tls.caCertPath });
      expect(debugPolicies(context).map((policy) => policy.name)).toEqual([HTTP_DEBUG_POLICY_NAME]);

      setActiveCloudName(context.configDir, "Emulated");
      expect(debugPolicies(context).map((policy) => policy.name)).toEqual([
        CA_TRUST_POLICY_NAME,
        HTTP_DEBUG_POLICY_NAME,
      ]);
    } finally {
      context.cleanup();
    }
  });
});
