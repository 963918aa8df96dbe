/**
 * The decoded and normalised form of an ACR Tasks task file, as the runner executes it.
 * Every field carries its value after defaults were applied, so the executor never re-derives them.
 */

/** The values behind `{{.Run.*}}` in a task file (the flags of the run). */
export interface RunValues {
  /** Run identifier (`--id`); also `{{.Build.ID}}`. */
  id: string;
  /** Fully qualified login server (`--registry`), e.g. `myregistry.azurecr.io`. */
  registry: string;
  /** Run start time; rendered as `yyyyMMdd-HHmmss` UTC followed by a literal `z`. */
  date: Date;
  /** Name of the workspace volume (`--homevol`, else the generated `acb_vol_<uuid>`). */
  sharedVolume: string;
  /** Operating system of the runner, Go's spelling (`linux`). */
  os: string;
  osVersion: string;
  /** Architecture of the runner, Go's spelling (`amd64`, `arm64`). */
  architecture: string;
  commit: string;
  branch: string;
  repository: string;
  gitTag: string;
  triggeredBy: string;
  /** Task name (`--name`); empty for a quick run. */
  taskName: string;
}

/** One step kind: the step runs a container, a `docker build`, or pushes images. */
export type StepKind = "cmd" | "build" | "push";

export interface Network {
  name: string;
  /** Empty when the file gave none: `docker network create` then runs without `--driver`. */
  driver: string;
  ipv6: boolean;
  skipCreation: boolean;
  isDefault: boolean;
}

/** A secret-file volume: every file of `secret` holds the base64-decoded value plus a newline. */
export interface Volume {
  name: string;
  /** File name → base64 value, in file order. */
  secret: Record<string, string>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
}

/** An entry of `secrets:`; resolved before the final render into `{{.Secrets.<id>}}`. */
export interface Secret {
  id: string;
  /** Key Vault secret URL; empty when absent. */
  keyVault: string;
  /** User-assigned identity client ID; empty when absent. */
  clientId: string;
  /** The undocumented `aadresourceid` key (ACR refresh token through MSI); empty when absent. */
  aadResourceId: string;
}

export interface Step {
  /** The step id after defaults (`acb_step_<index>` when the file gave none). */
  id: string;
  /** Position of the step in the file, 0-based. */
  index: number;
  kind: StepKind;

  /** `cmd` as written (after image-alias expansion); empty unless kind is "cmd". */
  cmd: string;
  /**
   * `build` as written, except that `cache: enabled` prefixes the buildx cache flags;
   * empty unless kind is "build".
   */
  build: string;
  /** Normalised (`:latest` added when neither `:` nor `@` appears) and de-duplicated. */
  push: string[];

  /** `when` as written; empty when the file gave none (the step then follows the one above). */
  when: string[];

  /** The effective working directory as written: the step's value, else the task's. */
  workingDirectory: string;
  disableWorkingDirectoryOverride: boolean;
  entryPoint: string;
  /** Merged env: the step's entries, then inherited task entries it does not define. */
  env: string[];
  expose: string[];
  ports: string[];
  user: string;
  privileged: boolean;
  /** The effective network: the step's, else the task's default network, else empty. */
  network: string;
  isolation: string;
  cpus: string;
  detach: boolean;
  keep: boolean;

  /** Effective timeout in seconds (the step's when > 0, else the task's stepTimeout). */
  timeout: number;
  startDelay: number;
  retries: number;
  /** Effective retry delay in seconds (the step's when > 0, else 5). */
  retryDelay: number;
  retryOnErrors: string[];
  repeat: number;
  ignoreErrors: boolean;
  pull: boolean;
  cmdDownloadRetries: number;
  cmdDownloadRetryDelay: number;

  /** `cache` as written (`enabled`/`disabled`, any case), empty when absent. */
  cache: string;
  /** True for a build step whose cache is `enabled`: it builds with buildx. */
  usesBuildCache: boolean;
  /**
   * The registry cache reference (`<repo>:cache_<task>_<step>`) whose flags were prefixed to
   * `build`; empty when none were (no tags, or buildCacheError).
   */
  buildCacheReference: string;
  /**
   * Why the cache flags could not be made (acb only logs it and builds without them); empty
   * otherwise.
   */
  buildCacheError: string;

  volumeMounts: VolumeMount[];
  exitedWith: number[];
  exitedWithout: number[];

  /** Build steps: every token following `-t`/`--tag` in `build`. */
  tags: string[];
  /** Build steps: every token following `--build-arg` in `build`. */
  buildArgs: string[];
}

export interface Task {
  /** The version after defaults (`v1.0.0` when absent), as written otherwise. */
  version: string;
  /** Effective default step timeout in seconds (600 when ≤ 0). */
  stepTimeout: number;
  workingDirectory: string;
  /** Task env merged with the `--env` defaults (task entries first). */
  env: string[];
  secrets: Secret[];
  /** Networks after defaults (`acb_default_network` or the `--network` one added). */
  networks: Network[];
  /** Name of the network steps use when they name none; empty when there is no default. */
  defaultNetwork: string;
  volumes: Volume[];
  steps: Step[];
  /** Whether the v1.1.0 alias gate was on for this file. */
  aliasesEnabled: boolean;
  /** The task name used for build-cache tags: `--name`, else `quickrun`. */
  name: string;
}

/** The virtual root every step with `when: ["-"]` (and the first step by default) hangs off. */
export const ROOT_ID = "acb_root";

/** The step graph (§4.7): edges from each dependency to its dependants. */
export interface StepGraph {
  /** Step ids in file order. */
  order: string[];
  /** Ids of the steps that start immediately (children of the root), in file order. */
  roots: string[];
  /**
   * Dependency id (ROOT_ID for the root) → ids of its dependants, in file order. A dependency
   * listed twice in one `when` makes one edge.
   */
  children: Map<string, string[]>;
  /**
   * Step id → number of edges into it, the root's included (a root has 1 and is started, not
   * released; any other step starts when this many of its dependencies completed).
   */
  inDegree: Map<string, number>;
}
