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
  "acr task credential": {
    summary:
      "Manage the custom registry credentials of a task. More on this at " +
      "https://aka.ms/acr/tasks/cross-registry-authentication.",
  },
  "acr task timer": { summary: "Manage the timer triggers of a task." },
  "acr task identity": {
    summary:
      "Manage the managed identities of a task. More on this at " +
      "https://aka.ms/acr/tasks/task-create-managed-identity.",
  },
  "acr taskrun": {
    summary: "Manage the taskruns of Azure Container Registries.",
    preview: true,
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
  "acr task credential add": () => import("../acr/task/credential/add.js"),
  "acr task credential list": () => import("../acr/task/credential/list.js"),
  "acr task credential update": () => import("../acr/task/credential/update.js"),
  "acr task credential remove": () => import("../acr/task/credential/remove.js"),
  "acr task timer add": () => import("../acr/task/timer/add.js"),
  "acr task timer list": () => import("../acr/task/timer/list.js"),
  "acr task timer update": () => import("../acr/task/timer/update.js"),
  "acr task timer remove": () => import("../acr/task/timer/remove.js"),
  "acr task identity assign": () => import("../acr/task/identity/assign.js"),
  "acr task identity remove": () => import("../acr/task/identity/remove.js"),
  "acr task identity show": () => import("../acr/task/identity/show.js"),
  "acr taskrun list": () => import("../acr/taskrun/list.js"),
  "acr taskrun show": () => import("../acr/taskrun/show.js"),
  "acr taskrun delete": () => import("../acr/taskrun/delete.js"),
  "acr taskrun logs": () => import("../acr/taskrun/logs.js"),
  "acr run": () => import("../acr/run.js"),
  "acr build": () => import("../acr/build.js"),
};
