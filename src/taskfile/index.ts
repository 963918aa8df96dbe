/**
 * The task-file front end shared by the local runner and the render command: from the raw text
 * of a task file to a validated, normalised task and its step graph (acb's steps before it runs
 * anything: comment stripping, version gate, aliases, rendering with values and secrets, YAML
 * decoding, defaults, validation).
 */
import {
  ALIAS_BANNER,
  AliasError,
  aliasesEnabled,
  expandImageAlias,
  findVersion,
  replaceAliases,
  resolveAliases,
  separateAliasBlock,
} from "./aliases.js";
import type { AliasDefinition } from "./aliases.js";
import { decodeTask } from "./decode.js";
import type { RawTask } from "./decode.js";
import { GoYamlError } from "./go-yaml.js";
import type { RunValues, Secret, StepGraph, Task } from "./model.js";
import { RenderError, renderText } from "./render.js";
import { buildStepGraph, normaliseTask, TaskValidationError, validateDecodedTask } from "./task.js";
import { buildRenderData, ValuesError } from "./values.js";
import type { RenderData } from "./values.js";

export type * from "./model.js";
export { ROOT_ID } from "./model.js";
export { ALIAS_BANNER, DEFAULT_LINUX_ALIASES } from "./aliases.js";
export { childrenOf, mergeEnvironment, normalisePushList } from "./task.js";
export { formatRunDate, parseSetValues, shellQuote } from "./values.js";

/** A task file acb would refuse; `message` is acb's full error line. */
export class TaskFileError extends Error {
  override name = "TaskFileError";

  /**
   * Lines acb logs before it fails (the alias banner, a recovered template panic), in order, for
   * the caller to log ahead of the error.
   */
  log: string[] = [];
}

export interface LoadTaskOptions {
  /** Name used in template error messages ("decoded" for encoded files). */
  fileName: string;
  /** The raw task file. */
  text: string;
  /** A values file's YAML. */
  valuesText?: string;
  /** `--set key=value` entries. */
  set?: string[];
  /** `.Run` values. */
  run: RunValues;
  /** `--env` defaults. */
  env?: string[];
  /** `--network`. */
  network?: string;
  /** `--working-directory`: the default when the task sets none. */
  workingDirectory?: string;
  /** Resolves the task's `secrets:` to values by id. */
  resolveSecrets?: (secrets: Secret[]) => Promise<Record<string, string>>;
  /** Directory that relative alias `src` files are read from (default: the current directory). */
  aliasBaseDirectory?: string;
  /** Fetches an http(s) alias `src`; rejects with the error text acb would give. */
  fetchAliasSource?: (url: string) => Promise<string>;
  /** Built-in aliases to use instead of acb's Linux defaults. */
  defaultAliases?: Readonly<Record<string, string>>;
}

export interface LoadedTask {
  task: Task;
  /** The line acb logs when alias support is on (to be logged by the caller). */
  aliasBanner?: string;
  graph: StepGraph;
  /** The task text after alias replacement, before rendering (acb's debug output shows it). */
  processedText: string;
  /** The task text after rendering. */
  renderedText: string;
  /** Other lines acb would log while loading (e.g. a recovered template panic), not the banner. */
  log: string[];
}

/**
 * Drops every line whose trimmed text starts with `#` (also inside block scalars), as acb does
 * before anything else.
 */
export function stripCommentLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n");
}

export async function loadTask(options: LoadTaskOptions): Promise<LoadedTask> {
  const log: string[] = [];
  try {
    return await loadTaskLogging(options, log);
  } catch (error) {
    if (error instanceof TaskFileError) error.log = log;
    throw error;
  }
}

async function loadTaskLogging(options: LoadTaskOptions, log: string[]): Promise<LoadedTask> {
  const text = stripCommentLines(options.text);

  const useAliases = aliasesEnabled(findVersion(text));
  if (useAliases) log.push(ALIAS_BANNER);
  let template = text;
  let aliases: AliasDefinition | undefined;
  let data: RenderData | undefined;

  if (useAliases) {
    const { aliasText, rest } = separateAliasBlock(text);

    let renderedAlias = "";
    if (aliasText !== "") {
      data = renderData(options, "unable to render alias data");
      renderedAlias = await renderOrFail(
        "aliasData",
        aliasText,
        data,
        "unable to render alias data",
        log,
      );
    }

    try {
      aliases = await resolveAliases(renderedAlias, {
        baseDirectory: options.aliasBaseDirectory ?? process.cwd(),
        fetchText: options.fetchAliasSource,
        defaults: options.defaultAliases,
      });
    } catch (error) {
      if (!(error instanceof AliasError)) throw error;
      throw new TaskFileError(`unable to search/replace aliases in task: ${error.message}`);
    }
    template = replaceAliases(rest, aliases);
  }

  let rendered = "";
  if (template !== "") {
    data ??= renderData(options, "unable to render task");
    data.Secrets = await resolveTaskSecrets(options, template, data, log);
    rendered = await renderOrFail(options.fileName, template, data, "unable to render task", log);
  }

  const { task, graph } = parseRenderedTask(rendered, options, useAliases);
  if (aliases) {
    for (const step of task.steps) {
      if (step.cmd !== "") step.cmd = expandImageAlias(step.cmd, aliases);
    }
  }

  return {
    task,
    aliasBanner: useAliases ? ALIAS_BANNER : undefined,
    graph,
    processedText: template,
    renderedText: rendered,
    log: log.filter((line) => line !== ALIAS_BANNER),
  };
}

function renderData(options: LoadTaskOptions, prefix: string): RenderData {
  try {
    return buildRenderData(options.run, options.valuesText, options.set);
  } catch (error) {
    if (error instanceof ValuesError) throw new TaskFileError(`${prefix}: ${error.message}`);
    throw error;
  }
}

async function renderOrFail(
  name: string,
  text: string,
  data: RenderData,
  prefix: string,
  log: string[],
): Promise<string> {
  let rendered: string;
  try {
    rendered = await renderText(name, text, data, { log: (line) => log.push(line) });
  } catch (error) {
    if (error instanceof RenderError) {
      throw new TaskFileError(`${prefix}: error while rendering templates: ${error.message}`);
    }
    throw error;
  }
  if (rendered === "") throw new TaskFileError(`${prefix}: rendered template was empty`);
  return rendered;
}

/**
 * acb's secret pass: only when the text mentions `secrets`, render once with no secrets, read
 * the task's `secrets:` from that and resolve them for the final render.
 */
async function resolveTaskSecrets(
  options: LoadTaskOptions,
  template: string,
  data: RenderData,
  log: string[],
): Promise<Record<string, string>> {
  if (!template.includes("secrets")) return {};

  const fail = (message: string) =>
    new TaskFileError(
      `unable to render task: failed to resolve secrets in the task with error: ${message}`,
    );

  let firstPass: string;
  try {
    firstPass = await renderText(
      options.fileName,
      template,
      { ...data, Secrets: {} },
      { log: (line) => log.push(line) },
    );
  } catch (error) {
    if (error instanceof RenderError) {
      throw fail(`failed to render the template: ${error.message}`);
    }
    throw error;
  }
  if (firstPass === "") throw fail("rendered template was empty");

  let raw: RawTask;
  try {
    raw = decodeTask(firstPass);
    validateDecodedTask(raw);
  } catch (error) {
    if (error instanceof GoYamlError || error instanceof TaskValidationError) {
      throw fail(`failed to parse template to create task: ${error.message}`);
    }
    throw error;
  }
  if (raw.secrets.length === 0) return {};

  if (!options.resolveSecrets) {
    throw fail("no secret resolver is available for this run");
  }
  try {
    return await options.resolveSecrets(raw.secrets.map((secret) => ({ ...secret })));
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
}

function parseRenderedTask(
  rendered: string,
  options: LoadTaskOptions,
  useAliases: boolean,
): { task: Task; graph: StepGraph } {
  const prefix = "failed to unmarshal task before running";

  let raw: RawTask;
  try {
    raw = decodeTask(rendered);
    validateDecodedTask(raw);
  } catch (error) {
    if (error instanceof GoYamlError || error instanceof TaskValidationError) {
      throw new TaskFileError(
        `${prefix}: failed to deserialize task and validate: ${error.message}`,
      );
    }
    throw error;
  }

  try {
    const task = normaliseTask(raw, {
      env: options.env,
      network: options.network,
      workingDirectory: options.workingDirectory,
      taskName: options.run.taskName,
      registry: options.run.registry,
      aliasesEnabled: useAliases,
    });
    const graph = buildStepGraph(task.steps, raw.steps);
    return { task, graph };
  } catch (error) {
    if (error instanceof TaskValidationError) {
      throw new TaskFileError(`${prefix}: ${error.message}`);
    }
    throw error;
  }
}
export { StepScheduler } from "./graph.js";
