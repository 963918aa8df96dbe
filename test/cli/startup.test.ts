// bin/acrtask starts from the CommonJS bundle and its code cache when they are there, and from
// the ES module bundle when they are not. Both ways must print the same bytes and exit the same.
// These tests run the built package (`npm run build`), copied so each copy can be altered.

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");

let sandbox: string;
let configDir: string;
let fakeAzDir: string;

/** Stands in for the real az on PATH: echoes argv and stdin, exits 7. */
const fakeAz = `#!/bin/sh
printf 'argv:%s\\n' "$*"
printf 'stdin:%s\\n' "$(cat)"
exit 7
`;

/** A copy of bin/ and dist/, as an installed package has them. */
function installCopy(name: string): string {
  const directory = join(sandbox, name);
  cpSync(join(root, "bin"), join(directory, "bin"), { recursive: true });
  cpSync(join(root, "dist"), join(directory, "dist"), { recursive: true });
  return directory;
}

function acrtask(installation: string, argv: string[], input = "") {
  const environment: NodeJS.ProcessEnv = {
    PATH: [fakeAzDir, dirname(process.execPath)].join(":"),
    HOME: sandbox,
    ACRTASK_CONFIG_DIR: configDir,
    AZURE_CONFIG_DIR: configDir,
  };
  const result = spawnSync(process.execPath, [join(installation, "bin", "acrtask"), ...argv], {
    env: environment,
    input,
    encoding: "utf8",
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Invocations that cover help, parse errors, a run that fails, and forwarding to az. */
const invocations: Array<{ argv: string[]; status: number; input?: string }> = [
  { argv: ["acr", "task", "list-runs", "--help"], status: 0 },
  { argv: ["acr", "task", "--help"], status: 0 },
  { argv: ["acr", "task", "list-runs", "--run-status", "x"], status: 2 },
  { argv: ["acr", "task", "lst"], status: 2 },
  { argv: ["acr", "task", "list", "-r", "x"], status: 1 },
  { argv: ["acr", "task", "list", "-r", "x", "--query", "["], status: 2 },
  { argv: ["group", "list"], status: 7, input: "from stdin" },
];

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli.cjs")) || !existsSync(join(root, "dist", "cli.js"))) {
    throw new Error("the package is not built: run `npm run build` first");
  }
  sandbox = mkdtempSync(join(tmpdir(), "acrtask-startup-"));
  configDir = join(sandbox, "config");
  mkdirSync(configDir);
  fakeAzDir = join(sandbox, "fake-az");
  mkdirSync(fakeAzDir);
  writeFileSync(join(fakeAzDir, "az"), fakeAz);
  chmodSync(join(fakeAzDir, "az"), 0o755);
});

afterAll(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

describe("the ES module fallback", () => {
  let fast: string;
  let fallback: string;

  beforeAll(() => {
    fast = installCopy("fast");
    fallback = installCopy("fallback");
    rmSync(join(fallback, "dist", "cli.cjs"));
  });

  test.each(invocations)("prints what the fast path prints: $argv", ({ argv, status, input }) => {
    const expected = acrtask(fast, argv, input);
    const actual = acrtask(fallback, argv, input);

    expect(expected.status).toBe(status);
    expect(expected.stdout + expected.stderr).not.toBe("");
    expect(actual).toEqual(expected);
  });

  test("forwarding passes argv and stdin through and returns az's exit code", () => {
    expect(acrtask(fallback, ["group", "list"], "from stdin")).toEqual({
      status: 7,
      signal: null,
      stdout: "argv:group list\nstdin:from stdin\n",
      stderr: "",
    });
  });
});

describe("the code cache", () => {
  const help = ["acr", "task", "list-runs", "--help"];
  let installation: string;
  let cachePath: string;
  let expected: ReturnType<typeof acrtask>;

  beforeAll(() => {
    installation = installCopy("cache");
    cachePath = join(installation, "dist", "cli.cjs.cache");
    expected = acrtask(installation, help);
    expect(expected.status).toBe(0);
  });

  beforeEach(() => {
    rmSync(cachePath, { recursive: true, force: true });
  });

  test("is written by the first run and used by the next", () => {
    expect(acrtask(installation, help)).toEqual(expected);
    const written = readFileSync(cachePath);
    expect(written.length).toBeGreaterThan(0);

    expect(acrtask(installation, help)).toEqual(expected);
    expect(readFileSync(cachePath)).toEqual(written);
  });

  test("one V8 rejects is replaced, and the output does not change", () => {
    writeFileSync(cachePath, "not a code cache");

    expect(acrtask(installation, help)).toEqual(expected);
    expect(readFileSync(cachePath, "latin1")).not.toBe("not a code cache");
  });

  test("one older than the bundle is not used, and is replaced", () => {
    acrtask(installation, help);
    const past = new Date(statSync(join(installation, "dist", "cli.cjs")).mtimeMs - 60_000);
    utimesSync(cachePath, past, past);

    expect(acrtask(installation, help)).toEqual(expected);
    expect(statSync(cachePath).mtimeMs).toBeGreaterThan(past.getTime());
  });

  test("that cannot be written leaves the output as it is", () => {
    mkdirSync(cachePath);

    expect(acrtask(installation, help)).toEqual(expected);
    expect(statSync(cachePath).isDirectory()).toBe(true);
  });
});
