// What a queued run asks the agent to do, read from the run request and, for a task's run, the
// task's step with the run's overrides: where the source comes from, which task file to run (a
// file in the source, an inline one, or the quick build ACR makes of a Dockerfile), with which
// values.

import type { Json } from "../resources/shapes.js";

/** Where a run's source context comes from. */
export type SourceLocation =
  /**
   * A tarball uploaded through listBuildSourceUploadUrl, by its path in the registry's container.
   */
  | { kind: "upload"; relativePath: string }
  /** A git repository: a local path, a file:// URL or a remote URL, with `#ref:folder`. */
  | { kind: "git"; url: string; ref?: string; folder?: string; token?: string };

export type TaskSource =
  /** A task file in the source context, by its path there. */
  | { kind: "file"; path: string; valuesPath?: string }
  /** The task text sent with the request (base64 in the request). */
  | { kind: "inline"; text: string; valuesText?: string }
  /** `az acr build`: a build of a Dockerfile and a push of its images. */
  | { kind: "build"; build: DockerBuild };

export interface DockerBuild {
  imageNames: string[];
  isPushEnabled: boolean;
  noCache: boolean;
  dockerFilePath: string;
  target?: string;
  /** `--build-arg` values, secret ones included. */
  arguments: { name: string; value: string }[];
}

export interface RunPlan {
  source?: SourceLocation;
  task: TaskSource;
  /** `--set` entries from the run's values (secret values included, as ACR sends them). */
  set: string[];
  /** The task's name for `{{.Run.TaskName}}`; empty for quick runs. */
  taskName: string;
  /** Registries the run logs in to besides its own (`az acr task credential add`). */
  customRegistries: { registry: string; username: string; password: string }[];
}

/** A request or task step that cannot run; the message goes to the run's log. */
export class RunPlanError extends Error {}

const NULL_CONTEXT = "/dev/null";

export function planRun(request: Json, task?: { name: string; properties: Json }): RunPlan {
  if (request.type === "TaskRunRequest") {
    if (task === undefined) {
      throw new RunPlanError("The task of this run no longer exists.");
    }
    return planTaskRun(
      task,
      isObject(request.overrideTaskStepProperties) ? request.overrideTaskStepProperties : {},
    );
  }

  const source = sourceLocationOf(stringOf(request.sourceLocation), undefined);
  const set = valuesOf(request.values);
  const common = {
    source,
    set,
    taskName: "",
    customRegistries: customRegistriesOf(request.credentials),
  };
  switch (request.type) {
    case "FileTaskRunRequest":
      return {
        ...common,
        task: {
          kind: "file",
          path: stringOf(request.taskFilePath) ?? "acb.yaml",
          valuesPath: stringOf(request.valuesFilePath),
        },
      };
    case "EncodedTaskRunRequest":
      return {
        ...common,
        task: {
          kind: "inline",
          text: decodeBase64(request.encodedTaskContent),
          valuesText:
            request.encodedValuesContent === undefined
              ? undefined
              : decodeBase64(request.encodedValuesContent),
        },
      };
    case "DockerBuildRequest":
      return { ...common, set: [], task: { kind: "build", build: dockerBuildOf(request) } };
    default:
      throw new RunPlanError(`The run request type '${String(request.type)}' is not supported.`);
  }
}

function planTaskRun(task: { name: string; properties: Json }, overrides: Json): RunPlan {
  const step = isObject(task.properties.step) ? task.properties.step : {};
  const contextPath = stringOf(overrides.contextPath) ?? stringOf(step.contextPath);
  const source = sourceLocationOf(contextPath, stringOf(step.contextAccessToken));
  const customRegistries = customRegistriesOf(task.properties.credentials);

  // Override values replace the task's of the same name, as the service merges them.
  const values = new Map<string, string>();
  for (const list of [step.values, overrides.values]) {
    for (const entry of Array.isArray(list) ? list : []) {
      if (isObject(entry) && typeof entry.name === "string") {
        values.set(entry.name, stringOf(entry.value) ?? "");
      }
    }
  }
  const set = [...values].map(([name, value]) => `${name}=${value}`);
  const common = { source, set, taskName: task.name, customRegistries };

  switch (step.type) {
    case "FileTask":
      return {
        ...common,
        task: {
          kind: "file",
          path: stringOf(overrides.file) ?? stringOf(step.taskFilePath) ?? "acb.yaml",
          valuesPath: stringOf(step.valuesFilePath),
        },
      };
    case "EncodedTask":
      return {
        ...common,
        task: {
          kind: "inline",
          text: decodeBase64(step.encodedTaskContent),
          valuesText:
            step.encodedValuesContent === undefined
              ? undefined
              : decodeBase64(step.encodedValuesContent),
        },
      };
    case "Docker": {
      const build = dockerBuildOf(step);
      if (typeof overrides.file === "string") {
        build.dockerFilePath = overrides.file;
      }
      if (typeof overrides.target === "string") {
        build.target = overrides.target;
      }
      if (Array.isArray(overrides.arguments)) {
        build.arguments = argumentsOf(overrides.arguments);
      }
      return { ...common, set: [], task: { kind: "build", build } };
    }
    default:
      throw new RunPlanError(`The task's step type '${String(step.type)}' is not supported.`);
  }
}

/**
 * A context path or source location: `/dev/null` or nothing means no source; a path the upload
 * URL handed out (`source/…`) is an upload; anything else is a git repository, local or remote,
 * with an optional `#ref:folder` as az and ACR read it.
 */
export function sourceLocationOf(
  location: string | undefined,
  token: string | undefined,
): SourceLocation | undefined {
  if (location === undefined || location === "" || location.toLowerCase() === NULL_CONTEXT) {
    return undefined;
  }
  if (/^source\//.test(location)) {
    return { kind: "upload", relativePath: location };
  }
  if (/^oci:\/\//i.test(location)) {
    throw new RunPlanError(`Artifact contexts ('${location}') are not supported by the emulator.`);
  }

  const hash = location.indexOf("#");
  const url = hash < 0 ? location : location.slice(0, hash);
  const fragment = hash < 0 ? "" : location.slice(hash + 1);
  const colon = fragment.indexOf(":");
  const ref = colon < 0 ? fragment : fragment.slice(0, colon);
  const folder = colon < 0 ? "" : fragment.slice(colon + 1);
  return {
    kind: "git",
    url,
    ...(ref !== "" ? { ref } : {}),
    ...(folder !== "" ? { folder } : {}),
    ...(token ? { token } : {}),
  };
}

function dockerBuildOf(source: Json): DockerBuild {
  return {
    imageNames: Array.isArray(source.imageNames) ? source.imageNames.filter(isString) : [],
    isPushEnabled: source.isPushEnabled !== false,
    noCache: source.noCache === true,
    dockerFilePath: stringOf(source.dockerFilePath) ?? "Dockerfile",
    ...(typeof source.target === "string" && source.target !== "" ? { target: source.target } : {}),
    arguments: argumentsOf(source.arguments),
  };
}

function argumentsOf(list: unknown): { name: string; value: string }[] {
  return (Array.isArray(list) ? list : [])
    .filter(isObject)
    .filter((entry) => typeof entry.name === "string")
    .map((entry) => ({ name: entry.name as string, value: stringOf(entry.value) ?? "" }));
}

function valuesOf(list: unknown): string[] {
  return argumentsOf(list).map(({ name, value }) => `${name}=${value}`);
}

/** `credentials.customRegistries` with plain user names and passwords (the emulator's kind). */
function customRegistriesOf(credentials: unknown): RunPlan["customRegistries"] {
  if (!isObject(credentials) || !isObject(credentials.customRegistries)) {
    return [];
  }
  const registries: RunPlan["customRegistries"] = [];
  for (const [registry, entry] of Object.entries(credentials.customRegistries)) {
    if (!isObject(entry) || !isObject(entry.userName) || !isObject(entry.password)) {
      continue;
    }
    const username = stringOf(entry.userName.value);
    const password = stringOf(entry.password.value);
    if (username !== undefined && password !== undefined) {
      registries.push({ registry, username, password });
    }
  }
  return registries;
}

function decodeBase64(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : "", "base64").toString("utf8");
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The task ACR runs for `az acr build`: one build step with the image names (prefixed with the
 * registry when they name none), then a push of them unless pushing is off.
 */
export function quickBuildTaskText(build: DockerBuild, loginServer: string): string {
  const images = build.imageNames.map((name) => qualifiedImage(name, loginServer));
  const words = [
    ...images.flatMap((image) => ["-t", image]),
    "-f",
    build.dockerFilePath,
    ...(build.target ? ["--target", build.target] : []),
    ...(build.noCache ? ["--no-cache"] : []),
    ...build.arguments.flatMap(({ name, value }) => ["--build-arg", `${name}=${value}`]),
    ".",
  ];
  const lines = [
    "version: v1.1.0",
    "steps:",
    `  - id: build`,
    `    build: ${JSON.stringify(words.join(" "))}`,
  ];
  if (build.isPushEnabled && images.length > 0) {
    lines.push(
      "  - id: push",
      "    push:",
      ...images.map((image) => `      - ${JSON.stringify(image)}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

function qualifiedImage(name: string, loginServer: string): string {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const namesRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  return namesRegistry ? name : `${loginServer}/${name}`;
}
