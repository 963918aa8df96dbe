// Installs the Debian packages acrtask needs when they are missing: as root it runs apt-get,
// otherwise it names what to install and stops.
//   node scripts/system-deps.mjs --for demo|test
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const purpose = process.argv.includes("--for")
  ? process.argv[process.argv.indexOf("--for") + 1]
  : "demo";

/** Debian package → a file it installs, by which we tell whether it is there. */
const packages = [
  { name: "git", probe: "/usr/bin/git" },
  // The emulator and the tests make their local certificate authority with it.
  { name: "openssl", probe: "/usr/bin/openssl" },
  { name: "docker.io", probe: "/usr/sbin/dockerd" },
  { name: "docker-registry", probe: "/usr/bin/docker-registry" },
  // The runner's images are made from local files (nothing is assumed pullable): busybox gives
  // them a shell and core utilities.
  { name: "busybox-static", probe: "/bin/busybox" },
];
if (purpose === "test") {
  // The oracle for the compatibility tests.
  packages.push({ name: "azure-cli", probe: "/usr/bin/az" });
}

const missing = packages.filter((entry) => !existsSync(entry.probe)).map((entry) => entry.name);
if (missing.length === 0) {
  process.exit(0);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !existsSync("/usr/bin/apt-get")) {
  process.stderr.write(
    `acrtask needs these Debian packages: ${missing.join(" ")}\n` +
      `Install them with: sudo apt-get install -y ${missing.join(" ")}\n`,
  );
  process.exit(1);
}

process.stderr.write(`Installing Debian packages: ${missing.join(" ")}\n`);
const environment = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: environment,
});
const install = spawnSync(
  "apt-get",
  ["install", "-y", "-qq", "--no-install-recommends", ...missing],
  {
    stdio: ["ignore", "ignore", "inherit"],
    env: environment,
  },
);
if (install.status !== 0) {
  process.stderr.write(`apt-get install failed for: ${missing.join(" ")}\n`);
  process.exit(1);
}
