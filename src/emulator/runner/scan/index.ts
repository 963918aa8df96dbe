// The dependency scan and report of a build step, for the run executor (spec: runner §4.10, §4.14,
// §5.4, §6). File access, docker and git reach it through injected functions.

export {
  contextDirectory,
  dockerfilePath,
  gitReferenceAndSubdirectory,
  isRemoteContext,
  isSourceControlUrl,
  parseBuildString,
  remoteBuildWorkingDirectory,
  remoteContextWarning,
  replacePositionalContext,
  type BuildString,
} from "./build-string.js";
export {
  newImageDependencies,
  scanBuildDependencies,
  scannedDockerfilePath,
  SCAN_PROCESS_ERROR,
  SCAN_TIMEOUT_SECONDS,
  SCANNER_TIMEOUT_SECONDS,
  ScanError,
  type ImageDependencies,
  type ScanOptions,
  type ScanSource,
} from "./dependencies.js";
export { resolveDockerfileDependencies, type DockerfileDependencies } from "./dockerfile.js";
export {
  DIGEST_TIMEOUT_SECONDS,
  digestFromRepoDigests,
  parseRepoDigestsOutput,
  populateDigests,
  remoteDigestReference,
  repoDigestLookup,
  repoDigestPrefix,
  repoDigestsInspectArgs,
  SCRATCH_LATEST,
  type InspectOutcome,
  type PopulateDigestsOptions,
} from "./digests.js";
export {
  cloneGitRepository,
  downloadRemoteContext,
  isContextArchive,
  materializeGitContext,
  parseGitRemote,
  runHostGitCommand,
  supportsShallowClone,
  type GitCloneOptions,
  type GitCommandResult,
  type GitCommandRunner,
  type GitRemote,
} from "./remote-context.js";
export {
  resolveRegistryDigest,
  type RegistryCredential,
  type RegistryDigestOptions,
} from "./registry-digest.js";
export { directorySource } from "./source.js";
export { gitHeadRevision, runHostGit, type GitRunner } from "./git.js";
export {
  DOCKER_HUB_REGISTRY,
  newImageReference,
  normalizeImageTag,
  parseReference,
  type ImageReference,
} from "./reference.js";
export {
  renderDependencyJson,
  renderDependencyReport,
  renderDependencyYaml,
  renderRunConclusion,
  yamlScalar,
  type RunConclusion,
} from "./report.js";
