// acrtask emulator start: runs the emulator in the foreground until interrupted. When ready it
// writes DIR/emulator.json and prints one line, `emulator ready: <armEndpoint>`, on stderr.

import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";

import type { Context } from "../../cli/context.js";
import { CliError } from "../../cli/errors.js";
import type { CommandSpec, ParsedOptions } from "../../cli/spec.js";
import { dataDirArgument } from "./common.js";

export const spec: CommandSpec = {
  summary: "Run the local emulator of Azure Container Registry Tasks in the foreground.",
  description:
    "It serves Azure Resource Manager, a token endpoint, Blob storage and one container " +
    "registry per registry resource, on 127.0.0.1 only. When ready it writes emulator.json in " +
    "the data folder, with everything a client needs to connect. Stop it with Ctrl-C; a later " +
    "start on the same folder finds everything where it was.",
  arguments: [
    dataDirArgument,
    {
      name: "port",
      options: ["--port"],
      kind: "value",
      type: "int",
      help:
        "The HTTPS port. By default the port of the last start when it is free, else any " +
        "free port.",
    },
    {
      name: "host",
      options: ["--host"],
      kind: "value",
      defaultValue: "127.0.0.1",
      help:
        "The address to listen on. Anything other than a loopback address exposes the " +
        "emulator to the network.",
    },
    {
      name: "noDefaultRegistry",
      options: ["--no-default-registry"],
      kind: "flag",
      help:
        "Do not create the registry 'myregistry' in resource group 'myresourcegroup' on " +
        "the first start.",
    },
    {
      name: "relaxApiVersions",
      options: ["--relax-api-versions"],
      kind: "flag",
      help:
        "Serve requests whatever their api-version, instead of refusing the versions " +
        "Azure does not serve.",
    },
    {
      name: "noRuns",
      options: ["--no-runs"],
      kind: "flag",
      help:
        "Keep runs queued instead of executing them on the local Docker engine, and fire " +
        "no trigger.",
    },
    {
      name: "secret",
      options: ["--secret"],
      kind: "append",
      help:
        "A Key Vault secret for task files' `secrets:`, written <secret URL>=<value>, as " +
        "`https://myvault.vault.azure.net/secrets/password=s3cret`. Give --secret once for each.",
    },
    {
      name: "commitPollInterval",
      options: ["--commit-poll-interval"],
      kind: "value",
      type: "int",
      defaultValue: 10,
      help: "Seconds between two looks at the branches that commit triggers watch.",
    },
  ],
  examples: [
    {
      title: "Start an emulator keeping its state in ./emulator-data",
      command: "acrtask emulator start --data-dir ./emulator-data",
    },
  ],
};

export async function run(options: ParsedOptions, context: Context): Promise<undefined> {
  return serveUntil(options, context, interrupted());
}

/** Resolves on the first SIGINT or SIGTERM, and stops listening for both. */
function interrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Runs the emulator until `stopSignal` resolves, then stops everything it started. */
export async function serveUntil(
  options: ParsedOptions,
  context: Context,
  stopSignal: Promise<void>,
): Promise<undefined> {
  const { startEmulator } = await import("../../emulator/emulator.js");
  const port = options.port as number | undefined;
  if (port !== undefined && (port < 0 || port > 65535)) {
    throw new CliError(`--port must be between 0 and 65535, not ${port}.`, 2);
  }

  const commitPollSeconds = (options.commitPollInterval as number | undefined) ?? 10;
  if (commitPollSeconds < 1) {
    throw new CliError(`--commit-poll-interval must be at least 1, not ${commitPollSeconds}.`, 2);
  }

  const keyVaultSecrets: Record<string, string> = {};
  for (const entry of (options.secret as string[] | undefined) ?? []) {
    // The value may hold "=" too: the URL ends at the first one after its /secrets/ part.
    const at = entry.indexOf("=", entry.indexOf("/secrets/"));
    if (!entry.includes("/secrets/") || at < 0) {
      throw new CliError(
        `--secret '${entry.split("=")[0]}' is not <secret URL>=<value>, as ` +
          "https://myvault.vault.azure.net/secrets/password=s3cret.",
        2,
      );
    }
    keyVaultSecrets[entry.slice(0, at)] = await secretValueOf(entry.slice(at + 1));
  }

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      dataDir: options.dataDir as string,
      port,
      host: (options.host as string | undefined) ?? "127.0.0.1",
      noDefaultRegistry: options.noDefaultRegistry === true,
      relaxApiVersions: options.relaxApiVersions === true,
      runTasks: options.noRuns !== true,
      keyVaultSecrets,
      commitPollSeconds,
      onRequest: (method, path, status) => context.logger.debug(`${method} ${path} ${status}`),
    });
  } catch (error) {
    throw new CliError(`The emulator could not start: ${(error as Error).message}`);
  }

  context.stderr.write(`emulator ready: ${emulator.config.armEndpoint}\n`);
  if (options.noRuns !== true) {
    void warnWithoutDockerEngine(context);
  }
  await stopSignal;
  await emulator.stop();
  return undefined;
}

/** Runs need a Docker engine; without one they fail, so say so at once rather than per run. */
function warnWithoutDockerEngine(context: Context): Promise<void> {
  return new Promise((resolve) => {
    execFile("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 15_000 }, (error) => {
      if (error) {
        context.stderr.write(
          "WARNING: No Docker engine answers: runs will fail until one does. Start dockerd " +
            "(Debian package docker.io), or start the emulator with --no-runs.\n",
        );
      }
      resolve();
    });
  });
}

/** A secret's value, or with a leading "@" the contents of that file less its final newline. */
async function secretValueOf(text: string): Promise<string> {
  if (!text.startsWith("@")) {
    return text;
  }
  try {
    return (await readFile(text.slice(1), "utf8")).replace(/\r?\n$/, "");
  } catch {
    throw new CliError(`--secret: the file '${text.slice(1)}' cannot be read.`, 2);
  }
}
