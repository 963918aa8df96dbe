// The local ACR Tasks runner: executes a decoded task on the Docker engine as acb does.

export { executeRun, splitImageReference } from "./execute.js";
export type {
  BuildDependencies,
  BuildDependencyContext,
  BuildRewrite,
  ExecuteRunOptions,
  PushedImage,
  RegistryLogin,
  RunOutcome,
  RunSource,
  RunStatus,
  StepOutcome,
  StepStatus,
} from "./execute.js";
export { workspaceBuildDependencies } from "./dependencies.js";
export type { WorkspaceBuildDependencies } from "./dependencies.js";
export type { RunLog } from "./log.js";
export { formatRunDuration, logTimestamp } from "./log.js";
export { ensureBusyboxImage, ensureDockerCliImage } from "./images.js";
export type { ProcessRequest, ProcessResult, ProcessRunner } from "./process.js";
export { stepGraphOf } from "./graph.js";
