// `npm run demo`: builds acrtask, makes sure the Debian packages it runs on are present, and
// then runs the seed tutorial against the local emulator. The emulator and its runner are not
// part of this version yet, so the demo stops after showing the CLI itself.
import { spawnSync } from "node:child_process";

function step(title, command, args) {
  process.stderr.write(`\n== ${title}\n$ ${[command, ...args].join(" ")}\n`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`demo stopped: '${title}' exited ${result.status}\n`);
    process.exit(result.status ?? 1);
  }
}

step("system packages", process.execPath, ["scripts/system-deps.mjs", "--for", "demo"]);
step("build", "npm", ["run", "build", "--silent"]);
step("the CLI answers as az 2.45 does", process.execPath, [
  "bin/acrtask",
  "acr",
  "task",
  "list-runs",
  "--help",
]);

process.stderr.write(
  "\nThe CLI is built. The seed tutorial (task create, run, logs, list-runs, credential add)\n" +
    "runs here once the emulator lands: `acrtask emulator start` serving ARM, Entra ID and\n" +
    "Blob storage locally, and a runner executing task steps on the local Docker engine.\n",
);
