// The typed Node API for ACR tasks: one function per `az acr task` command, each taking az's
// arguments as an options object and returning what az prints (as data).

export { connect, type AcrConnection, type AcrSession, type AcrTarget } from "./session.js";
export type { AzObject, RegistryOptions, TaskOptions } from "./common.js";
export {
  createTask,
  deleteTask,
  listTasks,
  showTask,
  updateTask,
  type AuthMode,
  type BaseImageTriggerType,
  type CreateTaskOptions,
  type DeleteTaskOptions,
  type ShowTaskOptions,
  type TaskStatus,
  type UpdateTaskOptions,
  type UpdateTriggerPayloadType,
} from "./tasks.js";
export {
  assignTaskIdentity,
  removeTaskIdentity,
  showTaskIdentity,
  type TaskIdentityOptions,
} from "./task-identity.js";
export {
  addTaskCredential,
  listTaskCredentials,
  removeTaskCredential,
  updateTaskCredential,
  type SetTaskCredentialOptions,
  type TaskCredentialOptions,
} from "./task-credentials.js";
export {
  addTaskTimer,
  listTaskTimers,
  removeTaskTimer,
  updateTaskTimer,
  type AddTaskTimerOptions,
  type TaskTimerOptions,
  type UpdateTaskTimerOptions,
} from "./task-timers.js";
export { CliError } from "../cli/errors.js";
export {
  RUN_STATUSES,
  acrBuild,
  acrRun,
  cancelRun,
  createImageDigestLookup,
  listRuns,
  logChunks,
  runTask,
  showRun,
  taskLogs,
  updateRun,
  type AcrBuildOptions,
  type AcrRunOptions,
  type AzRun,
  type DataPlaneAccess,
  type ImageDigestLookup,
  type ImageOptions,
  type ListRunsOptions,
  type QuickRunResult,
  type RunLogOptions,
  type RunOptions,
  type RunStatus,
  type RunTaskOptions,
  type RunTaskResult,
  type TaskLogsOptions,
  type UpdateRunOptions,
} from "./runs.js";
export {
  deleteTaskRun,
  listTaskRuns,
  showTaskRun,
  taskRunLogs,
  type AzTaskRun,
  type DeleteTaskRunOptions,
  type TaskRunLogsOptions,
  type TaskRunOptions,
} from "./taskruns.js";
export {
  connectionFor,
  startLocalEmulator,
  type EmulatorConfig,
  type EmulatorOptions,
  type LocalEmulator,
} from "./emulator.js";
