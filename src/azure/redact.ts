// Secrets never reach a log: every URL, header and body that --debug prints passes through here
// first. Redaction keeps the shape (names, lengths of lists, non-secret values) so a trace still
// shows what happened.

export const REDACTED = "REDACTED";

/** Form fields, JSON keys and query parameters whose values are credentials. */
const SECRET_NAMES = new Set(
  [
    "passwords",
    "client_secret",
    "clientsecret",
    "client_assertion",
    "clientassertion",
    "password",
    "refresh_token",
    "refreshtoken",
    "access_token",
    "accesstoken",
    "id_token",
    "idtoken",
    "assertion",
    "device_code",
    "secret",
    "token",
    "sig",
    "signature",
    "primarykey",
    "secondarykey",
    "connectionstring",
    "sastoken",
    "sas_token",
  ].map((name) => name.toLowerCase()),
);

/**
 * Names that are secrets in query strings and form bodies only: in JSON, `code` is an error
 * code and `key` a plain name.
 */
const PAIR_ONLY_SECRET_NAMES = new Set(["code", "key", "api_key", "apikey", "subscription_key"]);

/** Whether a JSON key of this name carries a secret. */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/-/g, "_");
  return SECRET_NAMES.has(normalized) || SECRET_NAMES.has(normalized.replace(/_/g, ""));
}

/** Whether a query parameter or form field of this name carries a secret. */
export function isSecretParameter(name: string): boolean {
  return isSecretName(name) || PAIR_ONLY_SECRET_NAMES.has(name.toLowerCase().replace(/-/g, "_"));
}

/** Headers whose values are credentials (names compared case-insensitively). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === "authorization" ||
    lower === "proxy-authorization" ||
    lower === "cookie" ||
    lower === "set-cookie" ||
    lower === "ocp-apim-subscription-key" ||
    lower === "api-key" ||
    lower === "x-api-key" ||
    (lower.startsWith("x-ms-") &&
      /authorization|signature|secret|token|password|encryption-key|credential/.test(lower))
  );
}

/** A JWT (three base64url parts, the first a JSON header): an access or id token. */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

/** `name=value` pairs in query strings, form bodies and free text. */
const PAIR_PATTERN = /([A-Za-z0-9_.-]+)=([^&\s"'<>]*)/g;

/** `"name": "value"` pairs in JSON-ish text that did not parse as a whole. */
const JSON_PAIR_PATTERN = /"([A-Za-z0-9_.-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** Redacts secret query values (`sig=`, `client_secret=`, …) and any token inside a URL. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) {
    return url.replace(JWT_PATTERN, REDACTED);
  }
  const base = url.slice(0, queryStart).replace(JWT_PATTERN, REDACTED);
  return base + "?" + redactPairs(url.slice(queryStart + 1));
}

function redactPairs(text: string): string {
  return text
    .replace(PAIR_PATTERN, (pair, name: string, value: string) =>
      isSecretParameter(name) && value !== "" ? `${name}=${REDACTED}` : pair,
    )
    .replace(JWT_PATTERN, REDACTED);
}

export function redactHeaderValue(name: string, value: string): string {
  if (isSecretHeader(name)) {
    // Keep the scheme: "Bearer REDACTED" still says which kind of credential went out.
    const scheme = /^(Bearer|Basic|SharedKey|SharedAccessSignature|PoP)\s/i.exec(value)?.[1];
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  if (/^https?:\/\//i.test(value)) {
    return redactUrl(value);
  }
  return value.replace(JWT_PATTERN, REDACTED);
}

export function redactHeaders(headers: Iterable<[string, string]>): [string, string][] {
  return [...headers].map(([name, value]) => [name, redactHeaderValue(name, value)]);
}

function redactJsonValue(value: unknown, secret: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => redactJsonValue(item, secret));
  }
  if (value && typeof value === "object") {
    // ACR task arguments and values: {"name", "value", "isSecret": true}.
    const markedSecret = (value as { isSecret?: unknown }).isSecret === true;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, member]) => [
        key,
        redactJsonValue(member, secret || isSecretName(key) || (markedSecret && key === "value")),
      ]),
    );
  }
  if (typeof value === "string") {
    if (secret && value !== "") {
      return REDACTED;
    }
    return /^https?:\/\//i.test(value) ? redactUrl(value) : redactText(value);
  }
  return value;
}

/**
 * Redacts a request or response body: JSON by key (every value under a secret key, however
 * deep), form bodies by field, anything else by the free-text rules.
 */
export function redactBody(body: string, contentType?: string): string {
  const type = (contentType ?? "").toLowerCase();
  const trimmed = body.trim();

  if (type.includes("json") || /^[[{]/.test(trimmed)) {
    try {
      return JSON.stringify(redactJsonValue(JSON.parse(body), false));
    } catch {
      // Not JSON after all; the text rules below still apply.
    }
  }
  if (type.includes("x-www-form-urlencoded")) {
    return redactPairs(body);
  }
  return redactText(body);
}

/** Free text (error messages, log lines): secret pairs, JSON pairs, URLs' signatures, JWTs. */
export function redactText(text: string): string {
  return text
    .replace(JSON_PAIR_PATTERN, (pair, name: string, separator: string, value: string) =>
      isSecretName(name) && value !== "" ? `"${name}"${separator}"${REDACTED}"` : pair,
    )
    .replace(PAIR_PATTERN, (pair, name: string, value: string) =>
      isSecretParameter(name) && value !== "" ? `${name}=${REDACTED}` : pair,
    )
    .replace(JWT_PATTERN, REDACTED);
}

/** Options whose next argument (or `=value`) is a secret, as az's sign-in commands take them. */
const SECRET_OPTIONS = new Set([
  "-p",
  "--password",
  "--federated-token",
  "--secret",
  "--git-access-token",
  "--secret-arg",
  "--set-secret",
  "--secret-build-arg",
]);

/** argv with the values of secret options replaced, for a debug line that echoes the command. */
export function redactArgv(argv: readonly string[]): string[] {
  const result: string[] = [];
  let hideNext = false;
  for (const argument of argv) {
    if (hideNext) {
      result.push(REDACTED);
      hideNext = false;
      continue;
    }
    const equals = argument.indexOf("=");
    const option = equals > 0 ? argument.slice(0, equals) : argument;
    if (argument.startsWith("-") && SECRET_OPTIONS.has(option)) {
      if (equals > 0) {
        result.push(`${option}=${REDACTED}`);
      } else {
        result.push(argument);
        hideNext = true;
      }
      continue;
    }
    // `-pVALUE`: argparse reads the rest of a short option token as its value.
    if (/^-p./.test(argument) && !argument.startsWith("--")) {
      result.push(`-p${REDACTED}`);
      continue;
    }
    result.push(redactText(argument));
  }
  return result;
}
