// A local HTTPS server that plays just enough of Entra ID and Azure Resource Manager for a
// sign-in: OpenID discovery, the token endpoint (client credentials with a secret, a
// certificate assertion or a federated token), and the subscription and tenant listings.
// Used by the end-to-end test (our built CLI) and to record what the real az prints.

import { execFileSync } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface TestCertificates {
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  /** A self-signed client certificate and its key in one PEM, as `az login -p cert.pem` takes. */
  clientPemPath: string;
  /** SHA-1 thumbprint of the client certificate, upper-case hex. */
  clientThumbprint: string;
}

/** Creates a CA, a server certificate for localhost/127.0.0.1 and a client certificate. */
export function createTestCertificates(directory: string): TestCertificates {
  const path = (name: string): string => join(directory, name);
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: "ignore" });
  };

  openssl(
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-keyout", path("ca.key"), "-out", path("ca.crt"), "-subj", "/CN=acrtask test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ); // prettier-ignore

  writeFileSync(
    path("server.ext"),
    [
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
  );
  openssl(
    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("server.key"),
    "-out", path("server.csr"), "-subj", "/CN=localhost",
  ); // prettier-ignore
  openssl(
    "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
    "-CAcreateserial", "-days", "2", "-out", path("server.crt"), "-extfile", path("server.ext"),
  ); // prettier-ignore

  openssl(
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-keyout", path("client.key"), "-out", path("client.crt"), "-subj", "/CN=acrtask test app",
  ); // prettier-ignore
  writeFileSync(
    path("client.pem"),
    readFileSync(path("client.key"), "utf8") + readFileSync(path("client.crt"), "utf8"),
  );
  const thumbprint = new X509Certificate(readFileSync(path("client.crt"))).fingerprint
    .replace(/:/g, "")
    .toUpperCase();

  return {
    caCertPath: path("ca.crt"),
    serverCertPath: path("server.crt"),
    serverKeyPath: path("server.key"),
    clientPemPath: path("client.pem"),
    clientThumbprint: thumbprint,
  };
}

export interface ServedSubscription {
  subscriptionId: string;
  displayName: string;
  state?: string;
  /** Home tenant as the listing reports it. */
  tenantId: string;
  managedByTenants?: string[];
}

export interface SigninServerOptions {
  certificates: TestCertificates;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** A federated token the token endpoint accepts as client_assertion. */
  federatedToken?: string;
  subscriptions: ServedSubscription[];
  /** Access-token lifetime in seconds. */
  expiresIn?: number;
  port?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Form fields of a token request, secrets included (tests look for them elsewhere). */
  form?: Record<string, string>;
  authorization?: string;
  status: number;
}

export interface SigninServer {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Every access token issued so far. */
  issuedTokens: string[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function base64Url(value: object | Buffer): string {
  const buffer = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  return buffer.toString("base64url");
}

function decodeJwtPart(token: string, index: number): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString("utf8"));
  } catch {
    return {};
  }
}

export async function startSigninServer(options: SigninServerOptions): Promise<SigninServer> {
  const issuedTokens: string[] = [];
  const requests: RecordedRequest[] = [];
  const expiresIn = options.expiresIn ?? 3599;
  let baseUrl = "";

  const openIdConfiguration = (authority: string, tokenPath: string): object => ({
    issuer: `${baseUrl}/${authority}`,
    authorization_endpoint: `${baseUrl}/${authority}/oauth2/authorize`,
    token_endpoint: `${baseUrl}${tokenPath}`,
    device_authorization_endpoint: `${baseUrl}/${authority}/oauth2/devicecode`,
    jwks_uri: `${baseUrl}/${authority}/discovery/keys`,
    response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
  });

  const issueToken = (scope: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const audience = scope.replace(/\/?\.default$/, "");
    const token = [
      base64Url({ typ: "JWT", alg: "RS256", kid: "test" }),
      base64Url({
        aud: audience,
        iss: `${baseUrl}/${options.tenantId}/`,
        iat: now,
        nbf: now,
        exp: now + expiresIn,
        appid: options.clientId,
        oid: "99999999-8888-7777-6666-555555555555",
        tid: options.tenantId,
      }),
      base64Url(randomBytes(32)),
    ].join(".");
    issuedTokens.push(token);
    return token;
  };

  const clientIsAuthentic = (form: Record<string, string>): boolean => {
    if (form.client_id !== options.clientId) {
      return false;
    }
    if (form.client_secret !== undefined) {
      return form.client_secret === options.clientSecret;
    }
    const assertion = form.client_assertion;
    if (assertion === undefined) {
      return false;
    }
    if (options.federatedToken !== undefined && assertion === options.federatedToken) {
      return true;
    }

    // A certificate assertion: a JWT whose header names the certificate's thumbprint.
    const header = decodeJwtPart(assertion, 0);
    const payload = decodeJwtPart(assertion, 1);
    const thumbprint =
      typeof header.x5t === "string"
        ? Buffer.from(header.x5t, "base64url").toString("hex").toUpperCase()
        : typeof header["x5t#S256"] === "string"
          ? "sha256"
          : "";
    return (
      (thumbprint === options.certificates.clientThumbprint || thumbprint === "sha256") &&
      payload.sub === options.clientId
    );
  };

  const server: Server = createServer(
    {
      cert: readFileSync(options.certificates.serverCertPath),
      key: readFileSync(options.certificates.serverKeyPath),
    },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        // `new URL(path, base)` would read `//metadata/...` as a host; keep the path as sent.
        const rawPath = request.url ?? "/";
        const url = new URL(baseUrl + rawPath.replace(/^\/+/, "/"));
        const path = url.pathname.replace(/\/+/g, "/").toLowerCase();
        const body = Buffer.concat(chunks).toString("utf8");
        const record: RecordedRequest = {
          method: request.method ?? "GET",
          path: rawPath,
          authorization: request.headers.authorization,
          status: 200,
        };
        requests.push(record);

        const reply = (status: number, payload: unknown): void => {
          record.status = status;
          const text = JSON.stringify(payload);
          response.writeHead(status, {
            "content-type": "application/json; charset=utf-8",
            "x-ms-request-id": `req-${requests.length}`,
            "content-length": Buffer.byteLength(text),
          });
          response.end(text);
        };

        const discovery = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path);
        if (request.method === "GET" && discovery) {
          const authority = discovery[1];
          const tokenPath =
            authority === "adfs" ? "/adfs/oauth2/token" : `/${authority}/oauth2/v2.0/token`;
          reply(200, openIdConfiguration(authority, tokenPath));
          return;
        }

        if (request.method === "POST" && /^\/[^/]+\/oauth2\/(v2\.0\/)?token$/.test(path)) {
          const form = Object.fromEntries(new URLSearchParams(body));
          record.form = form;
          if (form.grant_type !== "client_credentials" || !clientIsAuthentic(form)) {
            reply(401, {
              error: "invalid_client",
              error_description: "AADSTS7000215: Invalid client secret provided.",
              error_codes: [7000215],
            });
            return;
          }
          reply(200, {
            token_type: "Bearer",
            expires_in: expiresIn,
            ext_expires_in: expiresIn,
            access_token: issueToken(form.scope ?? ""),
          });
          return;
        }

        if (request.method === "GET" && path === "/metadata/endpoints") {
          reply(200, {
            galleryEndpoint: `${baseUrl}/gallery/`,
            graphEndpoint: "https://graph.local.test/",
            portalEndpoint: `${baseUrl}/portal/`,
            authentication: {
              loginEndpoint: `${baseUrl}/adfs`,
              audiences: ["https://management.local.test/"],
            },
          });
          return;
        }

        const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (!bearer || !issuedTokens.includes(bearer)) {
          reply(401, {
            error: { code: "AuthenticationFailed", message: "Authentication failed." },
          });
          return;
        }

        if (request.method === "GET" && path === "/subscriptions") {
          reply(200, {
            value: options.subscriptions.map((subscription) => ({
              id: `/subscriptions/${subscription.subscriptionId}`,
              authorizationSource: "RoleBased",
              managedByTenants: (subscription.managedByTenants ?? []).map((tenantId) => ({
                tenantId,
              })),
              subscriptionId: subscription.subscriptionId,
              tenantId: subscription.tenantId,
              displayName: subscription.displayName,
              state: subscription.state ?? "Enabled",
              subscriptionPolicies: {
                locationPlacementId: "Public_2014-09-01",
                quotaId: "PayAsYouGo_2014-09-01",
                spendingLimit: "Off",
              },
            })),
            count: { type: "Total", value: options.subscriptions.length },
          });
          return;
        }

        if (request.method === "GET" && path === "/tenants") {
          reply(200, {
            value: [
              {
                id: `/tenants/${options.tenantId}`,
                tenantId: options.tenantId,
                tenantCategory: "Home",
                displayName: "Test Tenant",
                domains: ["test.onmicrosoft.com"],
              },
            ],
          });
          return;
        }

        reply(404, { error: { code: "NotFound", message: `No route for ${path}` } });
      });
    },
  );

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    issuedTokens,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
