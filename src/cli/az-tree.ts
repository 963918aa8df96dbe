// Facts about az 2.45's command tree that acrtask's parsers must follow.

/**
 * The command groups of az 2.45 that share a name with acrtask's (under acr, account and
 * cloud), each with the names one level below it. acrtask answers an unknown name in a group
 * itself ("misspelled") only when it implements every name az has there; in any other group
 * the name may be a real az command, so the invocation goes to az. Produced by
 * test/fixtures/parse-corpus/dump-az-groups.py from az's own command table.
 */
export const AZ_GROUP_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  account: [
    "clear",
    "get-access-token",
    "list",
    "list-locations",
    "lock",
    "management-group",
    "set",
    "show",
  ],
  "account lock": ["create", "delete", "list", "show", "update"],
  "account management-group": [
    "check-name-availability",
    "create",
    "delete",
    "entities",
    "hierarchy-settings",
    "list",
    "show",
    "subscription",
    "tenant-backfill",
    "update",
  ],
  "account management-group entities": ["list"],
  "account management-group hierarchy-settings": ["create", "delete", "list", "update"],
  "account management-group subscription": ["add", "remove", "show", "show-sub-under-mg"],
  "account management-group tenant-backfill": ["get", "start"],
  acr: [
    "agentpool",
    "build",
    "check-health",
    "check-name",
    "config",
    "connected-registry",
    "create",
    "credential",
    "delete",
    "encryption",
    "helm",
    "identity",
    "import",
    "list",
    "login",
    "manifest",
    "network-rule",
    "pack",
    "private-endpoint-connection",
    "private-link-resource",
    "replication",
    "repository",
    "run",
    "scope-map",
    "show",
    "show-endpoints",
    "show-usage",
    "task",
    "taskrun",
    "token",
    "update",
    "webhook",
  ],
  "acr agentpool": ["create", "delete", "list", "show", "update"],
  "acr config": ["authentication-as-arm", "content-trust", "retention", "soft-delete"],
  "acr config authentication-as-arm": ["show", "update"],
  "acr config content-trust": ["show", "update"],
  "acr config retention": ["show", "update"],
  "acr config soft-delete": ["show", "update"],
  "acr connected-registry": [
    "create",
    "deactivate",
    "delete",
    "get-settings",
    "install",
    "list",
    "list-client-tokens",
    "permissions",
    "repo",
    "show",
    "update",
  ],
  "acr connected-registry install": ["info", "renew-credentials"],
  "acr connected-registry permissions": ["show", "update"],
  "acr credential": ["renew", "show"],
  "acr encryption": ["rotate-key", "show"],
  "acr helm": ["delete", "install-cli", "list", "push", "repo", "show"],
  "acr helm repo": ["add"],
  "acr identity": ["assign", "remove", "show"],
  "acr manifest": [
    "delete",
    "list",
    "list-deleted",
    "list-deleted-tags",
    "list-metadata",
    "list-referrers",
    "metadata",
    "restore",
    "show",
    "show-metadata",
    "update-metadata",
  ],
  "acr manifest metadata": ["list", "show", "update"],
  "acr network-rule": ["add", "list", "remove"],
  "acr pack": ["build"],
  "acr private-endpoint-connection": ["approve", "delete", "list", "reject", "show"],
  "acr private-link-resource": ["list"],
  "acr replication": ["create", "delete", "list", "show", "update"],
  "acr repository": [
    "delete",
    "list",
    "list-deleted",
    "show",
    "show-manifests",
    "show-tags",
    "untag",
    "update",
  ],
  "acr scope-map": ["create", "delete", "list", "show", "update"],
  "acr task": [
    "cancel-run",
    "create",
    "credential",
    "delete",
    "identity",
    "list",
    "list-runs",
    "logs",
    "run",
    "show",
    "show-run",
    "timer",
    "update",
    "update-run",
  ],
  "acr task credential": ["add", "list", "remove", "update"],
  "acr task identity": ["assign", "remove", "show"],
  "acr task timer": ["add", "list", "remove", "update"],
  "acr taskrun": ["delete", "list", "logs", "show"],
  "acr token": ["create", "credential", "delete", "list", "show", "update"],
  "acr token credential": ["delete", "generate"],
  "acr webhook": [
    "create",
    "delete",
    "get-config",
    "list",
    "list-events",
    "ping",
    "show",
    "update",
  ],
  cloud: ["list", "list-profiles", "register", "set", "show", "unregister", "update"],
};

export interface HiddenOption {
  option: string;
  dest: string;
}

/**
 * The options az's command parsers hold between the global options and a command's own:
 * whether the global --subscription is there, and which hidden options (all taking zero or one
 * value) take part in abbreviation matching. ARM commands (acr …) have --subscription and a
 * hidden --__cmd__; the sign-in commands (login, logout, account, cloud) have no global
 * --subscription but a hidden --___SUBSCRIPTION and --cmd; version has --subscription and a
 * hidden --cmd.
 */
export function commandPrelude(path: string): {
  globalSubscription: boolean;
  hidden: readonly HiddenOption[];
} {
  const top = path.split(" ")[0];
  if (["login", "logout", "account", "cloud"].includes(top)) {
    return {
      globalSubscription: false,
      hidden: [
        { option: "--___SUBSCRIPTION", dest: "_subscription" },
        { option: "--cmd", dest: "__cmd__" },
      ],
    };
  }
  if (path === "version") {
    return { globalSubscription: true, hidden: [{ option: "--cmd", dest: "__cmd__" }] };
  }
  return { globalSubscription: true, hidden: [{ option: "--__cmd__", dest: "__cmd__" }] };
}

/** Whether az's help texts for the command end each example with a newline (all but login's). */
export function examplesEndInNewline(path: string): boolean {
  return path !== "login";
}
