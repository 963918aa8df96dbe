import type { CommandLoader, GroupEntry } from "../manifest.js";

export const emulatorGroups: Record<string, GroupEntry> = {
  emulator: { summary: "Run and use the local emulator of Azure Container Registry Tasks." },
};

export const emulatorCommands: Record<string, CommandLoader> = {
  "emulator start": () => import("../emulator/start.js"),
  "emulator use": () => import("../emulator/use.js"),
  "emulator az-env": () => import("../emulator/az-env.js"),
};
