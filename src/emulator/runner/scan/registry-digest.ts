// The digest of a base image read from its registry (spec: runner §6.4): what acb does after a
// BuildKit build, whose base images never land in the engine's image store. A manifest HEAD (or
// GET) on the registry's /v2 API, with a bearer or basic challenge answered with the login
// credentials for that registry when there are some, anonymously otherwise.

import { createHash } from "node:crypto";

import { parseReference, type ImageReference } from "./reference.js";

/** The manifest types a resolver accepts, lists and indexes first. */
const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
  "*/*",
].join(", ");

export interface RegistryCredential {
  username: string;
  password: string;
}

export interface RegistryDigestOptions {
  /** Login credentials by registry name, as given to the run. */
  credentials?: Record<string, RegistryCredential>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** `https` unless told otherwise (a local plain-HTTP registry). */
  scheme?: (host: string) => "http" | "https";
}

interface Challenge {
  scheme: string;
  parameters: Record<string, string>;
}

/** The first challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!match) {
    return undefined;
  }
  const parameters: Record<string, string> = {};
  for (const parameter of match[2].matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    parameters[parameter[1].toLowerCase()] = parameter[2] ?? parameter[3] ?? "";
  }
  return { scheme: match[1].toLowerCase(), parameters };
}

function basicAuthorization(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

/** Docker Hub's name for itself; its API lives on another host. */
function apiHost(registry: string): string {
  return registry === "docker.io" ? "registry-1.docker.io" : registry;
}

async function bearerToken(
  challenge: Challenge,
  repository: string,
  credential: RegistryCredential | undefined,
  get: typeof fetch,
): Promise<string> {
  const realm = challenge.parameters.realm;
  if (!realm) {
    throw new Error("bearer challenge without a realm");
  }

  const url = new URL(realm);
  if (challenge.parameters.service) {
    url.searchParams.set("service", challenge.parameters.service);
  }
  url.searchParams.set("scope", challenge.parameters.scope ?? `repository:${repository}:pull`);

  const headers: Record<string, string> = {};
  if (credential) {
    headers.authorization = basicAuthorization(credential);
  }
  const response = await get(url, { headers });
  if (response.status !== 200) {
    throw new Error(`failed to fetch anonymous token: unexpected status: ${response.status}`);
  }
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) {
    throw new Error("token response without a token");
  }
  return token;
}

/**
 * Resolves the digest of `<registry>/<repository>:<tag or latest>` from the registry. References
 * acb never resolves (a digest already known, `scratch:latest`) are the caller's to skip.
 */
export async function resolveRegistryDigest(
  reference: ImageReference,
  options: RegistryDigestOptions = {},
): Promise<string> {
  const get = options.fetch ?? fetch;
  const credential = options.credentials?.[reference.registry];
  if (credential && (credential.username === "" || credential.password === "")) {
    throw new Error(`error fetching credentials for '${reference.registry}'`);
  }

  const tag = reference.tag === "" ? "latest" : reference.tag;
  const fullReference = `${reference.registry}/${reference.repository}:${tag}`;
  try {
    parseReference(fullReference);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Failed to parse the reference ${reference.reference}: ${cause}`);
  }

  try {
    const host = apiHost(reference.registry);
    const scheme = options.scheme?.(host) ?? "https";
    const url = `${scheme}://${host}/v2/${reference.repository}/manifests/${tag}`;

    const request = async (method: string, authorization?: string) => {
      const headers: Record<string, string> = { accept: MANIFEST_ACCEPT };
      if (authorization) {
        headers.authorization = authorization;
      }
      return get(url, { method, headers, redirect: "follow" });
    };

    let authorization: string | undefined;
    let response = await request("HEAD");
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get("www-authenticate") ?? "");
      if (challenge?.scheme === "bearer") {
        const token = await bearerToken(challenge, reference.repository, credential, get);
        authorization = `Bearer ${token}`;
      } else if (challenge?.scheme === "basic" && credential) {
        authorization = basicAuthorization(credential);
      }
      if (authorization) {
        response = await request("HEAD", authorization);
      }
    }

    if (response.status === 404) {
      throw new Error(`${fullReference}: not found`);
    }
    if (response.status !== 200) {
      throw new Error(`unexpected status from HEAD request to ${url}: ${response.status}`);
    }

    const digest = response.headers.get("docker-content-digest");
    if (digest) {
      return digest;
    }

    const body = await request("GET", authorization);
    if (body.status !== 200) {
      throw new Error(`unexpected status from GET request to ${url}: ${body.status}`);
    }
    const bytes = Buffer.from(await body.arrayBuffer());
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Failed to Resolve the reference '${reference.reference}': ${cause}`);
  }
}
