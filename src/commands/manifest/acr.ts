import type { CommandLoader, GroupEntry } from "../manifest.js";

export const acrGroups: Record<string, GroupEntry> = {};

export const acrCommands: Record<string, CommandLoader> = {};
