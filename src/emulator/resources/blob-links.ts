// What the run handlers need from the blob side: SAS links in the
// `https://<account>.blob.<suffix>/<container>/<blob>?<sas>` form az parses. The emulator's
// start-up provides them, either as an extra member of the services every handler receives or
// to the register functions; handlers look for the former first.

import { ArmError } from "../server/types.js";
import type { EmulatorServices } from "../server/types.js";
import type { RegistryRef } from "./shapes.js";

export interface RunBlobLinks {
  /** A read-only link to a run's log blob (listLogSasUrl's `logLink`). */
  logLink(registry: RegistryRef, runId: string): Promise<string> | string;
  /**
   * A create-and-write link for a source archive at `relativePath` (e.g.
   * `source/202604081017/<guid>.tar.gz`) in the registry's source container.
   */
  sourceUploadLink(registry: RegistryRef, relativePath: string): Promise<string> | string;
}

/** Services as the emulator's start-up may extend them for the Tasks handlers. */
export interface TaskEmulatorServices extends EmulatorServices {
  runBlobLinks?: RunBlobLinks;
}

/** The links the services carry, else the ones given at registration, else a 503. */
export function blobLinksFor(
  services: EmulatorServices,
  registered: RunBlobLinks | undefined,
): RunBlobLinks {
  const links = (services as TaskEmulatorServices).runBlobLinks ?? registered;
  if (links === undefined) {
    throw new ArmError(
      503,
      "ServiceUnavailable",
      "The emulator's blob storage is not running, so no log or upload link can be made.",
    );
  }
  return links;
}
