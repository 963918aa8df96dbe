/**
 * The task file as written (before defaults): the fields acb's task, step, secret, network,
 * volume and mount structures decode from YAML, with the Go zero value for anything absent.
 */
import { GoDecoder, parseGoYaml } from "./go-yaml.js";
import type { GoNode } from "./go-yaml.js";
import type { Network, Secret, VolumeMount } from "./model.js";

export interface RawVolume {
  name: string;
  /** File name → base64 value. */
  secret: Record<string, string>;
  /** Whether a non-null `secret:` key was written (an empty map and no map fail differently). */
  hasSecret: boolean;
}

export interface RawStep {
  id: string;
  cmd: string;
  build: string;
  workingDirectory: string;
  entryPoint: string;
  user: string;
  network: string;
  isolation: string;
  cpus: string;
  cache: string;
  volumeMounts: VolumeMount[];
  push: string[];
  env: string[];
  expose: string[];
  ports: string[];
  when: string[];
  retryOnErrors: string[];
  exitedWith: number[];
  exitedWithout: number[];
  timeout: number;
  startDelay: number;
  retryDelay: number;
  retries: number;
  repeat: number;
  cmdDownloadRetries: number;
  cmdDownloadRetryDelay: number;
  keep: boolean;
  detach: boolean;
  privileged: boolean;
  ignoreErrors: boolean;
  disableWorkingDirectoryOverride: boolean;
  pull: boolean;
}

export interface RawTask {
  version: string;
  stepTimeout: number;
  workingDirectory: string;
  env: string[];
  secrets: Secret[];
  networks: Network[];
  volumes: RawVolume[];
  steps: RawStep[];
}

export function emptyRawStep(): RawStep {
  return {
    id: "",
    cmd: "",
    build: "",
    workingDirectory: "",
    entryPoint: "",
    user: "",
    network: "",
    isolation: "",
    cpus: "",
    cache: "",
    volumeMounts: [],
    push: [],
    env: [],
    expose: [],
    ports: [],
    when: [],
    retryOnErrors: [],
    exitedWith: [],
    exitedWithout: [],
    timeout: 0,
    startDelay: 0,
    retryDelay: 0,
    retries: 0,
    repeat: 0,
    cmdDownloadRetries: 0,
    cmdDownloadRetryDelay: 0,
    keep: false,
    detach: false,
    privileged: false,
    ignoreErrors: false,
    disableWorkingDirectoryOverride: false,
    pull: false,
  };
}

/** Decodes task YAML; throws GoYamlError with yaml.v2's message on syntax or type errors. */
export function decodeTask(text: string): RawTask {
  const task: RawTask = {
    version: "",
    stepTimeout: 0,
    workingDirectory: "",
    env: [],
    secrets: [],
    networks: [],
    volumes: [],
    steps: [],
  };
  const root = parseGoYaml(text);
  if (root === null) return task;

  const decoder = new GoDecoder();
  decoder.struct(root, "graph.Task", (name, value) => {
    switch (name) {
      case "version":
        task.version = decoder.string(value);
        break;
      case "stepTimeout":
        task.stepTimeout = decoder.int(value);
        break;
      case "workingDirectory":
        task.workingDirectory = decoder.string(value);
        break;
      case "env":
        task.env = decoder.stringList(value);
        break;
      case "secrets":
        task.secrets = decoder.list(value, "[]*secretmgmt.Secret", (item) =>
          decodeSecret(decoder, item),
        );
        break;
      case "networks":
        task.networks = decoder.list(value, "[]*graph.Network", (item) =>
          decodeNetwork(decoder, item),
        );
        break;
      case "volumes":
        task.volumes = decoder.list(value, "[]*volume.Volume", (item) =>
          decodeVolume(decoder, item),
        );
        break;
      case "steps":
        task.steps = decoder.list(value, "[]*graph.Step", (item) => decodeStep(decoder, item));
        break;
    }
  });
  decoder.finish();
  return task;
}

function decodeSecret(decoder: GoDecoder, node: GoNode): Secret {
  const secret: Secret = { id: "", keyVault: "", clientId: "", aadResourceId: "" };
  decoder.struct(node, "secretmgmt.Secret", (name, value) => {
    if (name === "id") secret.id = decoder.string(value);
    else if (name === "keyvault") secret.keyVault = decoder.string(value);
    else if (name === "clientID") secret.clientId = decoder.string(value);
    else if (name === "aadresourceid") secret.aadResourceId = decoder.string(value);
  });
  return secret;
}

function decodeNetwork(decoder: GoDecoder, node: GoNode): Network {
  const network: Network = {
    name: "",
    driver: "",
    ipv6: false,
    skipCreation: false,
    isDefault: false,
  };
  decoder.struct(node, "graph.Network", (name, value) => {
    if (name === "name") network.name = decoder.string(value);
    else if (name === "driver") network.driver = decoder.string(value);
    else if (name === "ipv6") network.ipv6 = decoder.bool(value);
    else if (name === "skipCreation") network.skipCreation = decoder.bool(value);
    else if (name === "isDefault") network.isDefault = decoder.bool(value);
  });
  return network;
}

function decodeVolume(decoder: GoDecoder, node: GoNode): RawVolume {
  const volume: RawVolume = { name: "", secret: {}, hasSecret: false };
  decoder.struct(node, "volume.Volume", (name, value) => {
    if (name === "name") {
      volume.name = decoder.string(value);
    } else if (name === "secret") {
      volume.secret = Object.fromEntries(decoder.stringMap(value));
      volume.hasSecret = value.kind === "mapping";
    }
  });
  return volume;
}

function decodeMount(decoder: GoDecoder, node: GoNode): VolumeMount {
  const mount: VolumeMount = { name: "", mountPath: "" };
  decoder.struct(node, "volume.Mount", (name, value) => {
    if (name === "name") mount.name = decoder.string(value);
    else if (name === "mountPath") mount.mountPath = decoder.string(value);
  });
  return mount;
}

const STRING_FIELDS = [
  "id",
  "cmd",
  "build",
  "workingDirectory",
  "entryPoint",
  "user",
  "network",
  "isolation",
  "cpus",
  "cache",
] as const;
const STRING_LIST_FIELDS = {
  push: "push",
  env: "env",
  expose: "expose",
  ports: "ports",
  when: "when",
  retryOnErrors: "retryOnErrors",
} as const;
const INT_FIELDS = {
  timeout: "timeout",
  startDelay: "startDelay",
  retryDelay: "retryDelay",
  retries: "retries",
  repeat: "repeat",
  cmdDownloadRetries: "cmdDownloadRetries",
  cmdDownloadRetryDelay: "cmdDownloadRetryDelay",
} as const;
const BOOL_FIELDS = [
  "keep",
  "detach",
  "privileged",
  "ignoreErrors",
  "disableWorkingDirectoryOverride",
  "pull",
] as const;

function decodeStep(decoder: GoDecoder, node: GoNode): RawStep {
  const step = emptyRawStep();
  decoder.struct(node, "graph.Step", (name, value) => {
    if ((STRING_FIELDS as readonly string[]).includes(name)) {
      step[name as (typeof STRING_FIELDS)[number]] = decoder.string(value);
    } else if (Object.hasOwn(STRING_LIST_FIELDS, name)) {
      step[name as keyof typeof STRING_LIST_FIELDS] = decoder.stringList(value);
    } else if (Object.hasOwn(INT_FIELDS, name)) {
      step[name as keyof typeof INT_FIELDS] = decoder.int(value);
    } else if ((BOOL_FIELDS as readonly string[]).includes(name)) {
      step[name as (typeof BOOL_FIELDS)[number]] = decoder.bool(value);
    } else if (name === "exitedWith" || name === "exitedWithout") {
      step[name] = decoder.intList(value);
    } else if (name === "volumeMounts") {
      step.volumeMounts = decoder.list(value, "[]*volume.Mount", (item) =>
        decodeMount(decoder, item),
      );
    }
  });
  return step;
}
