// az acr taskrun delete: remove a taskrun, after a confirmation unless --yes.

import type { DeleteTaskRunOptions } from "../../../api/taskruns.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskrunName, yes } from "../arguments.js";
import { runTaskOperation } from "../task/common.js";

export const spec: CommandSpec = {
  summary: "Remove a taskrun from an Azure Container Registry.",
  preview: true,
  arguments: [taskrunName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one taskrun from a registry.",
      command: "az acr taskrun delete -r MyRegistry -n MyTaskRun -g MyResourceGroup",
    },
  ],
};

/**
 * az asks on stdout and reads answers from the terminal until one is y or n (any case). With
 * no terminal there is nothing to ask with, and the Node API fails as az does. Lines typed
 * ahead of the next prompt are kept for it; the end of the input counts as no.
 */
async function terminalConfirm(
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

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { deleteTaskRun } = await import("../../../api/taskruns.js");
  const confirm = await terminalConfirm(context);
  await runTaskOperation(context, options, undefined, (session, given: DeleteTaskRunOptions) =>
    deleteTaskRun(session, { ...given, confirm, logger: context.logger }),
  );
  return undefined;
}
