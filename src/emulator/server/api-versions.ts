// Which api-versions each part of ARM accepts. Azure refuses a version it does not serve, and so
// does the emulator, unless it runs with --relax-api-versions (then any version is served with
// the shapes of the versions below).

import { ArmError } from "./types.js";

export const RELAX_SWITCH = "--relax-api-versions";

/** The Tasks surface: the versions ACR serves it under (2018-02-01-preview is another model). */
export const TASKS_API_VERSIONS = [
  "2018-09-01",
  "2019-04-01",
  "2019-06-01-preview",
  "2025-03-01-preview",
];

/** Registry resources: az 2.45 sends 2022-02-01-preview, SDK 11 2025-11-01, newer az newer. */
export const REGISTRY_API_VERSIONS = [
  "2017-10-01",
  "2019-05-01",
  "2019-12-01-preview",
  "2020-11-01-preview",
  "2021-06-01-preview",
  "2021-08-01-preview",
  "2021-09-01",
  "2021-12-01-preview",
  "2022-02-01-preview",
  "2022-12-01",
  "2023-01-01-preview",
  "2023-06-01-preview",
  "2023-07-01",
  "2023-08-01-preview",
  "2023-11-01-preview",
  "2024-11-01-preview",
  "2025-03-01-preview",
  "2025-04-01",
  "2025-05-01-preview",
  "2025-06-01-preview",
  "2025-11-01",
  "2026-01-01-preview",
  "2026-09-01-preview",
];

/** Microsoft.Resources: subscriptions, tenants, resource groups, the generic resource list. */
export const RESOURCES_API_VERSIONS = [
  "2015-01-01",
  "2016-06-01",
  "2018-05-01",
  "2019-06-01",
  "2019-07-01",
  "2019-10-01",
  "2019-11-01",
  "2020-01-01",
  "2020-06-01",
  "2020-10-01",
  "2021-01-01",
  "2021-04-01",
  "2022-01-01",
  "2022-09-01",
  "2022-12-01",
  "2023-07-01",
  "2024-03-01",
  "2024-07-01",
  "2024-11-01",
  "2025-01-01",
  "2025-04-01",
];

const TASKS_COLLECTIONS = new Set([
  "tasks",
  "runs",
  "taskruns",
  "agentpools",
  "schedulerun",
  "listbuildsourceuploadurl",
]);

/** The resource type ARM names in its message, and the versions it serves, for a path. */
function versionsFor(path: string): { type?: string; versions: string[] } {
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => segment.toLowerCase());
  const provider = segments.indexOf("microsoft.containerregistry");

  if (provider === -1) {
    return { versions: RESOURCES_API_VERSIONS };
  }
  const child = segments[provider + 3];
  if (child !== undefined && TASKS_COLLECTIONS.has(child)) {
    return { type: `registries/${child}`, versions: TASKS_API_VERSIONS };
  }
  return { type: "registries", versions: REGISTRY_API_VERSIONS };
}

/** Throws ARM's 400 unless `apiVersion` is one the path serves (or the check is relaxed). */
export function checkApiVersion(path: string, apiVersion: string | null, relaxed: boolean): void {
  if (apiVersion === null || apiVersion === "") {
    throw new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (relaxed) {
    return;
  }

  const { type, versions } = versionsFor(path);
  if (versions.includes(apiVersion)) {
    return;
  }
  const supported = versions.join(", ");

  if (type === undefined) {
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are '${supported}'. ` +
        `(The emulator serves any version when started with ${RELAX_SWITCH}.)`,
    );
  }
  throw new ArmError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location 'westus' and API version ` +
      `'${apiVersion}' for type '${type}'. The supported api-versions are '${supported}'. ` +
      `(The emulator serves any version when started with ${RELAX_SWITCH}.)`,
  );
}
