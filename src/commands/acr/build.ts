// az acr build: queue a quick image build from a Dockerfile, and follow its log.

import type { AcrBuildOptions } from "../../api/runs.js";
import { lazyTransformer } from "./task/common.js";
import type { Context } from "../../cli/context.js";
import type { CommandResult, CommandSpec, ParsedOptions } from "../../cli/spec.js";
import {
  agentPool,
  authMode,
  imageNames,
  logTemplate,
  noFormat,
  noLogs,
  noWait,
  platform,
  registry,
  resourceGroup,
  target,
  timeout,
} from "./arguments.js";
import { afterRun, interruptibleSession, logOptions, untilInterrupted } from "./run-common.js";
import { runTaskOperation } from "./task/common.js";

export const spec: CommandSpec = {
  summary: "Queue a quick image build on an Azure Container Registry and stream its log.",
  arguments: [
    registry,
    {
      name: "sourceLocation",
      options: [],
      kind: "positional",
      required: true,
      metavar: "<SOURCE_LOCATION>",
      help:
        "Where the source comes from: a local directory ('./src', say), a git repository URL " +
        "('https://github.com/Azure-Samples/acr-build-helloworld-node.git', say), a remote " +
        "tarball ('http://server/context.tar.gz', say) or an OCI artifact in an Azure container " +
        "registry ('oci://myregistry.azurecr.io/myartifact:mytag', say).",
    },
    imageNames,
    resourceGroup,
    agentPool,
    timeout,
    {
      name: "buildArg",
      options: ["--build-arg"],
      kind: "append",
      help: "A Docker build argument, written name[=value]. Give --build-arg once for each.",
    },
    {
      name: "secretBuildArg",
      options: ["--secret-build-arg"],
      kind: "append",
      help:
        "A Docker build argument kept secret, written name[=value]. Give --secret-build-arg " +
        "once for each.",
    },
    {
      // Absent, az passes an empty path on and picks 'Dockerfile' itself.
      name: "file",
      options: ["--file", "-f"],
      kind: "value",
      defaultValue: "",
      help: "The Dockerfile, as a path from the root of the source; 'Dockerfile' when left out.",
    },
    noFormat,
    {
      // Unlike the three-state --no-push of the task commands, a plain switch here.
      name: "noPush",
      options: ["--no-push"],
      kind: "flag",
      help: "Keep the built image instead of pushing it to the registry.",
    },
    noLogs,
    platform,
    target,
    authMode,
    logTemplate,
    {
      ...noWait,
      help: "Return as soon as the build is queued instead of waiting for it to end.",
    },
  ],
  examples: [
    {
      title: "Build a local directory for Linux, tag the image and push it to the registry.",
      command: "az acr build -t sample/hello-world:{{.Run.ID}} -r MyRegistry .",
    },
    {
      title:
        "Build a local directory for Linux, tag the image and push it to the registry, " +
        "without streaming the log.",
      command: "az acr build -t sample/hello-world:{{.Run.ID}} -r MyRegistry --no-logs .",
    },
    {
      title: "Build a local directory for Linux and keep the image out of the registry.",
      command: "az acr build -t sample/hello-world:{{.Run.ID}} -r MyRegistry --no-push .",
    },
    {
      title: "Build a local directory for Linux without pushing any image to the registry.",
      command: "az acr build -r MyRegistry .",
    },
    {
      title:
        "Build a remote GitHub repository for Windows, tag the image and push it to the " +
        "registry.",
      command:
        "az acr build -r MyRegistry https://github.com/Azure/acr-builder.git -f " +
        "Windows.Dockerfile --platform windows",
    },
    {
      title: "Build from an OCI artifact held in a registry.",
      command: "az acr build -r MyRegistry oci://myregistry.azurecr.io/myartifact:mytag",
    },
    {
      title:
        "Build a local directory for Linux on arm/v7, tag the image and push it to the registry.",
      command:
        "az acr build -t sample/hello-world:{{.Run.ID}} -r MyRegistry . --platform linux/arm/v7",
    },
  ],
};

// az 2.45 renders `--no-logs -o table` with its build transformer, which fails on every run
// ("Table output unavailable"); what comes back is a run, so it is shown as one.
const table = lazyTransformer("run");

export const tableTransformer = table.transform;

export async function run(options: ParsedOptions, context: Context): Promise<CommandResult> {
  const { acrBuild } = await import("../../api/runs.js");
  return untilInterrupted((signal) =>
    runTaskOperation(context, options, table, (session, given: AcrBuildOptions) =>
      acrBuild(interruptibleSession(session, signal), {
        ...given,
        ...logOptions(context, given, signal),
        logger: context.logger,
      }).then(afterRun),
    ),
  );
}
