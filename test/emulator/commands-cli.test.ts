// The emulator commands through the built CLI (bin/acrtask, after `npm run build`): start in
// the foreground until interrupted, and use, which signs acrtask in so that the next acr
// command reaches the emulator.

import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { EmulatorConfig } from "../../src/emulator/emulator.js";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "acrtask");

interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
}

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), "acrtask-emulator-cli-"));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function acrtask(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: workDir,
        env: {
          PATH: process.env.PATH,
          HOME: workDir,
          ACRTASK_CONFIG_DIR: join(workDir, "config"),
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const rc = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ stdout, stderr, rc });
      },
    );
  });
}

/** Starts `acrtask emulator start` and resolves once it has printed its ready line. */
function startCli(
  dataDir: string,
  extraArgs: string[] = ["--no-runs"],
  env: NodeJS.ProcessEnv = {},
) {
  const args = [CLI, "emulator", "start", "--data-dir", dataDir, ...extraArgs];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: workDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("\n")) {
        resolve();
      }
    });
    child.once("exit", () => reject(new Error(`the emulator exited: ${stderr}`)));
  });
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

test("emulator start warns at once when no Docker engine answers for its runs", async () => {
  const emulator = startCli(join(workDir, "no-engine"), [], {
    DOCKER_HOST: `unix://${join(workDir, "no-engine.sock")}`,
  });

  try {
    await emulator.ready;
    const deadline = Date.now() + 20_000;
    while (!emulator.output().stderr.includes("WARNING") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(emulator.output().stderr.split("\n").slice(1)).toEqual([
      "WARNING: No Docker engine answers: runs will fail until one does. Start dockerd " +
        "(Debian package docker.io), or start the emulator with --no-runs.",
      "",
    ]);
  } finally {
    emulator.child.kill("SIGINT");
  }
  expect(await emulator.exited).toBe(0);
}, 60_000);

test(
  "emulator start announces itself, then use signs acrtask in " + "and acr commands reach it",
  async () => {
    const dataDir = join(workDir, "data");
    const emulator = startCli(dataDir);

    try {
      await emulator.ready;
      const config = JSON.parse(
        readFileSync(join(dataDir, "emulator.json"), "utf8"),
      ) as EmulatorConfig;
      expect(emulator.output()).toEqual({
        stdout: "",
        stderr: `emulator ready: ${config.armEndpoint}\n`,
      });

      const use = await acrtask(["emulator", "use", "--data-dir", dataDir]);
      expect(use).toEqual({ stdout: "", stderr: "", rc: 0 });

      // acrtask trusts the emulator's CA through the cloud `use` registered: no variable needed.
      const account = await acrtask(["account", "show", "-o", "json"]);
      expect(JSON.parse(account.stdout)).toMatchObject({
        environmentName: "AcrtaskEmulator",
        id: config.subscriptionId,
        tenantId: config.tenantId,
        user: { name: config.clientId, type: "servicePrincipal" },
      });

      const tasks = await acrtask(["acr", "task", "list", "-r", "myregistry", "-o", "json"]);
      expect(tasks).toEqual({ stdout: "[]\n", stderr: "", rc: 0 });
    } finally {
      emulator.child.kill("SIGINT");
    }

    expect(await emulator.exited).toBe(0);
    expect(existsSync(join(dataDir, "emulator.pid"))).toBe(false);
  },
  120_000,
);

test("emulator use without an emulator says how to start one", async () => {
  const missing = join(workDir, "nothing-here");
  const outcome = await acrtask(["emulator", "use", "--data-dir", missing]);
  expect(outcome).toEqual({
    stdout: "",
    stderr:
      `ERROR: No emulator found in '${missing}': emulator.json is missing. Start one with ` +
      `'acrtask emulator start --data-dir ${missing}'.\n`,
    rc: 1,
  });
});
