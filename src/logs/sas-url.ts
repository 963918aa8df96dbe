// The log location returned by listLogSasUrl: checked the way az checks it, and kept out of
// every message in readable form because its query string is a credential.

import { CliError } from "../cli/errors.js";

export interface LogBlobLocation {
  account: string;
  endpointSuffix: string;
  container: string;
  blob: string;
  /** The SAS query string, without the leading "?". */
  sas: string;
  /** The URL requests go to: the SAS URL as given. */
  url: string;
}

// az's pattern, searched anywhere in the text (non-greedy: the container is the first path
// segment, the blob the rest). Python's "." stops only at "\n", hence `[^\n]`.
const SAS_URL_PATTERN =
  /http(s)?:\/\/(?<account>[^\n]*?)\.blob\.(?<suffix>[^\n]*?)\/(?<container>[^\n]*?)\/(?<blob>[^\n]*?)\?(?<sas>[^\n]*)/;

/**
 * Splits a log SAS URL as az does. az crashes on a URL its pattern does not match at all and
 * names the whole URL (signature included) when a part is empty; here both cases give the
 * same clear error, with the signature hidden.
 */
export function parseLogSasUrl(sasUrl: string): LogBlobLocation {
  const match = SAS_URL_PATTERN.exec(sasUrl);
  const parts = match?.groups;
  if (!parts || !parts.account || !parts.container || !parts.blob || !parts.sas) {
    throw new CliError(`Failed to parse the SAS URL: '${redactSasUrl(sasUrl)}'.`);
  }

  return {
    account: parts.account,
    endpointSuffix: parts.suffix,
    container: parts.container,
    blob: parts.blob,
    sas: parts.sas,
    url: sasUrl,
  };
}

/** The URL with the values of its signature parameters replaced, for messages and traces. */
export function redactSasUrl(url: string): string {
  return url.replace(/([?&](?:sig|signature)=)[^&#]*/gi, "$1REDACTED");
}
