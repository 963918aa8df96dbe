// What acb reads out of a build step's string before it builds: the Dockerfile, the context, the
// target, the tags and the build arguments (spec: runner §2.6, §4.10.1), and where that context
// lives (§4.10.3, §6.1, §6.7). Tokens are split on whitespace only: no shell quoting.

export interface BuildString {
  /** The token after `-f`/`--file`, quotes stripped; empty when there is none. */
  dockerfile: string;
  /** The last positional token, quotes stripped; `.` when there is none. */
  context: string;
  /** The token after `--target`, quotes stripped; absent when there is none. */
  target?: string;
  /** Every token after `-t`/`--tag`, as written. */
  tags: string[];
  /** Every token after `--build-arg`, as written. */
  buildArgs: string[];
}

// Go's unicode.IsSpace set; unlike JavaScript's \s it does not include U+FEFF.
const GO_SPACE =
  "\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const FIELD_SEPARATOR = new RegExp(`[${GO_SPACE}]+`);
const EDGE_SPACE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");

/** Go's strings.Fields. */
export function goFields(text: string): string[] {
  return text.split(FIELD_SEPARATOR).filter((field) => field !== "");
}

/** Go's strings.TrimSpace. */
export function goTrimSpace(text: string): string {
  return text.replace(EDGE_SPACE, "");
}

/** Removes every leading and trailing occurrence of one character (Go's strings.Trim with it). */
export function trimCharacter(text: string, character: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === character) {
    start++;
  }
  while (end > start && text[end - 1] === character) {
    end--;
  }
  return text.slice(start, end);
}

/** acb's quote trimming: single quotes when the text starts with one, double quotes otherwise. */
export function trimQuotes(text: string): string {
  return text.startsWith("'") ? trimCharacter(text, "'") : trimCharacter(text, '"');
}

/**
 * Reads a build string the way acb does. A token that follows any token starting with `-` is
 * never the context, so a boolean flag right before the context hides it (the context stays
 * `.`); `-t=x` and `--tag=x` are not recognised as tags.
 */
export function parseBuildString(build: string): BuildString {
  const result: BuildString = { dockerfile: "", context: ".", tags: [], buildArgs: [] };
  let previous = "";

  for (const token of goFields(build)) {
    if (previous === "-f" || previous === "--file") {
      result.dockerfile = trimQuotes(token);
    } else if (previous === "--target") {
      result.target = trimQuotes(token);
    } else if (!previous.startsWith("-") && !token.startsWith("-")) {
      result.context = trimQuotes(token);
    }

    if (previous === "-t" || previous === "--tag") {
      result.tags.push(token);
    } else if (previous === "--build-arg") {
      result.buildArgs.push(token);
    }

    previous = token;
  }

  return result;
}

/** moby's URL test: an http:// or https:// prefix. */
export function isUrl(context: string): boolean {
  return context.startsWith("http://") || context.startsWith("https://");
}

/** moby's git URL test: a URL ending in `.git` (optionally `#…`), or a git transport prefix. */
export function isGitUrl(context: string): boolean {
  if (isUrl(context) && /\.git(?:#.+)?$/.test(context)) {
    return true;
  }
  return ["git://", "github.com/", "git@"].some((prefix) => context.startsWith(prefix));
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text.toLowerCase());
  } catch {
    return undefined;
  }
}

/** An Azure DevOps (dev.azure.com) or Visual Studio Team Services repository URL. */
export function isAzureReposUrl(context: string): boolean {
  const url = parsedUrl(context);
  if (!url || url.protocol !== "https:" || !url.pathname.includes("/_git/") || url.search !== "") {
    return false;
  }
  return url.host.includes("dev.azure.com") || url.host.endsWith(".visualstudio.com");
}

/** A context acb clones with git. */
export function isSourceControlUrl(context: string): boolean {
  return isGitUrl(context) || isAzureReposUrl(context);
}

/** An OCI artifact context, pulled with ORAS. */
export function isOciContext(context: string): boolean {
  return context.toLowerCase().startsWith("oci://");
}

/** A context that is downloaded into the step's directory rather than read from the workspace. */
export function isRemoteContext(context: string): boolean {
  return /^https?:\/\//i.test(context) || isSourceControlUrl(context) || isOciContext(context);
}

/** The `#<ref>:<subdir>` part of a git URL; both empty when absent (the remote's HEAD). */
export function gitReferenceAndSubdirectory(context: string): {
  ref: string;
  subdirectory: string;
} {
  const hash = context.indexOf("#");
  const fragment = hash < 0 ? "" : context.slice(hash + 1);
  const colon = fragment.indexOf(":");
  if (colon < 0) {
    return { ref: fragment, subdirectory: "" };
  }
  return { ref: fragment.slice(0, colon), subdirectory: fragment.slice(colon + 1) };
}

/**
 * The directory, relative to the step's working directory, that holds the build context: the
 * context itself when local; the step id (with a git URL's subdirectory) when remote, because
 * the remote source is materialised into a directory named after the step.
 */
export function contextDirectory(context: string, stepId: string): string {
  if (!isRemoteContext(context)) {
    return context;
  }
  if (isSourceControlUrl(context)) {
    const { subdirectory } = gitReferenceAndSubdirectory(context);
    return subdirectory === "" ? stepId : joinPath(stepId, subdirectory);
  }
  return stepId;
}

/**
 * The Dockerfile the scan opens, relative to the step's working directory: for a local context
 * `-f` as written or `<context>/Dockerfile`; for a remote one `-f` (or `Dockerfile`) inside the
 * directory the source was materialised into.
 */
export function dockerfilePath(context: string, directory: string, dockerfile: string): string {
  const name = dockerfile === "" ? "Dockerfile" : dockerfile;
  if (isRemoteContext(context)) {
    return joinPath(directory, name);
  }
  return dockerfile === "" ? joinPath(context, name) : dockerfile;
}

/**
 * The build string with its first positional token replaced (acb puts `.` there once a remote
 * context has been materialised). The tokens are rejoined with single spaces; a string without
 * a positional token is returned unchanged.
 */
export function replacePositionalContext(build: string, replacement: string): string {
  const fields = goFields(build);
  let previous = "";
  for (let index = 0; index < fields.length; index++) {
    if (!previous.startsWith("-") && !fields[index].startsWith("-")) {
      fields[index] = replacement;
      return fields.join(" ");
    }
    previous = fields[index];
  }
  return build;
}

/**
 * The working directory of the build container for a remote context, relative to /workspace:
 * the step id, followed for an HTTP(S) git URL by the part of its fragment after the first `:`
 * (up to a second one). It replaces the step's own working directory.
 */
export function remoteBuildWorkingDirectory(context: string, stepId: string): string {
  if (!isSourceControlUrl(context)) {
    return stepId;
  }

  let subdirectory = ".";
  const lower = context.toLowerCase();
  const gitHosted =
    lower.includes(".visualstudio.com") ||
    /\.git(?:#.+)?$/.test(context) ||
    lower.includes("dev.azure.com");
  if (/^https?:\/\//.test(context) && gitHosted) {
    const hash = context.lastIndexOf("#");
    const parts = hash < 0 ? [] : context.slice(hash + 1).split(":");
    if (parts.length >= 2) {
      subdirectory = parts[1];
    }
  }
  return `${stepId}/${subdirectory}`;
}

/** The warning acb logs for a GitHub context that does not name a `.git` repository. */
export function remoteContextWarning(context: string): string | undefined {
  const lower = context.toLowerCase();
  if (lower.includes("github") && !lower.includes(".git")) {
    return (
      `WARNING: ${lower} might not be valid context. Valid Git repositories should end ` +
      `with .git.`
    );
  }
  return undefined;
}

/** Go's path.Clean. */
export function cleanPath(path: string): string {
  if (path === "") {
    return ".";
  }

  const rooted = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") {
      continue;
    }
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") {
        parts.pop();
      } else if (!rooted) {
        parts.push("..");
      }
      continue;
    }
    parts.push(part);
  }

  const joined = parts.join("/");
  if (rooted) {
    return `/${joined}`;
  }
  return joined === "" ? "." : joined;
}

/** Go's path.Join: empty elements ignored, the result cleaned. */
export function joinPath(...elements: string[]): string {
  const present = elements.filter((element) => element !== "");
  return present.length === 0 ? "" : cleanPath(present.join("/"));
}
