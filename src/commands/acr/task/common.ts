// What every `acr task` command does around its Node API call: open a session as the signed-in
// account, print the warning az's registry-name validator prints, turn a failed ARM call into
// az's error text and exit code, and load the table transformer only for `-o table`.
//
// Only type imports at the top: command modules import this file, and their help must not pay
// for the Azure SDKs or the output layer.

import type { AcrSession } from "../../../api/session.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, ParsedOptions } from "../../../cli/spec.js";
import type { Clock } from "../../../logs/clock.js";
import type { TableTransformer, TransformerRow } from "../../../output/transformers.js";

/** The transformers of az's Part E that acr commands use. */
export type TransformerName = "task" | "taskIdentity" | "run" | "taskRun";

export interface LazyTransformer {
  /** Loads the transformer when the output format is table. */
  load(context: Context): Promise<void>;
  /** The command module's `tableTransformer`. */
  transform(result: unknown): TransformerRow[];
}

/** A table transformer whose module is loaded by the command's run, and only for tables. */
export function lazyTransformer(name: TransformerName): LazyTransformer {
  let loaded: TableTransformer | undefined;
  return {
    async load(context) {
      if (context.globals.output === "table" && loaded === undefined) {
        const transformers = await import("../../../output/transformers.js");
        loaded = transformers[name];
      }
    },
    transform(result) {
      if (loaded === undefined) {
        // The renderer asks only after run, which loads it for tables; anything else is a bug.
        throw new Error(`The ${name} table transformer was used before the command ran.`);
      }
      return loaded(result);
    },
  };
}

/**
 * The registry argument as az's validator leaves it: the cloud's login-server suffix cut off,
 * with az's warning. az validates before it checks the sign-in, so this comes first.
 */
async function validatedRegistry(context: Context, registry: unknown): Promise<unknown> {
  if (typeof registry !== "string") {
    return registry;
  }
  const [{ getCloud }, { stripLoginServerSuffix, DEFAULT_ACR_LOGIN_SERVER_SUFFIX }] =
    await Promise.all([import("../../../azure/session.js"), import("../../../azure/registry.js")]);

  const suffix = getCloud(context).acrLoginServerSuffix ?? DEFAULT_ACR_LOGIN_SERVER_SUFFIX;
  const { registryName, warning } = stripLoginServerSuffix(registry, suffix);
  if (warning) {
    context.logger.warning(warning);
  }
  return registryName;
}

/** The clock a context may carry (`services.clock`); tests give one that does not wait. */
function sleepOf(context: Context): ((milliseconds: number) => Promise<void>) | undefined {
  const clock = context.services.clock as Partial<Clock> | undefined;
  const sleep = clock?.sleep;
  return typeof sleep === "function"
    ? (milliseconds) => sleep.call(clock, milliseconds)
    : undefined;
}

/** An API session for the signed-in account, in the active cloud. */
async function openSession(context: Context): Promise<AcrSession> {
  const [azureSession, { connect }] = await Promise.all([
    import("../../../azure/session.js"),
    import("../../../api/session.js"),
  ]);

  const armSession = await azureSession.getArmSession(context);
  const account = azureSession.getSubscription(context);
  const cloud = azureSession.getCloud(context);
  return connect({
    ...armSession,
    subscriptionName: account.name ?? undefined,
    loginServerSuffix: cloud.acrLoginServerSuffix,
    keyVaultDnsSuffix: cloud.cloud.suffixes.keyvault_dns ?? undefined,
    env: context.env,
    cwd: context.cwd,
    sleep: sleepOf(context),
  });
}

/**
 * Runs one task operation: validation, session, the call. `options` are the parsed options,
 * whose names are those of the Node API; the operation receives them with the registry
 * validated.
 */
export async function runTaskOperation<Options>(
  context: Context,
  options: ParsedOptions,
  transformer: LazyTransformer | undefined,
  operation: (session: AcrSession, options: Options) => Promise<CommandResult>,
): Promise<CommandResult> {
  const validated = { ...options, registry: await validatedRegistry(context, options.registry) };
  await transformer?.load(context);

  // A failed ARM call propagates as the SDK's error; src/cli/errors.ts reports it as az does.
  const session = await openSession(context);
  return await operation(session, validated as Options);
}

/**
 * az asks on stdout and reads answers from the terminal until one is y or n (any case). With
 * no terminal there is nothing to ask with, and the Node API fails as az does. Lines typed
 * ahead of the next prompt are kept for it; the end of the input counts as no.
 */
export async function terminalConfirm(
  context: Context,
): Promise<((prompt: string) => Promise<boolean>) | undefined> {
  if (!process.stdin.isTTY) {
    return undefined;
  }
  const { createInterface } = await import("node:readline");
  return async (prompt) => {
    const terminal = createInterface({ input: process.stdin, terminal: false });
    const lines = terminal[Symbol.asyncIterator]();
    try {
      for (;;) {
        context.stdout.write(prompt);
        const line = await lines.next();
        if (line.done) {
          return false;
        }
        const answer = String(line.value).toLowerCase();
        if (answer === "y" || answer === "n") {
          return answer === "y";
        }
      }
    } finally {
      terminal.close();
    }
  };
}
