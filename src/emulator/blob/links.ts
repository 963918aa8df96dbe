// SAS links to blobs in the form az requires: `https://<account>.blob.<suffix>/<container>/
// <blob>?<sas>`. az parses the host back into account and endpoint suffix and refuses a
// path-style URL, so the links name no port and no IP; the blob proxy makes those names reach
// Azurite.

import type { StorageAccount } from "./account.js";

export interface BlobLocation {
  account: StorageAccount;
  /** The storage endpoint suffix, e.g. `core.windows.net` or the emulator's own. */
  endpointSuffix: string;
  container: string;
  /** The blob's name inside the container; may contain `/`. */
  blobName: string;
}

export interface BlobLinkOptions extends BlobLocation {
  /** SAS permission letters in Azure's order, e.g. `r` or `cw`. */
  permissions: string;
  expiresOn: Date;
}

/** How long a link stays valid when the caller names no expiry: ACR's links last an hour. */
export const DEFAULT_LINK_LIFETIME_MS = 60 * 60 * 1000;

/** The blob's URL without a SAS: `https://<account>.blob.<suffix>/<container>/<blob>`. */
export function blobUrl(location: BlobLocation): string {
  const path = location.blobName.split("/").map(encodeURIComponent).join("/");
  return (
    `https://${location.account.name}.blob.${location.endpointSuffix}/` +
    `${encodeURIComponent(location.container)}/${path}`
  );
}

/** A service SAS (query string without `?`) for one blob, valid over HTTPS only. */
export async function createBlobSas(options: BlobLinkOptions): Promise<string> {
  const { BlobSASPermissions, generateBlobSASQueryParameters, SASProtocol } =
    await import("@azure/storage-blob");
  const { StorageSharedKeyCredential } = await import("@azure/storage-blob");

  return generateBlobSASQueryParameters(
    {
      containerName: options.container,
      blobName: options.blobName,
      permissions: BlobSASPermissions.parse(options.permissions),
      expiresOn: options.expiresOn,
      protocol: SASProtocol.Https,
    },
    new StorageSharedKeyCredential(options.account.name, options.account.key),
  ).toString();
}

/** `blobUrl` with a SAS for `permissions`. */
export async function createBlobLink(options: BlobLinkOptions): Promise<string> {
  return `${blobUrl(options)}?${await createBlobSas(options)}`;
}

/** A read-only link to a run's log blob: listLogSasUrl's `logLink`. */
export function createLogLink(location: BlobLocation, expiresOn?: Date): Promise<string> {
  return createBlobLink({
    ...location,
    permissions: "r",
    expiresOn: expiresOn ?? new Date(Date.now() + DEFAULT_LINK_LIFETIME_MS),
  });
}

/**
 * A link a client uploads a source archive to (listBuildSourceUploadUrl's `uploadUrl`): create
 * and write, which covers a single `PUT` as well as blocks and a block list.
 */
export function createUploadLink(location: BlobLocation, expiresOn?: Date): Promise<string> {
  return createBlobLink({
    ...location,
    permissions: "cw",
    expiresOn: expiresOn ?? new Date(Date.now() + DEFAULT_LINK_LIFETIME_MS),
  });
}
