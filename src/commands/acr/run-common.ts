// What the run-side commands (`acr task run|logs|list-runs|show-run|update-run|cancel-run`,
// `acr taskrun …`, `acr run`, `acr build`) share around their Node API call: the run and task
// run table transformers loaded only for `-o table`, the log options that print to stdout, the
// data-plane identity for `--image name:tag`, and Ctrl-C.
//
// Ctrl-C ends az with exit code 1 and no message. Here it aborts a signal instead of killing
// the process: the log streamer then prints what it held back and returns, the run poller
// stops waiting, and an ARM call under way is abandoned, so nothing after it is sent (a run is
// never queued after Ctrl-C). A second Ctrl-C finds no handler and ends the process at once.
//
// Only type imports at the top, for the same reason as in task/common.ts.

import type { AcrSession } from "../../api/session.js";
import type { DataPlaneAccess, RunLogOptions, RunTaskResult } from "../../api/runs.js";
import type { ArmClient } from "../../azure/arm.js";
import type { Context } from "../../cli/context.js";
import type { CommandResult } from "../../cli/spec.js";
import type { Clock } from "../../logs/clock.js";
import type { BlobConnectionOptions, StreamOutcome } from "../../logs/index.js";

/** The clock a context may carry (`services.clock`); tests give one that does not wait. */
function clockOf(context: Context): Clock | undefined {
  const clock = context.services.clock as Partial<Clock> | undefined;
  return typeof clock?.now === "function" && typeof clock.sleep === "function"
    ? (clock as Clock)
    : undefined;
}

/** Where a run's log goes and how it is followed: stdout, with ANSI handling for its isTTY. */
export function logOptions(
  context: Context,
  options: { noFormat?: unknown },
  signal: AbortSignal,
): RunLogOptions {
  return {
    output: context.stdout,
    noFormat: options.noFormat === true,
    signal,
    clock: clockOf(context),
    blobConnection: (blobUrl) => blobConnection(context, blobUrl),
  };
}

/**
 * How the log blob is reached: the active cloud's storage proxy (the emulator's) or else
 * HTTPS_PROXY as az honours it, and the cloud's extra CA. A broken clouds.config or a missing
 * CA file leaves the default, so that the blob request itself reports what is wrong.
 */
export async function blobConnection(
  context: Context,
  blobUrl: string,
): Promise<BlobConnectionOptions> {
  const { activeCloudName, getClouds } = await import("../../azure/clouds.js");
  const { readFile } = await import("node:fs/promises");
  let proxyUrl: string | undefined;
  let caCertPath: string | undefined;
  try {
    const name = activeCloudName(context.configDir);
    const cloud = getClouds(context.configDir).find((each) => each.name === name);
    proxyUrl = cloud?.blobProxyUrl;
    caCertPath = cloud?.caCertPath;
  } catch {
    // The command's own cloud lookup has already reported a broken config with az's words.
  }

  const environmentProxy = bypassesProxy(blobUrl, context.env.NO_PROXY ?? context.env.no_proxy)
    ? undefined
    : context.env.HTTPS_PROXY || context.env.https_proxy || undefined;
  const ca = caCertPath ? await readFile(caCertPath, "utf8").catch(() => undefined) : undefined;
  return { proxyUrl: proxyUrl ?? environmentProxy, ca };
}

/** The signed-in identity, whose ARM token the registry exchanges for one of its own. */
export async function dataPlaneAccess(context: Context): Promise<DataPlaneAccess> {
  const { getArmSession, getSubscription } = await import("../../azure/session.js");
  const arm = await getArmSession(context);
  return {
    credential: arm.credential,
    scopes: arm.credentialScopes,
    tenantId: getSubscription(context).tenantId,
  };
}

/** NO_PROXY as requests reads it: `*`, or host names matched with their subdomains. */
function bypassesProxy(url: string, noProxy: string | undefined): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return (noProxy ?? "")
    .split(",")
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\*?\./, ""),
    )
    .filter((entry) => entry !== "")
    .some((entry) => entry === "*" || host === entry || host.endsWith(`.${entry}`));
}

/** Ctrl-C: what the signal is aborted with. */
class Interrupted extends Error {
  constructor() {
    super("Interrupted.");
  }
}

/** `call`, unless the signal aborts first; an aborted signal refuses to start it. */
function unlessAborted<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    call()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function interruptibleArm(arm: ArmClient, signal: AbortSignal): ArmClient {
  return {
    subscriptionId: arm.subscriptionId,
    endpoint: arm.endpoint,
    send: (request, accepted) => unlessAborted(signal, () => arm.send(request, accepted)),
    listAll: (request, style) => unlessAborted(signal, () => arm.listAll(request, style)),
    longRunning: (request, options) =>
      unlessAborted(signal, () => arm.longRunning(request, options)),
  };
}

/** The session with every ARM call abandoned on Ctrl-C. */
export function interruptibleSession(session: AcrSession, signal: AbortSignal): AcrSession {
  return { ...session, arm: interruptibleArm(session.arm, signal) };
}

async function interruptedExit(): Promise<Error> {
  const { PlainExit } = await import("../../cli/errors.js");
  return new PlainExit([], 1);
}

/**
 * Runs `work` with a signal that Ctrl-C aborts. An interrupted command ends with az's exit
 * code 1 and no message, after the log text the streamer held back.
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Interrupted());
  process.once("SIGINT", interrupt);

  try {
    const result = await work(controller.signal);
    if (controller.signal.aborted) {
      throw await interruptedExit();
    }
    return result;
  } catch (error) {
    throw controller.signal.aborted ? await interruptedExit() : error;
  } finally {
    process.off("SIGINT", interrupt);
  }
}

/** What az prints after following a run's log: nothing (an interrupted stream ends with 1). */
export async function afterLog(outcome: StreamOutcome): Promise<CommandResult> {
  if (outcome.end === "interrupted") {
    throw await interruptedExit();
  }
  return undefined;
}

/**
 * What az prints for `task run`, `acr run` and `acr build`: the run for `--no-logs`, nothing
 * when queued (`--no-wait`) or after the log.
 */
export async function afterRun(result: RunTaskResult): Promise<CommandResult> {
  switch (result.mode) {
    case "queued":
      return undefined;
    case "finished":
      return result.run;
    case "streamed":
      return afterLog(result.log);
  }
}
