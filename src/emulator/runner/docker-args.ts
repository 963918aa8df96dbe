// The exact docker invocations acb makes for a run (spec: runner §4.2–4.11): the `/bin/sh -c`
// strings of cmd and build steps, and the argv of network, config, login, pull and push
// containers. Only the image that acb calls `docker` differs: the runner's own docker command
// line image stands in for it (see images.ts).

import { posix } from "node:path";

export const WORKSPACE_MOUNT = "/workspace";
export const HOME_MOUNT = "/acb/home";
export const DOCKER_SOCKET = "/var/run/docker.sock";

/** The names and images a run's containers use. */
export interface RunDockerContext {
  /** The docker binary as it is written at the start of the shell strings. */
  docker: string;
  workspaceVolume: string;
  homeVolume: string;
  /** The image that runs `docker …` sub-commands in place of Docker Hub's `docker`. */
  dockerCliImage: string;
  /**
   * The engine's socket on the host, mounted at /var/run/docker.sock in containers that run
   * docker; /var/run/docker.sock unless the engine listens elsewhere (DOCKER_HOST).
   */
  hostDockerSocket?: string;
  /** Further local images standing in for images a cmd step names first (name → local tag). */
  imageSubstitutes?: Readonly<Record<string, string>>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
}

/** The step properties that shape a container (names as in the task file, after defaults). */
export interface ContainerStepFields {
  id: string;
  cmd?: string;
  build?: string;
  keep?: boolean;
  detach?: boolean;
  ports?: string[];
  expose?: string[];
  privileged?: boolean;
  user?: string;
  network?: string;
  isolation?: string;
  cpus?: string;
  entryPoint?: string;
  volumeMounts?: VolumeMount[];
  env?: string[];
  workingDirectory?: string;
  disableWorkingDirectoryOverride?: boolean;
}

/** The socket mount of containers that run docker. */
function socketMount(context: RunDockerContext): string {
  return `${context.hostDockerSocket ?? DOCKER_SOCKET}:${DOCKER_SOCKET}`;
}

/** The host socket of a DOCKER_HOST value, when it names a local unix socket. */
export function hostSocketOf(dockerHost: string | undefined): string | undefined {
  return dockerHost?.startsWith("unix://") ? dockerHost.slice("unix://".length) : undefined;
}

/** Go's path.Clean on a slash path: no trailing slash, no `.`/`..` segments left. */
export function cleanPath(path: string): string {
  if (path === "") {
    return ".";
  }
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith("/") ? normalized.slice(0, -1) : normalized;
}

/** A step's `--workdir`: absolute paths cleaned, others joined to /workspace. */
export function normalizeWorkingDirectory(workingDirectory: string | undefined): string {
  const directory = workingDirectory ?? "";
  if (posix.isAbsolute(directory)) {
    return cleanPath(directory);
  }
  return cleanPath(posix.join(WORKSPACE_MOUNT, directory));
}

/** The docker binary as a shell word: quoted only when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Replaces a cmd's leading image name by its local stand-in: `docker` by the runner's docker
 * command line image, others as the caller maps them. The text after it is kept byte for byte.
 */
export function withLocalImage(
  command: string,
  substitutes: Readonly<Record<string, string>>,
): string {
  const match = /^(\s*)(\S+)/.exec(command);
  const substitute =
    match && Object.hasOwn(substitutes, match[2]) ? substitutes[match[2]] : undefined;
  if (!match || substitute === undefined) {
    return command;
  }
  return `${match[1]}${substitute}${command.slice(match[0].length)}`;
}

/** Whether a build runs with the legacy builder, as acb forces unless DOCKER_BUILDKIT=1 is set. */
export function buildEnvironment(env: string[]): string[] {
  return env.includes("DOCKER_BUILDKIT=1") ? env : [...env, "DOCKER_BUILDKIT=0"];
}

function containerFlags(
  step: ContainerStepFields,
  context: RunDockerContext,
  isCmd: boolean,
): string[] {
  const pieces: string[] = [`${shellWord(context.docker)} run`];
  if (!step.keep) {
    pieces.push("--rm");
  }
  if (step.detach) {
    pieces.push("--detach");
  }
  for (const port of step.ports ?? []) {
    pieces.push(`-p ${port}`);
  }
  for (const exposed of step.expose ?? []) {
    pieces.push(`--expose ${exposed}`);
  }
  if (step.privileged) {
    pieces.push("--privileged");
  }
  if (step.user) {
    pieces.push(`--user ${step.user}`);
  }
  if (step.network) {
    pieces.push(`--network ${step.network}`);
  }
  if (step.isolation) {
    pieces.push(`--isolation ${step.isolation}`);
  }
  if (step.cpus) {
    pieces.push(`--cpus ${step.cpus}`);
  }
  if (isCmd && step.entryPoint) {
    pieces.push(`--entrypoint ${step.entryPoint}`);
  }
  pieces.push(`--name ${step.id}`);
  pieces.push(`--volume ${context.workspaceVolume}:${WORKSPACE_MOUNT}`);
  pieces.push(`--volume ${socketMount(context)}`);
  pieces.push(`--volume ${context.homeVolume}:${HOME_MOUNT}`);

  // acb keys the mounts by volume name: a volume listed twice in one step is mounted once, at
  // the path given last.
  const mounts = new Map<string, string>();
  for (const mount of step.volumeMounts ?? []) {
    mounts.set(mount.name, mount.mountPath);
  }
  for (const [name, mountPath] of mounts) {
    pieces.push(`--volume ${name}:${mountPath}`);
  }

  pieces.push(`--env HOME=${HOME_MOUNT}`);
  const env = isCmd ? (step.env ?? []) : buildEnvironment(step.env ?? []);
  for (const entry of env) {
    pieces.push(`--env ${entry}`);
  }
  if (!step.disableWorkingDirectoryOverride) {
    pieces.push(`--workdir ${normalizeWorkingDirectory(step.workingDirectory)}`);
  }
  return pieces;
}

/** The shell text of a cmd step, run as `/bin/sh -c <text>`. */
export function cmdStepShellCommand(step: ContainerStepFields, context: RunDockerContext): string {
  const pieces = containerFlags(step, context, true);
  const substitutes = { ...context.imageSubstitutes, docker: context.dockerCliImage };
  pieces.push(withLocalImage(step.cmd ?? "", substitutes));
  return pieces.join(" ");
}

/** The shell text of a build step (without build cache): `docker build` in the CLI image. */
export function buildStepShellCommand(
  step: ContainerStepFields,
  context: RunDockerContext,
): string {
  const pieces = containerFlags(step, context, false);
  pieces.push(`${context.dockerCliImage} build ${step.build ?? ""}`);
  return pieces.join(" ");
}

/** `docker network create` for a network of the task (labels let a later run find leftovers). */
export function networkCreateArgs(
  network: { name: string; driver?: string; ipv6?: boolean },
  labels: string[],
): string[] {
  const args = ["network", "create", network.name];
  if (network.ipv6) {
    args.push("--ipv6");
  }
  if (network.driver) {
    args.push("--driver", network.driver);
  }
  for (const label of labels) {
    args.push("--label", label);
  }
  return args;
}

/** The content acb writes to the home volume's `.docker/config.json`, tab-indented. */
export const DOCKER_CONFIG_JSON = JSON.stringify(
  { experimental: "enabled", HttpHeaders: { "X-Meta-Source-Client": "azure/acr/tasks" } },
  null,
  "\t",
);

/** The config container (§4.3): writes config.json into the home volume. */
export function dockerConfigArgs(containerName: string, context: RunDockerContext): string[] {
  const script = `mkdir -p ${HOME_MOUNT}/.docker && cat > ${HOME_MOUNT}/.docker/config.json`;
  return [
    "run",
    "--name",
    containerName,
    "--rm",
    "-i",
    "--volume",
    `${context.homeVolume}:${HOME_MOUNT}`,
    "--env",
    `HOME=${HOME_MOUNT}`,
    "--entrypoint",
    "sh",
    context.dockerCliImage,
    "-c",
    script,
  ];
}

/** The login container (§4.4); the password goes to its stdin. */
export function loginArgs(
  containerName: string,
  registry: string,
  username: string,
  context: RunDockerContext,
): string[] {
  return [
    "run",
    "--name",
    containerName,
    "--rm",
    "-i",
    "--volume",
    socketMount(context),
    "--volume",
    `${context.homeVolume}:${HOME_MOUNT}`,
    "--env",
    `HOME=${HOME_MOUNT}`,
    context.dockerCliImage,
    "login",
    "--username",
    username,
    "--password-stdin",
    registry,
  ];
}

/** The push container of one image (§4.11). */
export function pushArgs(
  containerName: string,
  image: string,
  context: RunDockerContext,
): string[] {
  return [
    "run",
    "--name",
    containerName,
    "--rm",
    "--volume",
    socketMount(context),
    "--volume",
    `${context.homeVolume}:${HOME_MOUNT}`,
    "--env",
    `HOME=${HOME_MOUNT}`,
    context.dockerCliImage,
    "push",
    image,
  ];
}

/** The explicit pull of a cmd step with `pull: true` (§4.8): the first word of its cmd. */
export function pullArgs(cmd: string, context: RunDockerContext): string[] {
  const firstWord = cmd.trim().split(/\s+/)[0] ?? "";
  return [
    "run",
    "--rm",
    "--volume",
    socketMount(context),
    context.dockerCliImage,
    "pull",
    firstWord,
  ];
}
