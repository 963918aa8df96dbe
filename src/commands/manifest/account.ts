import type { CommandLoader, GroupEntry } from "../manifest.js";

export const accountGroups: Record<string, GroupEntry> = {
  account: { summary: "Manage Azure subscription information." },
  cloud: { summary: "Manage registered Azure clouds." },
};

export const accountCommands: Record<string, CommandLoader> = {
  login: () => import("../login.js"),
  logout: () => import("../logout.js"),
  version: () => import("../version.js"),
  "account show": () => import("../account/show.js"),
  "account list": () => import("../account/list.js"),
  "account set": () => import("../account/set.js"),
  "account clear": () => import("../account/clear.js"),
  "account get-access-token": () => import("../account/get-access-token.js"),
  "cloud list": () => import("../cloud/list.js"),
  "cloud show": () => import("../cloud/show.js"),
  "cloud register": () => import("../cloud/register.js"),
  "cloud update": () => import("../cloud/update.js"),
  "cloud set": () => import("../cloud/set.js"),
  "cloud unregister": () => import("../cloud/unregister.js"),
  "cloud list-profiles": () => import("../cloud/list-profiles.js"),
};
