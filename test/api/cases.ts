// The API call that matches each capture's az command line, for tests that go through every
// capture (see test/fixtures/api/captures/*.cmd for the az side).

import type { AcrConnection, AcrTarget } from "../../src/api/session.js";
import {
  addTaskCredential,
  listTaskCredentials,
  removeTaskCredential,
  updateTaskCredential,
} from "../../src/api/task-credentials.js";
import { assignTaskIdentity, showTaskIdentity } from "../../src/api/task-identity.js";
import {
  addTaskTimer,
  listTaskTimers,
  removeTaskTimer,
  updateTaskTimer,
} from "../../src/api/task-timers.js";
import { createTask, listTasks, showTask, updateTask } from "../../src/api/tasks.js";

export interface Case {
  // Each case pairs an operation with options of its own type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operation: (target: AcrTarget, options: any) => Promise<unknown>;
  options: object;
  extra?: Partial<AcrConnection>;
}

const mytask = { registry: "myreg", name: "mytask" };
const newtask = { registry: "myreg", name: "newtask" };
const UAMI =
  "/subscriptions/x/resourcegroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";

/** Captures whose command succeeded and printed JSON, by capture name. */
export const SUCCESSFUL_CASES: Record<string, Case> = {
  "01-task-list-json": { operation: listTasks, options: { registry: "myreg" } },
  "registry-paged": { operation: listTasks, options: { registry: "myreg" } },
  "list-empty": { operation: listTasks, options: { registry: "myreg", resourceGroup: "MyRG" } },
  show: { operation: showTask, options: mytask },
  "show-secure": { operation: showTask, options: { ...mytask, withSecureProperties: true } },
  "25-task-create-body": {
    operation: createTask,
    options: {
      ...newtask,
      contextPath: "https://github.com/foo/bar.git#mybranch:sub",
      file: "Dockerfile",
      image: ["img:{{.Run.ID}}"],
      gitAccessToken: "TOKEN123",
      arg: ["A=1", "B"],
      secretArg: ["S=2"],
      schedule: ["0 * * * *", "nightly:0 0 * * *"],
      assignIdentity: [
        "[system]",
        "/subscriptions/x/rg/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
      ],
      platform: "Linux/ARM64/v8",
      authMode: "None",
    },
  },
  "create-file-task": {
    operation: createTask,
    options: {
      ...newtask,
      contextPath: "https://dev.azure.com/org/proj/_git/repo#dev",
      file: "acb.yaml",
      set: ["a=1", "c"],
      setSecret: ["b=2"],
      values: "v.yaml",
      gitAccessToken: "T0",
      commitTriggerEnabled: false,
      pullRequestTriggerEnabled: true,
      baseImageTriggerEnabled: false,
      status: "Disabled",
      cpu: 4,
      timeout: 600,
      agentPool: "pool1",
      logTemplate: "acr/tasks:{{.Run.OS}}",
      platform: "windows",
      sourceTriggerName: "st",
      assignIdentity: [],
    },
  },
  "create-cmd": {
    operation: createTask,
    options: {
      ...newtask,
      contextPath: "/dev/null",
      cmd: "echo hi",
      set: ["x=1"],
      schedule: ["a:b:c"],
      baseImageTriggerType: "All",
      updateTriggerEndpoint: "https://hook.example.com",
      updateTriggerPayloadType: "Token",
      gitAccessToken: "T1",
      isSystemTask: true,
    },
  },
  "create-oci-docker": {
    operation: createTask,
    options: {
      ...newtask,
      contextPath: "oci://myreg.azurecr.io/ctx:1",
      file: "Dockerfile",
      noPush: true,
      noCache: true,
      target: "build",
      arg: ["HOME"],
      assignIdentity: ["[all]"],
    },
    extra: { env: { HOME: "/root" } },
  },
  "create-encoded-file": {
    operation: createTask,
    options: { ...newtask, contextPath: "/dev/null", file: "task.yaml", timeout: 28800 },
  },
  "create-system-task": {
    operation: createTask,
    options: {
      registry: "myreg",
      name: "quicktask",
      isSystemTask: true,
      timeout: 900,
      logTemplate: "t",
    },
  },
  "create-classic": {
    operation: createTask,
    options: { ...newtask, contextPath: "/dev/null", cmd: "x" },
  },
  "24-task-update-lro-output": {
    operation: updateTask,
    options: { ...mytask, status: "Enabled" },
  },
  "lro-update-async-json": {
    operation: updateTask,
    options: { ...mytask, status: "Enabled" },
    extra: { sleep: async () => undefined },
  },
  "update-docker-file": {
    operation: updateTask,
    options: { ...mytask, file: "Dockerfile.2", noPush: true },
  },
  "update-encoded-cmd": {
    operation: updateTask,
    options: { ...mytask, cmd: "echo x", timeout: 500, baseImageTriggerEnabled: true },
  },
  "update-quick": {
    operation: updateTask,
    options: { registry: "myreg", name: "quicktask", status: "Disabled", timeout: 100, cpu: 3 },
  },
  "identity-show": { operation: showTaskIdentity, options: mytask },
  "identity-show-none": { operation: showTaskIdentity, options: mytask },
  "identity-assign": {
    operation: assignTaskIdentity,
    options: { ...mytask, identities: ["[system]", UAMI] },
  },
  "identity-assign-all": {
    operation: assignTaskIdentity,
    options: { ...mytask, identities: ["[all]"] },
  },
  "credential-list": { operation: listTaskCredentials, options: mytask },
  "credential-list-nocred": { operation: listTaskCredentials, options: mytask },
  "credential-list-emptymap": { operation: listTaskCredentials, options: mytask },
  "credential-add": {
    operation: addTaskCredential,
    options: {
      ...mytask,
      loginServer: "new.azurecr.io",
      username: "bob",
      password: "https://KV.VAULT.AZURE.NET/secrets/pw",
      useIdentity: "[system]",
    },
  },
  "credential-add-nocred": {
    operation: addTaskCredential,
    options: { ...mytask, loginServer: "new.azurecr.io", username: "a", password: "b" },
  },
  "credential-update": {
    operation: updateTaskCredential,
    options: { ...mytask, loginServer: "other.azurecr.io", password: "newpw" },
  },
  "credential-remove": {
    operation: removeTaskCredential,
    options: { ...mytask, loginServer: "other.azurecr.io" },
  },
  "timer-list": { operation: listTaskTimers, options: mytask },
  "timer-list-notrigger": { operation: listTaskTimers, options: mytask },
  "timer-add": {
    operation: addTaskTimer,
    options: { ...mytask, timerName: "t2", schedule: "0 12 * * *" },
  },
  "timer-update-enabled": {
    operation: updateTaskTimer,
    options: { ...mytask, timerName: "t1", enabled: true },
  },
  "timer-remove": { operation: removeTaskTimer, options: { ...mytask, timerName: "t1" } },
  "timer-remove-unknown-keys": {
    operation: removeTaskTimer,
    options: { ...mytask, timerName: "t1" },
  },
  "update-docker-context": {
    operation: updateTask,
    options: {
      ...mytask,
      contextPath: "https://github.com/x/y.git#dev",
      arg: ["A=1"],
      secretArg: ["B=2"],
      image: ["i:1"],
      noCache: true,
      target: "t",
      platform: "Windows/ARM",
      cpu: 3,
      timeout: 100,
      agentPool: "p",
      authMode: "Default",
      logTemplate: "l",
      gitAccessToken: "NEW",
      commitTriggerEnabled: false,
      pullRequestTriggerEnabled: true,
      baseImageTriggerEnabled: false,
      baseImageTriggerType: "All",
      updateTriggerEndpoint: "https://e",
      updateTriggerPayloadType: "Token",
    },
  },
  "update-docker-to-file": {
    operation: updateTask,
    options: { ...mytask, file: "build.yaml", set: ["a=1"], values: "v.yaml" },
  },
  "update-file-task": {
    operation: updateTask,
    options: { ...mytask, setSecret: ["s=1"], values: "v2.yaml", commitTriggerEnabled: true },
  },
  "update-encoded-keep": { operation: updateTask, options: { ...mytask, set: ["v=1"] } },
  "update-encoded-context": {
    operation: updateTask,
    options: { ...mytask, contextPath: "https://github.com/q/r.git" },
  },
  "update-no-trigger": {
    operation: updateTask,
    options: { ...mytask, commitTriggerEnabled: true, baseImageTriggerEnabled: true },
  },
  "update-nocred-triggers": { operation: updateTask, options: { ...mytask, status: "Enabled" } },
  "update-to-null-context": {
    operation: updateTask,
    options: { ...mytask, contextPath: "/dev/null", file: "-" },
    extra: { readStdin: async () => "steps:\r\n  - cmd: x\n" },
  },
  "identity-assign-default": { operation: assignTaskIdentity, options: mytask },
  "identity-assign-bare": { operation: assignTaskIdentity, options: { ...mytask, identities: [] } },
  "credential-add-identity": {
    operation: addTaskCredential,
    options: {
      ...mytask,
      loginServer: "id.azurecr.io",
      useIdentity: "00000000-0000-0000-0000-000000000001",
    },
  },
  "credential-add-nothing": {
    operation: addTaskCredential,
    options: { ...mytask, loginServer: "bare.azurecr.io" },
  },
  "timer-add-disabled": {
    operation: addTaskTimer,
    options: { ...mytask, timerName: "t3", schedule: "1 1 * * *", enabled: false },
  },
  "timer-update-schedule": {
    operation: updateTaskTimer,
    options: { ...mytask, timerName: "t1", schedule: "5 5 * * *" },
  },
};
