import type { CommandLoader, GroupEntry } from "../manifest.js";

export const accountGroups: Record<string, GroupEntry> = {};

export const accountCommands: Record<string, CommandLoader> = {};
