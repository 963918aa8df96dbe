// A ScanSource over a directory of this machine: the step's working directory when the workspace
// is a host directory (tests, and runs whose workspace is bind-mounted).

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

import type { ScanSource } from "./dependencies.js";

/** Missing files are undefined; a directory reads as empty, as it does for acb. */
export function directorySource(directory: string): ScanSource {
  return {
    async readFile(path) {
      try {
        return await readFile(resolve(directory, path), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") {
          return undefined;
        }
        if (code === "EISDIR") {
          // acb opens a directory without error and its line reader then stops at the failed
          // read, so the scan sees an empty Dockerfile.
          return "";
        }
        throw error;
      }
    },
  };
}
