// az acr task list-runs: the latest runs of a registry, filtered by task, status or image.

import type { ListRunsOptions } from "../../../api/runs.js";
import { lazyTransformer } from "./common.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { imageFilter, registry, resourceGroup } from "../arguments.js";
import { dataPlaneAccess } from "../run-common.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary:
    "List the runs of an Azure Container Registry, newest first, optionally only those of one " +
    "task.",
  arguments: [
    registry,
    {
      // az keeps the value as text and converts it only when it sends the request.
      name: "top",
      options: ["--top"],
      kind: "value",
      defaultValue: 15,
      help: "How many of the most recent runs to list at most.",
    },
    {
      name: "name",
      options: ["--name", "-n"],
      kind: "value",
      help: "Only the runs of the task with this name.",
    },
    {
      name: "runStatus",
      options: ["--run-status"],
      kind: "value",
      choices: [
        "Queued",
        "Started",
        "Running",
        "Succeeded",
        "Failed",
        "Canceled",
        "Error",
        "Timeout",
      ],
      help: "Only the runs in this state.",
    },
    {
      ...imageFilter,
      help: "Only the runs that produced this image, named alone, as 'name:tag' or 'name@digest'.",
    },
    resourceGroup,
  ],
  examples: [
    {
      title: "List the runs of a registry as a table.",
      command: "az acr task list-runs -r MyRegistry -o table",
    },
    {
      title: "List the runs of one task as a table.",
      command: "az acr task list-runs -r MyRegistry -n MyTask -o table",
    },
    {
      title: "List the ten latest runs of a registry that succeeded, as a table.",
      command: "az acr task list-runs -r MyRegistry --run-status Succeeded --top 10 -o table",
    },
    {
      title: "List the runs of a registry that built the image 'hello-world', as a table.",
      command: "az acr task list-runs -r MyRegistry --image hello-world -o table",
    },
  ],
};

const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { listRuns } = await import("../../../api/runs.js");
  return runTaskOperation(context, options, table, async (session, given: ListRunsOptions) => {
    // Only a tag needs the registry's data plane; the identity is looked up for it alone.
    const dataPlane = given.image ? await dataPlaneAccess(context) : undefined;
    return listRuns(session, { ...given, dataPlane, logger: context.logger });
  });
}
