// Entra ID as far as a service principal needs it: OpenID discovery and the client-credentials
// token endpoint, under both authority forms clients use — `/adfs` (az with an AD endpoint
// ending in /adfs, and the JS SDK with tenant "adfs") and `/<tenant-guid>` (v1 and v2.0, the
// JS SDK with a GUID tenant) — plus the signing keys and the cloud metadata document that
// `az cloud register` reads when given only the Resource Manager endpoint.

import { randomUUID } from "node:crypto";

import {
  issueAccessToken,
  jsonWebKeySet,
  normaliseResource,
  TOKEN_LIFETIME_SECONDS,
} from "./identity.js";
import type { Identity } from "./identity.js";
import { splitPath } from "./routes.js";
import type { EmulatorResponse } from "./types.js";

/** How one authority form names its endpoints. */
interface Authority {
  /** `adfs`, or the tenant id. */
  base: string;
  /** `v2.0` endpoints (`/oauth2/v2.0/token`), or v1/ADFS ones (`/oauth2/token`). */
  v2: boolean;
}

export interface IdentityRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

/**
 * The answer for an identity path, or undefined when `path` is not one (then it is ARM's).
 * `origin` is the emulator's own `https://host:port`.
 */
export function handleIdentityRequest(
  request: IdentityRequest,
  identity: Identity,
  origin: string,
  now: Date,
): EmulatorResponse | undefined {
  const segments = splitPath(request.path);
  const lower = segments.map((segment) => segment.toLowerCase());

  if (lower.join("/") === "metadata/endpoints" && request.method === "GET") {
    return { status: 200, body: cloudMetadata(identity, origin) };
  }

  const rest = lower.slice(1).join("/");
  const authority = authorityOf(lower[0], identity);
  if (authority === undefined) {
    return isIdentityPath(lower[0], rest) ? unknownTenant(segments[0] ?? "") : undefined;
  }

  if (request.method === "GET" && rest === ".well-known/openid-configuration") {
    return { status: 200, body: discoveryDocument(origin, { base: authority, v2: false }) };
  }
  if (request.method === "GET" && rest === "v2.0/.well-known/openid-configuration") {
    return { status: 200, body: discoveryDocument(origin, { base: authority, v2: true }) };
  }
  if (request.method === "GET" && (rest === "discovery/keys" || rest === "discovery/v2.0/keys")) {
    return { status: 200, body: jsonWebKeySet(identity) };
  }
  if (request.method === "POST" && (rest === "oauth2/token" || rest === "oauth2/v2.0/token")) {
    const form = new URLSearchParams(request.body.toString("utf8"));
    const issuer = issuerOf(origin, { base: authority, v2: rest.includes("v2.0") });
    return tokenResponse(form, identity, issuer, now);
  }
  if (lower[0] !== "adfs" && segments.length > 1) {
    return undefined;
  }
  return { status: 404, body: oauthError("invalid_request", 900561, "The endpoint is unknown.") };
}

const IDENTITY_PATHS = new Set([
  ".well-known/openid-configuration",
  "v2.0/.well-known/openid-configuration",
  "discovery/keys",
  "discovery/v2.0/keys",
  "oauth2/token",
  "oauth2/v2.0/token",
]);

/**
 * A tenant-shaped first segment (not ARM's `subscriptions`, `tenants`…) before an identity path.
 */
function isIdentityPath(first: string | undefined, rest: string): boolean {
  return first !== undefined && /^[0-9a-f-]{36}$|\./.test(first) && IDENTITY_PATHS.has(rest);
}

/** Entra ID's answer for a tenant it does not have. */
function unknownTenant(tenant: string): EmulatorResponse {
  return {
    status: 400,
    body: oauthError(
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. The emulator has one tenant; use the tenantId of ` +
        "emulator.json or the authority 'adfs'.",
    ),
  };
}

/** `adfs`, or the tenant id when the first segment names the emulator's tenant. */
function authorityOf(first: string | undefined, identity: Identity): string | undefined {
  if (first === "adfs") {
    return "adfs";
  }
  if (first !== undefined && first === identity.settings.tenantId.toLowerCase()) {
    return identity.settings.tenantId;
  }
  return undefined;
}

function issuerOf(origin: string, authority: Authority): string {
  if (authority.base === "adfs") {
    return `${origin}/adfs`;
  }
  return authority.v2 ? `${origin}/${authority.base}/v2.0` : `${origin}/${authority.base}/`;
}

function discoveryDocument(origin: string, authority: Authority): Record<string, unknown> {
  const oauth = `${origin}/${authority.base}/oauth2${authority.v2 ? "/v2.0" : ""}`;
  return {
    issuer: issuerOf(origin, authority),
    authorization_endpoint: `${oauth}/authorize`,
    token_endpoint: `${oauth}/token`,
    jwks_uri: `${origin}/${authority.base}/discovery${authority.v2 ? "/v2.0" : ""}/keys`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    response_modes_supported: ["query", "fragment", "form_post"],
    grant_types_supported: ["client_credentials"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: ["aud", "iss", "iat", "exp", "nbf", "sub", "tid", "oid", "appid"],
    tenant_region_scope: "NA",
    cloud_instance_name: "acrtask.local",
  };
}

function tokenResponse(
  form: URLSearchParams,
  identity: Identity,
  issuer: string,
  now: Date,
): EmulatorResponse {
  const grantType = form.get("grant_type");
  if (grantType !== "client_credentials") {
    return {
      status: 400,
      body: oauthError(
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType ?? ""}'. ` +
          "This emulator issues tokens for client credentials only.",
      ),
    };
  }

  const { settings } = identity;
  const clientId = form.get("client_id") ?? "";
  if (clientId.toLowerCase() !== settings.clientId.toLowerCase()) {
    return {
      status: 400,
      body: oauthError(
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory ` +
          `'${settings.tenantId}'.`,
      ),
    };
  }
  if (form.get("client_secret") !== settings.clientSecret) {
    return {
      status: 401,
      body: oauthError(
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the " +
          `client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      ),
    };
  }

  const scope = form.get("scope");
  const resource = form.get("resource");
  const requested = scope
    ?.split(" ")
    .find((item) => item.endsWith("/.default") || item.includes("://"));
  const audience = requested !== undefined ? normaliseResource(requested) : resource;
  if (audience === undefined || audience === null || audience === "") {
    return {
      status: 400,
      body: oauthError(
        "invalid_scope",
        1002012,
        "The provided value for scope is not valid: ask for '<resource>/.default'.",
      ),
    };
  }

  const accessToken = issueAccessToken(identity, audience, issuer, now);
  const expiresOn = Math.floor(now.getTime() / 1000) + TOKEN_LIFETIME_SECONDS;
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      expires_on: expiresOn,
      resource: audience,
      access_token: accessToken,
    },
  };
}

function oauthError(error: string, code: number, description: string): Record<string, unknown> {
  const traceId = randomUUID();
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId}`,
    error_codes: [code],
    timestamp: new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z"),
    trace_id: traceId,
    correlation_id: randomUUID(),
  };
}

/** What msrestazure reads to fill a cloud registered with only its Resource Manager endpoint. */
function cloudMetadata(identity: Identity, origin: string): Record<string, unknown> {
  return {
    galleryEndpoint: `${origin}/`,
    graphEndpoint: "https://graph.acrtask.local/",
    portalEndpoint: `${origin}/`,
    authentication: {
      loginEndpoint: `${origin}/adfs`,
      audiences: [identity.settings.audience],
    },
  };
}
