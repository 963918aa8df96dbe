// Tasks for the runner's tests, written as the normalised model the runner receives: every
// field has its value after defaults, so a test names only what it cares about.

import type { Network, Step, Task } from "../../src/taskfile/model.js";

export const DEFAULT_NETWORK: Network = {
  name: "acb_default_network",
  driver: "bridge",
  ipv6: false,
  skipCreation: false,
  isDefault: true,
};

type StepInput = Partial<Step> & ({ cmd: string } | { build: string } | { push: string[] });

/** A step with acb's defaults; its kind follows from cmd/build/push. */
export function stepOf(input: StepInput, index: number, defaults: { network: string }): Step {
  const kind =
    input.kind ??
    ("build" in input && input.build
      ? "build"
      : "push" in input && input.push?.length
        ? "push"
        : "cmd");
  // Built untyped first, so that fields the model adds later are checked where the step is used.
  const step = {
    id: `acb_step_${index}`,
    index,
    kind,
    cmd: "",
    build: "",
    push: [],
    when: [],
    workingDirectory: "",
    disableWorkingDirectoryOverride: false,
    entryPoint: "",
    env: [],
    expose: [],
    ports: [],
    user: "",
    privileged: false,
    network: defaults.network,
    isolation: "",
    cpus: "",
    detach: false,
    keep: false,
    timeout: 600,
    startDelay: 0,
    retries: 0,
    retryDelay: 5,
    retryOnErrors: [],
    repeat: 0,
    ignoreErrors: false,
    pull: false,
    cmdDownloadRetries: 0,
    cmdDownloadRetryDelay: 0,
    cache: "",
    usesBuildCache: false,
    buildCacheReference: "",
    buildCacheError: "",
    volumeMounts: [],
    exitedWith: [],
    exitedWithout: [],
    tags: [],
    buildArgs: [],
    ...input,
  };
  return step;
}

/** A task with the default network unless `networks` says otherwise. */
export function taskOf(steps: StepInput[], overrides: Partial<Omit<Task, "steps">> = {}): Task {
  const networks = overrides.networks ?? [DEFAULT_NETWORK];
  const defaultNetwork =
    overrides.defaultNetwork ??
    [...networks].reverse().find((network) => network.isDefault)?.name ??
    "";
  return {
    version: "v1.0.0",
    stepTimeout: 600,
    workingDirectory: "",
    env: [],
    secrets: [],
    volumes: [],
    aliasesEnabled: false,
    name: "quickrun",
    ...overrides,
    networks,
    defaultNetwork,
    steps: steps.map((step, index) => stepOf(step, index, { network: defaultNetwork })),
  };
}

/** A run log that keeps everything written, for exact comparisons. */
export class MemoryLog {
  text = "";
  write(text: string): void {
    this.text += text;
  }
  /** The lines with acb's timestamp prefix replaced by `<ts> `. */
  lines(): string[] {
    return this.text
      .split("\n")
      .map((line) => line.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, "<ts> "));
  }
}
