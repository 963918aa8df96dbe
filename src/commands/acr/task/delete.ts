// az acr task delete: remove a task, after a confirmation unless --yes.

import type { DeleteTaskOptions } from "../../../api/tasks.js";
import type { Context } from "../../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../../cli/spec.js";
import { registry, resourceGroup, taskName, yes } from "../arguments.js";
import { runTaskOperation } from "./common.js";

export const spec: CommandSpec = {
  summary: "Remove a task from an Azure Container Registry.",
  arguments: [taskName, registry, resourceGroup, yes],
  examples: [
    {
      title: "Remove one task from a registry.",
      command: "az acr task delete -n MyTask -r MyRegistry",
    },
  ],
};

/**
 * az asks on stdout and reads answers from the terminal until one is y or n (any case, nothing
 * trimmed). Without a terminal there is no confirm, and the Node API fails as az does.
 */
async function terminalConfirm(
  context: Context,
): Promise<((prompt: string) => Promise<boolean>) | undefined> {
  if (!process.stdin.isTTY) {
    return undefined;
  }
  const { createInterface } = await import("node:readline/promises");
  return async (prompt) => {
    const terminal = createInterface({ input: process.stdin, terminal: false });
    try {
      for (;;) {
        context.stdout.write(prompt);
        const answer = (await terminal.question("")).toLowerCase();
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
  const { deleteTask } = await import("../../../api/tasks.js");
  const confirm = await terminalConfirm(context);
  await runTaskOperation(context, options, undefined, (session, given: DeleteTaskOptions) =>
    deleteTask(session, { ...given, confirm }),
  );
  return undefined;
}
