/**
 * From a decoded task file to the task the runner executes: task-level validation, defaults and
 * normalisation, per-step validation and the step graph, each failing with acb's message.
 */
import type { RawStep, RawTask, RawVolume } from "./decode.js";
import type { Network, Step, StepGraph, StepKind, Task } from "./model.js";
import { ROOT_ID } from "./model.js";

/** A task that acb refuses; the message is acb's, without the outer wrapping. */
export class TaskValidationError extends Error {}

export const DEFAULT_STEP_TIMEOUT = 600;
export const DEFAULT_RETRY_DELAY = 5;
export const DEFAULT_NETWORK_NAME = "acb_default_network";
export const DEFAULT_VERSION = "v1.0.0";
const VALID_VERSIONS = new Set(["1.0-preview-1", "v1.0.0", "v1.1.0"]);
const IMMEDIATE_EXECUTION_TOKEN = "-";
const QUICK_RUN_TASK_NAME = "quickrun";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VOLUME_NAME = /^[a-zA-Z0-9-_]+$/;
const SECRET_FILE_NAME = /^[a-zA-Z0-9-_.]+$/;

function containsSpace(text: string): boolean {
  return /\s/.test(text);
}

/**
 * The checks acb runs right after decoding (its "validate" of the task): secrets, volumes, and
 * that every mount names a declared volume.
 */
export function validateDecodedTask(task: RawTask): void {
  const secretIds = new Set<string>();
  for (const secret of task.secrets) {
    const problem = secretProblem(
      secret.id,
      secret.keyVault,
      secret.aadResourceId,
      secret.clientId,
    );
    if (problem) {
      throw new TaskValidationError(
        secret.id === "" ? problem : `failed to validate secret with ID: ${secret.id}: ${problem}`,
      );
    }
    if (secretIds.has(secret.id)) {
      throw new TaskValidationError(`duplicate secret found with ID: ${secret.id}`);
    }
    secretIds.add(secret.id);
  }

  const volumeNames = new Set<string>();
  for (const volume of task.volumes) {
    const problem = volumeProblem(volume);
    if (problem) throw new TaskValidationError(problem);
    if (volumeNames.has(volume.name)) {
      throw new TaskValidationError("volume with duplicate name found");
    }
    volumeNames.add(volume.name);
  }

  for (const step of task.steps) {
    for (const mount of step.volumeMounts) {
      if (!volumeNames.has(mount.name)) {
        throw new TaskValidationError(`mount name, ${mount.name}, does not correspond to a volume`);
      }
    }
  }
}

function secretProblem(
  id: string,
  keyVault: string,
  aadResourceId: string,
  clientId: string,
): string | undefined {
  if (id === "") return "secret is missing an ID as well as auto-generated ID";
  if (containsSpace(id)) return "secret ID cannot contain spaces";
  if (keyVault === "" && aadResourceId === "") {
    return (
      "secret should contain either keyvault property for vault secret, or msi " +
      "clientID/aadResourceId for msi authentication"
    );
  }
  if (clientId !== "" && !isGoUuid(clientId)) {
    return "msi client ID is not a valid guid";
  }
  return undefined;
}

/** Forms google/uuid's Parse accepts: plain, `{…}`, `urn:uuid:…`, and 32 bare hex digits. */
function isGoUuid(text: string): boolean {
  if (/^[0-9a-fA-F]{32}$/.test(text)) return true;
  if (/^\{.*\}$/.test(text)) return UUID.test(text.slice(1, -1));
  if (/^urn:uuid:/i.test(text)) return UUID.test(text.slice(9));
  return UUID.test(text);
}

function volumeProblem(volume: RawVolume): string | undefined {
  if (volume.name === "") return "volume name is empty";
  if (!VOLUME_NAME.test(volume.name)) {
    return "volume name is not well formed. Only use alphanumeric and - _";
  }
  const fileNames = Object.keys(volume.secret);
  if (fileNames.length === 0) {
    return volume.hasSecret ? "secret is empty" : "currently only support for source type secret";
  }
  for (const fileName of fileNames) {
    if (fileName === "") return "secret name provided for value is empty";
    if (!SECRET_FILE_NAME.test(fileName)) {
      return `file name, ${fileName}, is not well formed. Only use alphanumeric and - _ .`;
    }
  }
  return undefined;
}

export interface NormaliseOptions {
  /** `--env` defaults (each may hold comma-separated pairs). */
  env?: string[];
  /** `--network`: an external network that becomes the default. */
  network?: string;
  /** `--working-directory`: used only when the task sets none. */
  workingDirectory?: string;
  /** `--name`; empty for a quick run. */
  taskName?: string;
  /** `--registry`, used for build-cache references of unqualified tags. */
  registry?: string;
  aliasesEnabled?: boolean;
}

/**
 * Merges `extra` into `base` (acb's mergeEnvs): entries of `extra` are comma-split and added only
 * for keys `base` does not define; `base` is returned untouched when `extra` is empty.
 */
export function mergeEnvironment(base: string[], extra: string[]): string[] {
  if (extra.length === 0) return base;

  const defined = new Set<string>();
  for (const entry of base) {
    const separator = entry.indexOf("=");
    if (separator < 0) {
      throw new TaskValidationError(`cannot parse step environment variable ${entry} correctly`);
    }
    defined.add(entry.slice(0, separator));
  }

  const merged = [...base];
  for (const entry of extra.flatMap((value) => value.split(","))) {
    const separator = entry.indexOf("=");
    if (separator < 0) {
      throw new TaskValidationError(`cannot parse task environment variable ${entry} correctly`);
    }
    if (!defined.has(entry.slice(0, separator))) merged.push(entry);
  }
  return merged;
}

/** Applies acb's defaults, in acb's order, to a decoded and validated task. */
export function normaliseTask(raw: RawTask, options: NormaliseOptions = {}): Task {
  const workingDirectory =
    raw.workingDirectory === "" ? (options.workingDirectory ?? "") : raw.workingDirectory;
  const env = mergeEnvironment(raw.env, options.env ?? []);

  const networks: Network[] = raw.networks.map((network) => ({ ...network }));
  if (options.network) {
    networks.push({
      name: options.network,
      driver: "external",
      ipv6: false,
      skipCreation: true,
      isDefault: true,
    });
  }

  const version = raw.version === "" ? DEFAULT_VERSION : raw.version;
  if (!VALID_VERSIONS.has(version.toLowerCase())) {
    throw new TaskValidationError(
      `invalid version specified: ${goQuote(version)}, the current version is "${DEFAULT_VERSION}"`,
    );
  }

  let defaultNetwork = "";
  for (let index = networks.length - 1; index >= 0; index--) {
    if (networks[index].isDefault) {
      defaultNetwork = networks[index].name;
      break;
    }
  }
  if (networks.length === 0) {
    networks.push({
      name: DEFAULT_NETWORK_NAME,
      driver: "bridge",
      ipv6: false,
      skipCreation: false,
      isDefault: true,
    });
    defaultNetwork = DEFAULT_NETWORK_NAME;
  }

  const stepTimeout = raw.stepTimeout <= 0 ? DEFAULT_STEP_TIMEOUT : raw.stepTimeout;
  const taskName = options.taskName ? options.taskName : QUICK_RUN_TASK_NAME;

  const steps = raw.steps.map((rawStep, index) => {
    let stepEnv: string[];
    try {
      stepEnv = mergeEnvironment(rawStep.env, env);
    } catch (error) {
      throw new TaskValidationError(
        `failed to merge task and step environment variables: ${(error as Error).message}`,
      );
    }
    return normaliseStep(rawStep, index, {
      stepTimeout,
      defaultNetwork,
      env: stepEnv,
      workingDirectory,
      taskName,
      registry: options.registry ?? "",
    });
  });

  return {
    version,
    stepTimeout,
    workingDirectory,
    env,
    secrets: raw.secrets.map((secret) => ({ ...secret })),
    networks,
    defaultNetwork,
    volumes: raw.volumes.map((volume) => ({ name: volume.name, secret: { ...volume.secret } })),
    steps,
    aliasesEnabled: options.aliasesEnabled ?? false,
    name: taskName,
  };
}

/** Go's %q for the plain strings a version holds. */
function goQuote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, (character) => {
    return "\\u" + character.charCodeAt(0).toString(16).padStart(4, "0");
  });
}

interface StepDefaults {
  stepTimeout: number;
  defaultNetwork: string;
  env: string[];
  workingDirectory: string;
  taskName: string;
  registry: string;
}

function stepKind(step: RawStep): StepKind | undefined {
  if (step.cmd !== "") return "cmd";
  if (step.build !== "") return "build";
  if (step.push.length > 0) return "push";
  return undefined;
}

function normaliseStep(raw: RawStep, index: number, defaults: StepDefaults): Step {
  const kind = stepKind(raw) ?? "cmd";
  const id = raw.id === "" ? `acb_step_${index}` : raw.id;
  const isBuild = raw.cmd === "" && raw.build !== "";
  const isPush = raw.cmd === "" && raw.build === "" && raw.push.length > 0;

  const step: Step = {
    id,
    index,
    kind,
    cmd: raw.cmd,
    build: raw.build,
    push: isPush ? normalisePushList(raw.push) : raw.push,
    when: raw.when,
    workingDirectory:
      raw.workingDirectory === "" ? defaults.workingDirectory : raw.workingDirectory,
    disableWorkingDirectoryOverride: raw.disableWorkingDirectoryOverride,
    entryPoint: raw.entryPoint,
    env: defaults.env,
    expose: raw.expose,
    ports: raw.ports,
    user: raw.user,
    privileged: raw.privileged,
    network: raw.network === "" ? defaults.defaultNetwork : raw.network,
    isolation: raw.isolation,
    cpus: raw.cpus,
    detach: raw.detach,
    keep: raw.keep,
    timeout: raw.timeout <= 0 ? defaults.stepTimeout : raw.timeout,
    startDelay: raw.startDelay,
    retries: raw.retries,
    retryDelay: raw.retryDelay <= 0 ? DEFAULT_RETRY_DELAY : raw.retryDelay,
    retryOnErrors: raw.retryOnErrors,
    repeat: raw.repeat,
    ignoreErrors: raw.ignoreErrors,
    pull: raw.pull,
    cmdDownloadRetries: raw.cmdDownloadRetries,
    cmdDownloadRetryDelay: raw.cmdDownloadRetryDelay,
    cache: raw.cache,
    usesBuildCache: false,
    buildCacheReference: "",
    buildCacheError: "",
    volumeMounts: raw.volumeMounts.map((mount) => ({ ...mount })),
    exitedWith: raw.exitedWith,
    exitedWithout: raw.exitedWithout,
    tags: isBuild ? tokensAfter(raw.build, ["-t", "--tag"]) : [],
    buildArgs: isBuild ? tokensAfter(raw.build, ["--build-arg"]) : [],
  };

  if (isBuild && raw.cache.toLowerCase() === "enabled") {
    step.usesBuildCache = true;
    try {
      const reference = buildCacheReference(step.tags, defaults.registry, defaults.taskName, id);
      if (reference !== "") {
        step.buildCacheReference = reference;
        step.build = `--load --cache-to=type=registry,ref=${reference},mode=max --cache-from=type=registry,ref=${reference} ${raw.build}`;
      }
    } catch (error) {
      step.buildCacheError = (error as Error).message;
    }
  }
  return step;
}

/** Every whitespace-separated token that follows one of `flags`. */
export function tokensAfter(text: string, flags: string[]): string[] {
  const tokens = text.split(/\s+/).filter((token) => token !== "");
  const found: string[] = [];
  for (let index = 0; index < tokens.length - 1; index++) {
    if (flags.includes(tokens[index])) {
      found.push(tokens[index + 1]);
      index++;
    }
  }
  return found;
}

/** `:latest` added when a reference has neither a tag nor a digest; duplicates dropped. */
export function normalisePushList(images: string[]): string[] {
  const seen = new Set<string>();
  const normalised: string[] = [];
  for (const image of images) {
    const name = image.includes(":") || image.includes("@") ? image : `${image}:latest`;
    if (seen.has(name)) continue;
    seen.add(name);
    normalised.push(name);
  }
  return normalised;
}

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?$`);
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

class ReferenceError extends Error {}

/** Splits a reference (docker/distribution grammar, no normalisation) into domain and path. */
function domainAndPath(reference: string): { domain: string; path: string } {
  let name = reference;
  const at = name.indexOf("@");
  if (at >= 0) {
    if (!DIGEST.test(name.slice(at + 1))) throw new ReferenceError("invalid reference format");
    name = name.slice(0, at);
  }
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > lastSlash) {
    if (!TAG.test(name.slice(colon + 1))) throw new ReferenceError("invalid reference format");
    name = name.slice(0, colon);
  }
  if (name === "") throw new ReferenceError("repository name must have at least one component");

  const components = name.split("/");
  let domain = "";
  if (components.length > 1 && DOMAIN.test(components[0])) {
    domain = components.shift() ?? "";
  }
  for (const component of components) {
    if (!NAME_COMPONENT.test(component)) {
      const lowered = component.toLowerCase();
      throw new ReferenceError(
        NAME_COMPONENT.test(lowered)
          ? "repository name must be lowercase"
          : "invalid reference format",
      );
    }
  }
  if (name.length > 255)
    throw new ReferenceError("repository name must not be more than 255 characters");
  return { domain, path: components.join("/") };
}

/**
 * The registry cache reference of a build step: `<domain>/<path>:cache_<task>_<step>`, from the
 * first tag with a domain part, else the run's registry and the first tag's path. Empty when the
 * step has no tags.
 */
export function buildCacheReference(
  tags: string[],
  registry: string,
  taskName: string,
  stepId: string,
): string {
  if (tags.length === 0) return "";

  let domain = "";
  let repositoryPath = "";
  let firstTagPath = "";
  for (const [index, tag] of tags.entries()) {
    try {
      ({ domain, path: repositoryPath } = domainAndPath(tag));
    } catch (error) {
      throw new Error(
        `failed to parse the tag into a domain and path: failed to parse the image name: ` +
          `${(error as Error).message}`,
      );
    }
    if (index === 0) firstTagPath = repositoryPath;
    if (domain !== "") break;
  }
  if (domain === "") {
    domain = registry;
    repositoryPath = firstTagPath;
  }

  const name = `${domain}/${repositoryPath}`;
  try {
    domainAndPath(name);
    if (name.startsWith("/")) throw new ReferenceError("invalid reference format");
  } catch (error) {
    throw new Error(
      `failed to parse reference to be used for cache image: ${(error as Error).message}`,
    );
  }
  const cacheTag = `cache_${taskName}_${stepId}`;
  if (!TAG.test(cacheTag)) {
    throw new Error(
      "failed to attach cache ID tag to the repo for build cache: invalid tag format",
    );
  }
  return `${name}:${cacheTag}`;
}

/** Per-step checks acb runs while adding the step to its graph, in acb's order. */
function validateStep(step: Step, raw: RawStep): void {
  if (step.retries < 0) throw new TaskValidationError("step must specify retries >= 0");
  if (step.repeat < 0) throw new TaskValidationError("step must specify repeat >= 0");

  const isCmd = raw.cmd !== "";
  const isBuild = raw.build !== "";
  const isPush = raw.push.length > 0;
  if ((isCmd && isPush) || (isCmd && isBuild) || (isBuild && isPush)) {
    throw new TaskValidationError("step must only contain a single build, cmd, or push property");
  }
  if (containsSpace(step.id)) throw new TaskValidationError("step ID cannot contain spaces");
  if (!isCmd && !isBuild && !isPush) {
    throw new TaskValidationError("step is missing a cmd, build, or push property");
  }

  if (step.volumeMounts.length > 0) {
    if (!isCmd && !isBuild) {
      throw new TaskValidationError(
        "invalid use of Mounts. Mounts must have unique container paths and only used " +
          "for cmd or build steps",
      );
    }
    const paths = new Set<string>();
    for (const mount of step.volumeMounts) {
      if (mount.name === "" || mount.mountPath === "") {
        throw new TaskValidationError("mount name or mount path is empty");
      }
      if (paths.has(mount.mountPath)) {
        throw new TaskValidationError("mount with duplicate container file path found");
      }
      paths.add(mount.mountPath);
    }
  }

  for (const dependency of step.when) {
    if (dependency === IMMEDIATE_EXECUTION_TOKEN && step.when.length > 1) {
      throw new TaskValidationError(
        "step cannot contain other IDs in when if the immediate execution token is specified",
      );
    }
    if (dependency === step.id) {
      throw new TaskValidationError(`Step ID: ${step.id} is self-referenced`);
    }
  }

  const cache = step.cache.toLowerCase();
  if (cache !== "" && cache !== "enabled" && cache !== "disabled") {
    throw new TaskValidationError(
      "invalid value for cache property. Valid values are 'enabled', 'disabled'",
    );
  }
}

/**
 * Validates each step and builds the graph: `when: ["-"]` hangs off the root, no `when` follows
 * the step written just above (the first step the root), and each listed id must name an
 * earlier step. A dependency listed twice counts once (acb would wait for it twice and never
 * start the step).
 */
export function buildStepGraph(steps: Step[], rawSteps: RawStep[]): StepGraph {
  return graphOfSteps(steps, (step, index) => validateStep(step, rawSteps[index]));
}

/**
 * The step graph of normalised steps, each checked by `check` before it is added (the runner
 * builds it for tasks that come without one).
 */
export function graphOfSteps(
  steps: Step[],
  check: (step: Step, index: number) => void = () => undefined,
): StepGraph {
  const graph: StepGraph = {
    order: [],
    roots: [],
    children: new Map([[ROOT_ID, []]]),
    inDegree: new Map(),
  };

  const addEdge = (from: string, to: string) => {
    if (from === "") throw new TaskValidationError("from cannot be empty");
    if (from !== ROOT_ID && !graph.inDegree.has(from)) {
      throw new TaskValidationError(
        `${from} does not exist as a vertex [from: ${from}, to: ${to}]`,
      );
    }
    const children = graph.children.get(from) ?? [];
    if (children.includes(to)) return;
    children.push(to);
    graph.children.set(from, children);
    graph.inDegree.set(to, (graph.inDegree.get(to) ?? 0) + 1);
    if (from === ROOT_ID) graph.roots.push(to);
  };

  let previous: Step | undefined;
  for (const [index, step] of steps.entries()) {
    check(step, index);

    if (step.id === ROOT_ID) {
      throw new TaskValidationError(`${ROOT_ID} is a reserved ID, it can't be used`);
    }
    if (graph.inDegree.has(step.id)) {
      throw new TaskValidationError(`${step.id} already exists as a vertex`);
    }
    graph.inDegree.set(step.id, 0);
    graph.children.set(step.id, []);
    graph.order.push(step.id);

    if (step.when.length === 1 && step.when[0] === IMMEDIATE_EXECUTION_TOKEN) {
      addEdge(ROOT_ID, step.id);
    } else if (step.when.length === 0) {
      addEdge(previous ? previous.id : ROOT_ID, step.id);
    } else {
      for (const dependency of step.when) addEdge(dependency, step.id);
    }
    previous = step;
  }
  return graph;
}

/** Ids of the steps that depend on `id` (the root's children for ROOT_ID). */
export function childrenOf(graph: StepGraph, id: string): string[] {
  return graph.children.get(id) ?? [];
}
