// The emulator's Entra ID: one tenant, one subscription and one service principal, made at the
// first start and kept in the data dir; RS256 access tokens signed by a key kept there too, and
// the checks ARM applies to a bearer token, with ARM's answers when one fails.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  verify,
} from "node:crypto";
import type { KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ArmError } from "./types.js";

/** The identity facts a client needs, kept in `<dataDir>/identity/identity.json`. */
export interface IdentitySettings {
  tenantId: string;
  subscriptionId: string;
  clientId: string;
  clientSecret: string;
  /** The ARM resource id tokens are issued for, e.g. `https://management.acrtask.local/`. */
  audience: string;
}

export interface Identity {
  settings: IdentitySettings;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key id in the JWT header and the JWKS document. */
  keyId: string;
}

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  appid: string;
  azp: string;
  idtyp: string;
  ver: string;
  [name: string]: unknown;
}

/** Tokens live as long as Entra ID's usual app tokens. */
export const TOKEN_LIFETIME_SECONDS = 3599;

const DEFAULT_AUDIENCE = "https://management.acrtask.local/";

/** Loads the identity from `<dataDir>/identity/`, creating it on first use. */
export function loadIdentity(dataDir: string): Identity {
  const directory = join(dataDir, "identity");
  const settingsPath = join(directory, "identity.json");
  const keyPath = join(directory, "signing-key.pem");
  mkdirSync(directory, { recursive: true, mode: 0o700 });

  if (!existsSync(settingsPath)) {
    const settings: IdentitySettings = {
      tenantId: randomUUID(),
      subscriptionId: randomUUID(),
      clientId: randomUUID(),
      clientSecret: randomBytes(24).toString("base64url"),
      audience: DEFAULT_AUDIENCE,
    };
    writeFileSync(settingsPath, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  }
  if (!existsSync(keyPath)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }

  const settings = JSON.parse(readFileSync(settingsPath, "utf8")) as IdentitySettings;
  const privateKey = createPrivateKey(readFileSync(keyPath));
  const publicKey = createPublicKey(privateKey);
  const keyId = publicKey
    .export({ type: "spki", format: "der" })
    .subarray(-20)
    .toString("base64url");
  return { settings, privateKey, publicKey, keyId };
}

/** `https://x/` and `https://x` name the same resource; so does a scope's `//.default`. */
export function normaliseResource(resource: string): string {
  return resource.replace(/\/\.default$/, "").replace(/\/+$/, "");
}

/** Signs an access token for the service principal, for `resource`, valid from `now`. */
export function issueAccessToken(
  identity: Identity,
  resource: string,
  issuer: string,
  now: Date,
  lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const { settings } = identity;
  const claims: TokenClaims = {
    aud: resource,
    iss: issuer,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + lifetimeSeconds,
    tid: settings.tenantId,
    oid: settings.clientId,
    sub: settings.clientId,
    appid: settings.clientId,
    azp: settings.clientId,
    idtyp: "app",
    ver: "1.0",
  };
  return signJwt(identity.privateKey, identity.keyId, claims);
}

export function signJwt(privateKey: KeyObject, keyId: string, claims: object): string {
  const header = { typ: "JWT", alg: "RS256", kid: keyId, x5t: keyId };
  const signingInput = `${base64Json(header)}.${base64Json(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput), privateKey).toString("base64url");
  return `${signingInput}.${signature}`;
}

function base64Json(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The public key as a JWKS document, what `jwks_uri` serves. */
export function jsonWebKeySet(identity: Identity): { keys: object[] } {
  const jwk = identity.publicKey.export({ format: "jwk" });
  return { keys: [{ kty: "RSA", use: "sig", kid: identity.keyId, x5t: identity.keyId, ...jwk }] };
}

/**
 * What ARM checks on every call: a bearer header, a well-formed RS256 token signed by this
 * emulator, not expired, for the emulator's audience. Each failure is ARM's 401 answer.
 */
export function verifyBearer(
  identity: Identity,
  authorization: string | undefined,
  now: Date,
): TokenClaims {
  if (authorization === undefined || authorization.trim() === "") {
    throw new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
    );
  }

  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (match === null) {
    throw new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    );
  }

  const claims = verifiedClaims(identity, match[1] ?? "");
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) {
    const expiry = typeof claims.exp === "number" ? new Date(claims.exp * 1000) : new Date(0);
    throw new ArmError(
      401,
      "ExpiredAuthenticationToken",
      `The access token expiry UTC time '${dotNetTime(expiry)}' is earlier than current UTC ` +
        `time '${dotNetTime(now)}'.`,
    );
  }
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + 300) {
    throw invalidToken();
  }

  const expected = normaliseResource(identity.settings.audience);
  if (typeof claims.aud !== "string" || normaliseResource(claims.aud) !== expected) {
    throw new ArmError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${String(claims.aud)}'. ` +
        `It should exactly match with one of the allowed audiences ` +
        `'${identity.settings.audience}'.`,
    );
  }
  if (claims.tid !== identity.settings.tenantId) {
    throw new ArmError(
      401,
      "InvalidAuthenticationTokenTenant",
      "The access token is from the wrong issuer. It must match the tenant " +
        `'${identity.settings.tenantId}' associated with this subscription.`,
    );
  }
  return claims;
}

function verifiedClaims(identity: Identity, token: string): TokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw invalidToken();
  }

  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader);
  if (header?.alg !== "RS256") {
    throw invalidToken();
  }

  const signed = verify(
    "sha256",
    Buffer.from(`${encodedHeader}.${encodedClaims}`),
    identity.publicKey,
    Buffer.from(encodedSignature, "base64url"),
  );
  if (!signed) {
    throw new ArmError(
      401,
      "InvalidAuthenticationToken",
      "The access token is invalid: its signature could not be verified.",
    );
  }

  const claims = decodeJson(encodedClaims);
  if (claims === undefined) {
    throw invalidToken();
  }
  return claims as TokenClaims;
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function invalidToken(): ArmError {
  return new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
}

/** ARM writes times in its messages the .NET way: `12/4/2026 7:45:27 AM`. */
function dotNetTime(instant: Date): string {
  const hours = instant.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(instant.getUTCMinutes()).padStart(2, "0");
  const seconds = String(instant.getUTCSeconds()).padStart(2, "0");
  return (
    `${instant.getUTCMonth() + 1}/${instant.getUTCDate()}/${instant.getUTCFullYear()} ` +
    `${hour12}:${minutes}:${seconds} ${hours < 12 ? "AM" : "PM"}`
  );
}
