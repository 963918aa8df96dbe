// Entry point of the CLI bundle: argv in, exit code out.

import { readFileSync } from "node:fs";

import { commands, groups } from "../commands/manifest.js";
import { getActiveCloud } from "../azure/clouds.js";
import { loadAccounts } from "../azure/profile.js";
import { acrtaskConfigDir, loadConfig } from "./config.js";
import type { Logger, Services, TextSink } from "./context.js";
import { PlainExit, reportError } from "./errors.js";
import type { SubscriptionResolver } from "./globals.js";
import { loadQueryCompiler, loadRenderer } from "./output-loader.js";
import type { CommandTable } from "./parser.js";
import { forwardToAz } from "./passthrough.js";
import { runCommandLine, type OutputRenderer } from "./run-command.js";

export interface MainOptions {
  stdout?: TextSink;
  stderr?: TextSink;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Reads all of standard input, for `@-` arguments. */
  readStdin?: () => string;
  now?: () => Date;
  services?: Services;
  /** The command manifest; tests pass small tables of their own. */
  table?: CommandTable;
  /** Runs a command acrtask does not implement; the real az by default. */
  forward?: (argv: readonly string[]) => Promise<number>;
  /** Maps a --subscription value to a cached subscription id; undefined means unknown. */
  resolveSubscription?: SubscriptionResolver;
  compileQuery?: (text: string) => unknown;
  renderOutput?: OutputRenderer;
}

const CONFLICT_MESSAGE = "--only-show-errors can't be used together with --debug or --verbose";

function processSink(stream: NodeJS.WriteStream): TextSink {
  return {
    write: (text) => {
      stream.write(text);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
  };
}

function stderrLogger(
  stderr: TextSink,
  level: { info: boolean; debug: boolean; warning: boolean },
) {
  const logger: Logger = {
    warning: (message) => {
      if (level.warning) {
        stderr.write(`WARNING: ${message}\n`);
      }
    },
    info: (message) => {
      if (level.info) {
        stderr.write(`INFO: ${message}\n`);
      }
    },
    debug: (message) => {
      if (level.debug) {
        stderr.write(`DEBUG: ${message}\n`);
      }
    },
  };
  return logger;
}

/** az warns at parse time about a --subscription that names no cached subscription. */
function cachedSubscriptionResolver(env: NodeJS.ProcessEnv): SubscriptionResolver {
  return (nameOrId) => {
    const configDir = acrtaskConfigDir(env);
    const cloud = getActiveCloud(configDir, () => undefined);
    const wanted = nameOrId.toLowerCase();
    const match = loadAccounts(configDir, cloud.name).find(
      (account) => account.id.toLowerCase() === wanted || account.name?.toLowerCase() === wanted,
    );
    return match?.id;
  };
}

function elapsedSeconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(3);
}

export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  // process.uptime() instead of performance.now(): the global `performance` loads perf_hooks,
  // a millisecond at start-up that only --verbose's timing line would use.
  const invokedAt = process.uptime() * 1000;
  const stdout = options.stdout ?? processSink(process.stdout);
  const stderr = options.stderr ?? processSink(process.stderr);
  const env = options.env ?? process.env;

  // az decides the log level from the exact tokens, before anything is parsed.
  const debug = argv.includes("--debug");
  const verbose = argv.includes("--verbose");
  if (argv.includes("--only-show-errors") && (debug || verbose)) {
    return reportError(new PlainExit([CONFLICT_MESSAGE, CONFLICT_MESSAGE], 1), { stderr, debug });
  }

  const config = loadConfig(env);
  const onlyShowErrors =
    argv.includes("--only-show-errors") || (!debug && !verbose && config.onlyShowErrors);
  const logger = stderrLogger(stderr, {
    warning: !onlyShowErrors,
    info: debug || verbose,
    debug,
  });

  const table = options.table ?? { groups, commands };

  let exitCode: number;
  let forwarded = false;
  try {
    exitCode = await runCommandLine({
      argv,
      table,
      config,
      stdout,
      stderr,
      logger,
      env,
      cwd: options.cwd ?? process.cwd(),
      now: options.now ?? (() => new Date()),
      services: options.services ?? {},
      readStdin: options.readStdin ?? (() => readFileSync(0, "utf8")),
      debug,
      verbose,
      onlyShowErrors,
      forward: (args) => {
        forwarded = true;
        return (options.forward ?? ((forwardArgs) => forwardToAz(forwardArgs, env)))(args);
      },
      resolveSubscription: options.resolveSubscription ?? cachedSubscriptionResolver(env),
      loadQueryCompiler: async () => options.compileQuery ?? (await loadQueryCompiler()),
      loadRenderer: async () => options.renderOutput ?? (await loadRenderer()),
    });
  } catch (error) {
    exitCode = reportError(error, { stderr, debug });
  }

  // az's last line with --verbose or --debug; a forwarded az prints its own.
  if (!forwarded) {
    const invoke = process.uptime() * 1000 - invokedAt;
    logger.info(
      `Command ran in ${elapsedSeconds(invokedAt + invoke)} seconds ` +
        `(init: ${elapsedSeconds(invokedAt)}, invoke: ${elapsedSeconds(invoke)})`,
    );
  }
  return exitCode;
}
