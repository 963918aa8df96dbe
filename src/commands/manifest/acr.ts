import type { CommandLoader, GroupEntry } from "../manifest.js";

// az has many more acr commands (acr create, acr login, …); those are not listed here and go to
// the real az. Group help lists only the commands below.
export const acrGroups: Record<string, GroupEntry> = {
  acr: { summary: "Manage private Azure Container Registries." },
  "acr task": {
    summary:
      "Manage tasks: series of steps that build, test and patch (OS and framework) container " +
      "images in Azure Container Registries.",
  },
};

export const acrCommands: Record<string, CommandLoader> = {
  "acr task create": () => import("../acr/task/create.js"),
  "acr task show": () => import("../acr/task/show.js"),
  "acr task list": () => import("../acr/task/list.js"),
  "acr task update": () => import("../acr/task/update.js"),
  "acr task delete": () => import("../acr/task/delete.js"),
  "acr task run": () => import("../acr/task/run.js"),
  "acr task logs": () => import("../acr/task/logs.js"),
  "acr task list-runs": () => import("../acr/task/list-runs.js"),
  "acr task show-run": () => import("../acr/task/show-run.js"),
  "acr task update-run": () => import("../acr/task/update-run.js"),
  "acr task cancel-run": () => import("../acr/task/cancel-run.js"),
};
