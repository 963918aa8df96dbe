// ARM error responses rendered as az 2.45 prints them (azure-core's ODataV4Format and
// azure-mgmt-core's ARMErrorFormat), with az's exit code for the HTTP status.

export interface HttpFailure {
  statusCode: number;
  /** The HTTP reason phrase; derived from the status when the transport does not keep it. */
  reason?: string;
  bodyText?: string;
  contentType?: string;
}

export interface ArmErrorReport {
  message: string;
  exitCode: number;
}

interface ODataError {
  code?: unknown;
  message?: unknown;
  target?: unknown;
  details?: unknown;
  innererror?: unknown;
  additionalInfo?: unknown;
}

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Python's json.dumps(value, indent=4): ASCII-only output, like its default ensure_ascii. */
function pythonJsonIndent4(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function pythonString(value: unknown): string {
  if (value === null || value === undefined) {
    return "None";
  }
  if (typeof value === "boolean") {
    return value ? "True" : "False";
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function unwrap(json: Record<string, unknown>): ODataError {
  const inner = "error" in json ? json.error : json;
  return (inner && typeof inner === "object" ? inner : {}) as ODataError;
}

/** ODataV4Format.__str__; undefined where azure-core would fail to parse the node. */
function renderOData(node: ODataError, armAnnotations: boolean): string | undefined {
  if (!node.code && !node.message) {
    return undefined;
  }

  let text = `Code: ${pythonString(node.code)}\nMessage: ${pythonString(node.message)}`;
  if (node.target) {
    text += `\nTarget: ${pythonString(node.target)}`;
  }

  const details = Array.isArray(node.details) ? node.details : [];
  const renderedDetails = details
    .map((detail) => (detail && typeof detail === "object" ? unwrap(detail) : {}))
    .map((detail) => renderOData(detail, false))
    .filter((detail): detail is string => detail !== undefined);
  if (renderedDetails.length > 0) {
    // azure-core joins each detail's lines but not the details themselves: reproduced as is.
    text += "\nException Details:";
    for (const detail of renderedDetails) {
      text += detail
        .split("\n")
        .map((line) => `\t${line}`)
        .join("\n");
    }
  }

  if (node.innererror && typeof node.innererror === "object") {
    if (Object.keys(node.innererror).length > 0) {
      text += `\nInner error: ${pythonJsonIndent4(node.innererror)}`;
    }
  }

  if (armAnnotations && Array.isArray(node.additionalInfo) && node.additionalInfo.length > 0) {
    text += "\nAdditional Information:";
    for (const info of node.additionalInfo as { type?: unknown; info?: unknown }[]) {
      text += `Type: ${pythonString(info.type)}\nInfo: ${pythonJsonIndent4(info.info)}`;
    }
  }

  return `(${pythonString(node.code)}) ${pythonString(node.message)}\n${text}`;
}

/** azure-core decodes a body as JSON when it says so, and also when it names no type at all. */
function isDecodedAsJson(contentType: string | undefined): boolean {
  return !contentType || /[/+]json\b/i.test(contentType);
}

export function exitCodeForStatus(statusCode: number): number {
  return statusCode === 404 ? 3 : 1;
}

export function describeHttpFailure(failure: HttpFailure): ArmErrorReport {
  const exitCode = exitCodeForStatus(failure.statusCode);
  const reason = failure.reason ?? REASONS[failure.statusCode] ?? "";
  const body = failure.bodyText ?? "";

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // msrest reports a body that claims to be JSON but is not, before any status handling.
    if (body.trim() !== "" && isDecodedAsJson(failure.contentType)) {
      const message = "JSON is invalid: Expecting value: line 1 column 1 (char 0)";
      return { message, exitCode };
    }
  }

  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const rendered = renderOData(unwrap(parsed as Record<string, unknown>), true);
    if (rendered !== undefined) {
      return { message: rendered, exitCode };
    }
  }

  return { message: `Operation returned an invalid status '${reason}'`, exitCode };
}

/**
 * Recognises a failed HTTP response from the Azure SDK (a RestError) without importing
 * azure-core, which would slow down every command that never makes a call.
 */
export function describeSdkError(error: unknown): ArmErrorReport | undefined {
  if (!error || typeof error !== "object" || (error as Error).name !== "RestError") {
    return undefined;
  }

  const restError = error as {
    statusCode?: number;
    response?: { bodyAsText?: string | null; headers?: { get(name: string): string | undefined } };
  };
  if (typeof restError.statusCode !== "number") {
    return undefined;
  }

  return describeHttpFailure({
    statusCode: restError.statusCode,
    bodyText: restError.response?.bodyAsText ?? undefined,
    contentType: restError.response?.headers?.get("content-type"),
  });
}
