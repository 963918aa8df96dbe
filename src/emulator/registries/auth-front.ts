// The front door of an emulated registry: it owns the registry's loopback port, checks the
// admin user's basic auth against both of ACR's admin passwords, and passes what it accepts to
// the distribution process, which listens on a socket in the registry's private folder.
// Distribution's own htpasswd auth keeps a single hash per user, so it cannot accept
// `password2`; and the front reads the passwords at every request, so a regenerated password
// takes effect without restarting the registry.

import { timingSafeEqual } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface AuthFrontOptions {
  /** The port to listen on; 0 for any free one. */
  port: number;
  /** The realm of the basic-auth challenge, the registry's name as distribution used it. */
  realm: string;
  /** The unix socket distribution listens on. */
  upstreamSocket: string;
  /** The admin user name and passwords now in force; asked at every request. */
  credentials(): { username: string; passwords: readonly string[] };
}

export interface AuthFront {
  port: number;
  close(): Promise<void>;
}

// Distribution's own answer to a request without valid credentials, so that docker's login and
// push see what they saw before the front existed.
const UNAUTHORIZED_BODY =
  '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}\n';

/** Listens on 127.0.0.1:`port`; rejects when the port is taken. */
export function startAuthFront(options: AuthFrontOptions): Promise<AuthFront> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    if (isAdmin(incoming.headers.authorization, options.credentials())) {
      forward(incoming, outgoing, agent, options.upstreamSocket);
    } else {
      refuse(incoming, outgoing, options.realm);
    }
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => closeServer(server, agent),
      });
    });
  });
}

function isAdmin(
  authorization: string | undefined,
  credentials: { username: string; passwords: readonly string[] },
): boolean {
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) {
    return false;
  }

  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    return false;
  }

  // ACR compares registry names without regard to case, and the user name is the registry name.
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username.toLowerCase() !== credentials.username.toLowerCase()) {
    return false;
  }
  return credentials.passwords.some((candidate) => sameSecret(password, candidate));
}

function sameSecret(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given);
  const expectedBytes = Buffer.from(expected);
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

function refuse(incoming: IncomingMessage, outgoing: ServerResponse, realm: string): void {
  // The request body (a layer being pushed) is not wanted; reading it lets the connection live.
  incoming.resume();
  outgoing.writeHead(401, {
    "content-type": "application/json; charset=utf-8",
    "docker-distribution-api-version": "registry/2.0",
    "www-authenticate": `Basic realm="${realm}"`,
    "content-length": Buffer.byteLength(UNAUTHORIZED_BODY),
  });
  outgoing.end(UNAUTHORIZED_BODY);
}

function forward(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  agent: Agent,
  socketPath: string,
): void {
  // Host stays as the client sent it: distribution builds upload locations from it, and those
  // must name the front's port.
  const headers = { ...incoming.headers };
  delete headers.authorization;

  const upstream = request(
    { agent, socketPath, method: incoming.method, path: incoming.url, headers },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.rawHeaders));
      answer.pipe(outgoing);
    },
  );
  upstream.on("error", () => {
    if (!outgoing.headersSent) {
      outgoing.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
    }
    outgoing.end("The registry process did not answer.\n");
  });
  incoming.on("aborted", () => upstream.destroy());
  incoming.pipe(upstream);
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection"]);

/** The answer's headers as a flat name/value list, less those that describe one connection. */
function endToEndHeaders(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[index]!.toLowerCase())) {
      kept.push(rawHeaders[index]!, rawHeaders[index + 1]!);
    }
  }
  return kept;
}

function closeServer(server: Server, agent: Agent): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    agent.destroy();
  });
}
