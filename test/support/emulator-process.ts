// The built emulator in a child process, driven by the built acrtask and by the real az 2.45
// side by side: az is set up only from the lines `acrtask emulator az-env` prints, acrtask only
// through `acrtask emulator use`, each with its own home in the work folder.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

export const AZ = "/usr/bin/az";
export const ROOT = join(__dirname, "..", "..");
export const ACRTASK = join(ROOT, "bin", "acrtask");

export interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
}

export class EmulatorProcess {
  readonly dataDir: string;
  private child: ChildProcess | undefined;
  private azSetup = "";

  constructor(
    readonly workDir: string,
    private readonly timeoutMs = 120_000,
  ) {
    this.dataDir = join(workDir, "data");
  }

  /** Starts `acrtask emulator start` and waits for its ready line and emulator.json. */
  async start(extraArgs: string[] = []): Promise<void> {
    const args = ["emulator", "start", "--data-dir", this.dataDir, ...extraArgs];
    const child = spawn(process.execPath, [ACRTASK, ...args], {
      cwd: this.workDir,
      env: { PATH: process.env.PATH, HOME: this.workDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

    const deadline = Date.now() + 120_000;
    while (!(/emulator ready/.test(output) && existsSync(join(this.dataDir, "emulator.json")))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the emulator did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Runs the lines `emulator az-env` prints (cloud register, login); returns the login's outcome. */
  async signInAz(): Promise<Outcome> {
    const azEnv = await this.acrtask(`emulator az-env --data-dir "${this.dataDir}"`);
    if (azEnv.rc !== 0) {
      return azEnv;
    }
    const lines = azEnv.stdout.trim().split("\n");
    this.azSetup = lines.filter((line) => line.startsWith("export ")).join("\n");
    return this.shell(lines.join("\n"), { PATH: process.env.PATH, HOME: this.workDir });
  }

  acrtask(commandLine: string): Promise<Outcome> {
    return this.shell(`exec "${process.execPath}" "${ACRTASK}" ${commandLine}`, {
      PATH: process.env.PATH,
      HOME: this.workDir,
      TZ: "UTC",
      ACRTASK_CONFIG_DIR: join(this.workDir, "acrtask-config"),
    });
  }

  az(commandLine: string): Promise<Outcome> {
    return this.shell(`${this.azSetup}\naz ${commandLine}`, {
      PATH: process.env.PATH,
      HOME: this.workDir,
      TZ: "UTC",
      AZURE_CORE_NO_COLOR: "true",
    });
  }

  /** Interrupts the emulator, waits for it, and removes the work folder. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private shell(script: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
    return new Promise((resolve) => {
      execFile(
        "/bin/sh",
        ["-c", script],
        { cwd: this.workDir, env, timeout: this.timeoutMs },
        (error, stdout, stderr) => {
          const code = (error as { code?: unknown } | null)?.code;
          resolve({ stdout, stderr, rc: error ? (typeof code === "number" ? code : 1) : 0 });
        },
      );
    });
  }
}
