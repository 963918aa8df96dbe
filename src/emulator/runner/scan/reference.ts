// Image names as acb reads them: the grammar of the docker/distribution `reference` package in its
// non-normalising form (no `docker.io/library/` added, so in `myorg/x` the "domain" is `myorg`),
// then acb's own mapping onto registry and repository (spec: runner §6.3).

/** The registry acb reports for every name whose domain has no dot. */
export const DOCKER_HUB_REGISTRY = "registry.hub.docker.com";

/** The longest name (domain and path) the grammar accepts. */
const NAME_TOTAL_LENGTH_MAX = 255;

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

// Both expressions pick the same submatches as Go's leftmost-first regexp: the optional domain
// group is tried first, which is what makes the first of several components the "domain".
const REFERENCE_PATTERN = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_PATTERN = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`,
);

/** The encoded length of each digest algorithm the digest package knows. */
const DIGEST_HEX_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const DIGEST_PATTERN = new RegExp(`^${DIGEST}$`);

/** A parsed name, with the parts the reference package exposes. */
export interface ParsedReference {
  domain: string;
  path: string;
  tag: string;
  digest: string;
}

/** A name the reference grammar refuses; the message is the package's own. */
export class ReferenceFormatError extends Error {}

/** The digest package's validation of `algorithm:hex`, with its messages. */
function validateDigest(value: string): void {
  const separator = value.indexOf(":");
  if (separator <= 0 || separator + 1 === value.length) {
    throw new ReferenceFormatError("invalid checksum digest format");
  }

  const algorithm = value.slice(0, separator);
  const encoded = value.slice(separator + 1);
  const expectedLength = DIGEST_HEX_LENGTHS[algorithm];
  if (expectedLength === undefined) {
    if (!DIGEST_PATTERN.test(value)) {
      throw new ReferenceFormatError("invalid checksum digest format");
    }
    throw new ReferenceFormatError("unsupported digest algorithm");
  }

  if (encoded.length !== expectedLength) {
    throw new ReferenceFormatError("invalid checksum digest length");
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    throw new ReferenceFormatError("invalid checksum digest format");
  }
}

/** docker/distribution `reference.Parse`: no normalisation, errors as that package words them. */
export function parseReference(text: string): ParsedReference {
  const match = REFERENCE_PATTERN.exec(text);
  if (!match) {
    if (text === "") {
      throw new ReferenceFormatError("repository name must have at least one component");
    }
    if (REFERENCE_PATTERN.test(text.toLowerCase())) {
      throw new ReferenceFormatError("invalid reference format: repository name must be lowercase");
    }
    throw new ReferenceFormatError("invalid reference format");
  }

  const name = match[1];
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ReferenceFormatError(
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }

  const nameMatch = ANCHORED_NAME_PATTERN.exec(name);
  const domain = nameMatch?.[1] ?? "";
  const path = nameMatch ? nameMatch[2] : name;
  const digest = match[3] ?? "";
  if (digest !== "") {
    validateDigest(digest);
  }

  return { domain, path, tag: match[2] ?? "", digest };
}

/** The canonical string of a parsed name: `[domain/]path[:tag][@digest]`. */
export function referenceString(parsed: ParsedReference): string {
  const name = parsed.domain === "" ? parsed.path : `${parsed.domain}/${parsed.path}`;
  const tag = parsed.tag === "" ? "" : `:${parsed.tag}`;
  const digest = parsed.digest === "" ? "" : `@${parsed.digest}`;
  return `${name}${tag}${digest}`;
}

/** One image of the dependency report (acb's `image.Reference`). */
export interface ImageReference {
  registry: string;
  repository: string;
  /** Empty when the name has no tag (digest-only, or a `host:port/name` without a tag). */
  tag: string;
  /** Filled from a digest in the name, or later by digest population; empty otherwise. */
  digest: string;
  /** The canonical form of the name as written (not fully qualified). */
  reference: string;
}

/** Appends `:latest` to a name that has neither a `:` nor an `@` anywhere. */
export function normalizeImageTag(image: string): string {
  if (!image.includes("@") && !image.includes(":")) {
    return `${image}:latest`;
  }
  return image;
}

/**
 * acb's reading of a name into the report's fields: a domain with a dot is the registry; a
 * domain without one (`myorg/x`, and also `localhost:5000/x`) is taken for a Docker Hub
 * namespace; no domain means Docker Hub's `library/`.
 */
export function newImageReference(name: string): ImageReference {
  let parsed: ParsedReference;
  try {
    parsed = parseReference(name);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Failed to parse image reference, ensure tags have a valid format: ${name}: ${cause}`,
    );
  }

  let registry = parsed.domain;
  let repository = parsed.path;
  if (registry === "") {
    registry = DOCKER_HUB_REGISTRY;
    repository = `library/${parsed.path}`;
  } else if (!registry.includes(".")) {
    registry = DOCKER_HUB_REGISTRY;
    repository = `${parsed.domain}/${parsed.path}`;
  }

  return {
    registry,
    repository,
    tag: parsed.tag,
    digest: parsed.digest,
    reference: referenceString(parsed),
  };
}
