// A ScanSource over a directory of this machine: the step's working directory when the workspace
// is a host directory (tests, and runs whose workspace is bind-mounted).

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

import type { ScanSource } from "./dependencies.js";

/** Missing files are undefined; a path that names a directory reads as Go's open/read would fail. */
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
          throw new Error(`read ${path}: is a directory`);
        }
        throw error;
      }
    },
  };
}
