// The emulator's helper processes (registries, Azurite) outlive an emulator that is killed
// outright. Each start records its process id in a file next to its data; the next start
// stops a process still running from that record, so that it gives back its port and its data
// folder. A recorded id is trusted only while that process's command line still names the
// data it was started for: ids get reused.

import type { ChildProcess } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";

/** Asks the process to stop, and kills it after 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function writePidFile(pidFile: string, child: ChildProcess): Promise<void> {
  if (child.pid !== undefined) {
    await writeFile(pidFile, `${child.pid}\n`, { mode: 0o600 });
  }
}

/**
 * Stops the process recorded in `pidFile` if it is alive and its command line contains
 * `marker` (a path only that process uses); removes the record. Resolves with whether a
 * process was stopped. Needs /proc (Linux); elsewhere it stops nothing.
 */
export async function stopLeftoverProcess(pidFile: string, marker: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
  await rm(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    return false;
  }

  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (!commandLine.split("\0").includes(marker)) {
    return false;
  }

  signal(pid, "SIGTERM");
  const deadline = Date.now() + 5000;
  while (await isAlive(pid)) {
    if (Date.now() > deadline) {
      signal(pid, "SIGKILL");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/** Alive and not a zombie waiting for a parent that is not us. */
async function isAlive(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const state = status.slice(status.lastIndexOf(")") + 2, status.lastIndexOf(")") + 3);
  return status !== "" && state !== "Z" && state !== "X";
}
