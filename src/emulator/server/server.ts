// The emulator's HTTPS front door: identity paths answer without a token; every other path is
// ARM's, where the bearer token, the api-version and the subscription are checked (in that
// order, as ARM does) before the route's handler runs. Answers carry ARM's envelope headers and,
// on failure, ARM's error body.

import { randomUUID } from "node:crypto";
import { createServer } from "node:https";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { checkApiVersion } from "./api-versions.js";
import { verifyBearer } from "./identity.js";
import type { Identity } from "./identity.js";
import { Routes, splitPath } from "./routes.js";
import { handleIdentityRequest } from "./token-endpoint.js";
import { ArmError } from "./types.js";
import type { EmulatorRequest, EmulatorResponse, EmulatorServices } from "./types.js";
import type { ResourceStore } from "../store/types.js";

export interface ArmServerOptions {
  tls: { cert: Buffer; key: Buffer };
  identity: Identity;
  store: ResourceStore;
  routes: Routes;
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  relaxApiVersions?: boolean;
  now?: () => Date;
  /** Extra services handed to handlers (registry processes, blob storage). */
  services?: Partial<EmulatorServices>;
  /** Called once per request after it is answered, for the --debug trace. */
  onRequest?: (method: string, path: string, status: number) => void;
}

export interface ArmServer {
  server: Server;
  armEndpoint: string;
  services: EmulatorServices;
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startArmServer(options: ArmServerOptions): Promise<ArmServer> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  const server = createServer({ cert: options.tls.cert, key: options.tls.key });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  const armEndpoint = `https://${hostForUrl === "0.0.0.0" ? "127.0.0.1" : hostForUrl}:${port}`;
  const services: EmulatorServices = {
    ...options.services,
    store: options.store,
    armEndpoint,
    subscriptionId: options.identity.settings.subscriptionId,
    tenantId: options.identity.settings.tenantId,
    now,
  };

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void serve(request, response, options, services).then((status) =>
      options.onRequest?.(request.method ?? "", request.url ?? "", status),
    );
  });

  return {
    server,
    armEndpoint,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: ArmServerOptions,
  services: EmulatorServices,
): Promise<number> {
  let answer: EmulatorResponse;
  try {
    answer = await answerRequest(request, options, services);
  } catch (error) {
    answer = errorResponse(error, services.armEndpoint);
  }
  write(request, response, answer);
  return answer.status;
}

async function answerRequest(
  request: IncomingMessage,
  options: ArmServerOptions,
  services: EmulatorServices,
): Promise<EmulatorResponse> {
  const method = (request.method ?? "GET").toUpperCase();
  const url = new URL(`https://emulator${request.url ?? "/"}`);
  const path = `/${splitPath(url.pathname).join("/")}`;
  const body = await readBody(request);
  const now = services.now();

  const identityAnswer = handleIdentityRequest(
    { method, path, query: url.searchParams, body },
    options.identity,
    services.armEndpoint,
    now,
  );
  if (identityAnswer !== undefined) {
    return identityAnswer;
  }

  verifyBearer(options.identity, headerValue(request, "authorization"), now);
  checkApiVersion(path, url.searchParams.get("api-version"), options.relaxApiVersions === true);
  checkSubscription(path, services.subscriptionId);

  const { route, methodAllowed } = options.routes.match(method, path);
  if (route === undefined) {
    throw methodAllowed ? notFound(path) : methodNotAllowed(method, path);
  }

  const emulatorRequest: EmulatorRequest = {
    method,
    path,
    params: route.params,
    query: url.searchParams,
    headers: request.headers,
    body: parseJsonBody(body, headerValue(request, "content-type")),
  };
  return route.handler(emulatorRequest, services);
}

/** A subscription other than the emulator's is answered as ARM answers an unknown one. */
function checkSubscription(path: string, subscriptionId: string): void {
  const segments = splitPath(path);
  if (segments[0]?.toLowerCase() !== "subscriptions" || segments[1] === undefined) {
    return;
  }

  const requested = decodeURIComponent(segments[1]);
  if (!GUID.test(requested)) {
    throw new ArmError(
      400,
      "InvalidSubscriptionId",
      `The provided subscription identifier '${requested}' is malformed or invalid.`,
    );
  }
  if (requested.toLowerCase() !== subscriptionId.toLowerCase()) {
    throw new ArmError(
      404,
      "SubscriptionNotFound",
      `The subscription '${requested}' could not be found.`,
    );
  }
}

function notFound(path: string): ArmError {
  const segments = splitPath(path);
  const provider = segments.findIndex((segment) => segment.toLowerCase() === "providers");
  if (provider !== -1 && segments[provider + 1] !== undefined) {
    const namespace = segments[provider + 1] ?? "";
    const type = segments.slice(provider + 2).filter((_, index) => index % 2 === 0);
    return new ArmError(
      404,
      "InvalidResourceType",
      `The resource type '${type.join("/")}' could not be found in the namespace ` +
        `'${namespace}' for this emulator.`,
    );
  }
  return new ArmError(404, "NotFound", `The path '${path}' is not served by this emulator.`);
}

function methodNotAllowed(method: string, path: string): ArmError {
  return new ArmError(
    405,
    "MethodNotAllowed",
    `The requested resource does not support http method '${method}' on '${path}'.`,
  );
}

function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) {
    return undefined;
  }
  const text = body.toString("utf8");
  if (text.trim() === "") {
    return undefined;
  }
  if (contentType !== undefined && !/json/i.test(contentType)) {
    return text;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: ` +
        `'${(error as Error).message}'.`,
    );
  }
}

function errorResponse(error: unknown, armEndpoint: string): EmulatorResponse {
  if (error instanceof ArmError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.target !== undefined) {
      body.target = error.target;
    }
    const headers: Record<string, string> = {};
    if (error.status === 401) {
      // The challenge names the emulator's own authority, never a real Entra ID.
      headers["www-authenticate"] =
        `Bearer authorization_uri="${armEndpoint}/adfs", error="invalid_token", ` +
        `error_description="${error.message.replace(/"/g, "'")}"`;
    }
    if (error.status === 404 && !["EntityNotFound"].includes(error.code)) {
      headers["x-ms-failure-cause"] = "gateway";
    }
    return { status: error.status, body: { error: body }, headers };
  }

  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: { error: { code: "InternalServerError", message: `The emulator failed: ${message}` } },
  };
}

function write(request: IncomingMessage, response: ServerResponse, answer: EmulatorResponse): void {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": requestId,
    "x-ms-ratelimit-remaining-subscription-reads": "11999",
  };
  const clientRequestId = headerValue(request, "x-ms-client-request-id");
  if (clientRequestId !== undefined) {
    headers["x-ms-client-request-id"] = clientRequestId;
  }

  let payload: Buffer | undefined;
  if (Buffer.isBuffer(answer.body)) {
    payload = answer.body;
  } else if (typeof answer.body === "string") {
    payload = Buffer.from(answer.body);
  } else if (answer.body !== undefined) {
    payload = Buffer.from(JSON.stringify(answer.body));
    headers["content-type"] = "application/json; charset=utf-8";
  }
  Object.assign(headers, answer.headers);
  headers["content-length"] = String(payload?.length ?? 0);

  response.writeHead(answer.status, headers);
  response.end(request.method === "HEAD" ? undefined : payload);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
