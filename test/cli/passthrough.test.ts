import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { buildSync } from "esbuild";
import { join, resolve } from "node:path";

import { findRealAz, forwardToAz } from "../../src/cli/passthrough.js";

const ownShim = resolve(__dirname, "..", "..", "bin", "acrtask");

let sandbox: string;
let ownBin: string;
let realBin: string;

/** A stand-in for the real az: echoes its argv and stdin, exits with a chosen code. */
const fakeAz = `#!/bin/sh
printf 'argv:%s\\n' "$*"
printf 'stdin:%s\\n' "$(cat)"
printf 'marker:%s\\n' "$ACRTASK_FORWARDED" >&2
exit 7
`;

beforeEach(() => {
  sandbox = mkdtempSync(join(tmpdir(), "acrtask-passthrough-"));
  ownBin = join(sandbox, "own");
  realBin = join(sandbox, "real");
  mkdirSync(ownBin);
  mkdirSync(realBin);
  symlinkSync(ownShim, join(ownBin, "az"));
  writeFileSync(join(realBin, "az"), fakeAz);
  chmodSync(join(realBin, "az"), 0o755);
});

afterEach(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

test("skips acrtask's own az, even through a symlink, and finds the next one", () => {
  const env = { PATH: [ownBin, realBin].join(":") };

  expect(findRealAz(env, join(ownBin, "az"))).toBe(join(realBin, "az"));
  expect(findRealAz(env, undefined)).toBe(join(realBin, "az"));
});

test("recognises a copy of the shim by its content", () => {
  const copyBin = join(sandbox, "copy");
  mkdirSync(copyBin);
  writeFileSync(join(copyBin, "az"), 'const { main } = await import("../dist/cli.js");\n');
  chmodSync(join(copyBin, "az"), 0o755);

  expect(findRealAz({ PATH: [copyBin, realBin].join(":") }, undefined)).toBe(join(realBin, "az"));
});

test("with no other az there is none to find", () => {
  expect(findRealAz({ PATH: ownBin }, undefined)).toBeUndefined();
});

test("forwards argv, stdin and the exit code, and marks the child", () => {
  // The forwarder shares this process's stdio, so it runs in a child built from the source.
  const bundle = join(sandbox, "passthrough.mjs");
  buildSync({
    entryPoints: [resolve(__dirname, "..", "..", "src", "cli", "passthrough.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: bundle,
  });
  const runner =
    `const { forwardToAz } = await import(${JSON.stringify(bundle)});` +
    "process.exitCode = await forwardToAz(['group', 'list', '--query', '[].name']);";

  const child = spawnSync(process.execPath, ["--input-type=module", "-e", runner], {
    input: "hello from stdin",
    env: { PATH: [ownBin, realBin, "/usr/bin", "/bin"].join(":") },
    encoding: "utf8",
  });

  expect(child.stdout).toBe("argv:group list --query [].name\nstdin:hello from stdin\n");
  expect(child.stderr).toBe("marker:1\n");
  expect(child.status).toBe(7);
});

test("a forwarded acrtask never forwards again", async () => {
  const env = { PATH: realBin, ACRTASK_FORWARDED: "1" };

  await expect(forwardToAz(["group", "list"], env)).rejects.toThrow(
    "'group list' is not an acrtask command and no Azure CLI was found on PATH to run it.",
  );
});
