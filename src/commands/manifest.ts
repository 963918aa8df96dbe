// The command tree. Modules load only when their command runs (or a group's help lists them),
// so start-up reads these tables and nothing else.

import type { CommandModule } from "../cli/spec.js";
import { acrCommands, acrGroups } from "./manifest/acr.js";
import { accountCommands, accountGroups } from "./manifest/account.js";
import { emulatorCommands, emulatorGroups } from "./manifest/emulator.js";

export type CommandLoader = () => Promise<CommandModule>;

export interface GroupEntry {
  summary: string;
  preview?: boolean;
}

/** Command groups by path ("acr task credential"), with the summary shown in help. */
export const groups: Record<string, GroupEntry> = {
  ...acrGroups,
  ...accountGroups,
  ...emulatorGroups,
};

/** Commands by path ("acr task create"). */
export const commands: Record<string, CommandLoader> = {
  ...acrCommands,
  ...accountCommands,
  ...emulatorCommands,
};
