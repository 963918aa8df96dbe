// The emulator's Blob storage side, in one import:
//
//   startAzurite        Azurite over HTTPS with the emulator's certificate, data in
//                       <dataDir>/azurite, the development account or a generated one
//   startBlobProxy      CONNECT proxy that maps <account>.blob.<suffix> to Azurite
//   createLogLink       listLogSasUrl's read-only `logLink`
//   createUploadLink    listBuildSourceUploadUrl's `uploadUrl`
//   openRunLogWriter    the append-blob run log with its `Complete` metadata
//
// A start-up wires them as: account → Azurite → proxy (HTTPS_PROXY for az) → links whose
// suffix is the proxy's.

export {
  DEVELOPMENT_ACCOUNT,
  generateStorageAccount,
  loadOrCreateStorageAccount,
} from "./account.js";
export type { StorageAccount } from "./account.js";
export { startAzurite } from "./azurite.js";
export type { AzuriteHandle, StartAzuriteOptions } from "./azurite.js";
export {
  blobUrl,
  createBlobLink,
  createBlobSas,
  createLogLink,
  createUploadLink,
  DEFAULT_LINK_LIFETIME_MS,
} from "./links.js";
export type { BlobLinkOptions, BlobLocation } from "./links.js";
export { openRunLogWriter, runLogLocation } from "./log-writer.js";
export type { RunLogLocation, RunLogWriter } from "./log-writer.js";
export { blobHostMatcher, startBlobProxy } from "./proxy.js";
export type { BlobProxyHandle, BlobProxyOptions } from "./proxy.js";
