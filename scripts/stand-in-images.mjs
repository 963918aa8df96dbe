// Makes sure a base image the seed tutorial needs is on the local Docker engine. It is pulled
// when a registry can be reached; on a machine that reaches none (a CI box, an offline laptop),
// a stand-in is made from this machine's own files and tagged with the wanted name, labelled
// as a stand-in, and the script says so. For `node:*` the stand-in holds this machine's node
// binary with the shared libraries it links, npm, and busybox for a shell.
//   node scripts/stand-in-images.mjs node:15-alpine
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { chmodSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const STAND_IN_LABEL = "dev.acrtask.stand-in";

function docker(args, options = {}) {
  return spawnSync("docker", args, { encoding: "utf8", ...options });
}

/** Pulls `tag`, or makes a stand-in for it; resolves with "present", "pulled" or "stand-in". */
export function ensureBaseImage(tag, log = (line) => process.stderr.write(`${line}\n`)) {
  if (docker(["image", "inspect", tag]).status === 0) {
    return "present";
  }
  if (docker(["pull", "--quiet", tag], { timeout: 120_000 }).status === 0) {
    return "pulled";
  }
  if (!tag.startsWith("node:")) {
    throw new Error(`The image ${tag} could not be pulled and no stand-in exists for it.`);
  }

  log(
    `No registry answered for ${tag}: making a local stand-in with this machine's Node ` +
      `${process.version} (labelled ${STAND_IN_LABEL}).`,
  );
  buildNodeStandIn(tag);
  return "stand-in";
}

function buildNodeStandIn(tag) {
  const root = mkdtempSync(join(tmpdir(), "acrtask-stand-in-"));
  try {
    const node = realpathSync(process.execPath);
    copyWithLibraries(node, join(root, "usr/local/bin/node"), root);

    const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((path) => existsSync(path));
    if (!busybox) {
      throw new Error("busybox is missing: install the Debian package busybox-static.");
    }
    copyWithLibraries(busybox, join(root, "bin/busybox"), root);
    const applets = execFileSync(busybox, ["--list"], { encoding: "utf8" }).split("\n");
    for (const applet of applets.filter((name) => name && name !== "busybox")) {
      symlinkSync("busybox", join(root, "bin", applet));
    }

    const npmRoot = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim();
    cpSync(join(npmRoot, "npm"), join(root, "usr/local/lib/node_modules/npm"), {
      recursive: true,
      dereference: true,
    });
    writeFileSync(
      join(root, "usr/local/bin/npm"),
      '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n',
    );
    chmodSync(join(root, "usr/local/bin/npm"), 0o755);

    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    writeFileSync(join(root, "etc/group"), "root:x:0:\n");
    for (const folder of ["root", "tmp"]) {
      mkdirSync(join(root, folder), { recursive: true });
    }
    chmodSync(join(root, "tmp"), 0o1777);

    const archive = spawnSync("tar", ["-C", root, "-c", "."], {
      maxBuffer: 1024 * 1024 * 1024,
    });
    const imported = docker(
      [
        "import",
        "--change",
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "--change",
        'CMD ["node"]',
        "--change",
        `LABEL ${STAND_IN_LABEL}=node-${process.version}`,
        "-",
        tag,
      ],
      { input: archive.stdout, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
    );
    if (imported.status !== 0) {
      throw new Error(`docker import failed: ${imported.stderr.trim()}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Copies an executable and every shared library `ldd` names for it to the same paths. */
function copyWithLibraries(executable, destination, root) {
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(executable, destination, { dereference: true });
  const linked = spawnSync("ldd", [executable], { encoding: "utf8" });
  for (const line of (linked.stdout ?? "").split("\n")) {
    const path = /(\/\S+) \(0x/.exec(line)?.[1];
    if (path && existsSync(path)) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target, { dereference: true });
    }
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const tag of process.argv.slice(2)) {
      ensureBaseImage(tag);
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
