import { readFileSync } from "node:fs";
import path from "node:path";

import { loadTask, ROOT_ID, stripCommentLines, TaskFileError } from "../../src/taskfile/index.js";
import type { LoadTaskOptions, RunValues } from "../../src/taskfile/index.js";
import { buildCacheReference, mergeEnvironment } from "../../src/taskfile/task.js";

const run: RunValues = {
  id: "cab",
  registry: "myregistry.azurecr.io",
  date: new Date(Date.UTC(2010, 4, 20, 13, 14, 22)),
  sharedVolume: "acb_vol_test",
  os: "linux",
  osVersion: "",
  architecture: "amd64",
  commit: "",
  branch: "",
  repository: "",
  gitTag: "",
  triggeredBy: "",
  taskName: "",
};

function fixture(name: string): string {
  return readFileSync(path.join(__dirname, "../fixtures/taskfile", name), "utf8");
}

function load(text: string, options: Partial<LoadTaskOptions> = {}) {
  return loadTask({ fileName: "acb.yaml", text, run, ...options });
}

async function loadError(text: string, options: Partial<LoadTaskOptions> = {}): Promise<string> {
  try {
    await load(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskFileError);
    return (error as Error).message;
  }
  throw new Error("the task loaded without an error");
}

const UNMARSHAL = "failed to unmarshal task before running: ";
const DESERIALIZE = UNMARSHAL + "failed to deserialize task and validate: ";

describe("T-P1 acr-builder's graph/testdata/acb.yaml", () => {
  test("graph, env merge, retry delay, network, timeout, version", async () => {
    const { task, graph } = await load(fixture("acr-builder__graph_testdata__acb.yaml"));

    expect(graph.roots).toEqual(["puller", "build-qux", "C", "build-bar"]);
    expect(graph.children.get(ROOT_ID)).toEqual(["puller", "build-qux", "C", "build-bar"]);
    expect(graph.children.get("C")).toEqual(["B"]);
    expect(graph.children.get("build-qux")).toEqual(["build-foo"]);
    expect(graph.children.get("build-foo")).toEqual(["build-qaz"]);
    expect(graph.children.get("puller")).toEqual([]);
    expect(graph.inDegree.get("build-qaz")).toBe(1);
    expect(graph.order).toEqual([
      "puller",
      "build-qux",
      "C",
      "build-bar",
      "B",
      "build-foo",
      "build-qaz",
    ]);

    const byId = Object.fromEntries(task.steps.map((step) => [step.id, step]));
    expect(byId.puller.env).toEqual(["eric=foo", "foo=bar"]);
    expect(byId["build-foo"].env).toEqual(["eric=foo", "foo=taskEnv"]);
    expect(byId.C.env).toEqual(["foo=taskEnv"]);
    expect(byId.puller.retryDelay).toBe(90);
    expect(
      task.steps.filter((step) => step.id !== "puller").map((step) => step.retryDelay),
    ).toEqual([5, 5, 5, 5, 5, 5]);
    expect(task.steps.map((step) => step.network)).toEqual([
      "acb_default_network",
      "acb_default_network",
      "acb_default_network",
      "acb_default_network",
      "acb_default_network",
      "acb_default_network",
      "host",
    ]);
    expect(task.steps.every((step) => step.timeout === 600)).toBe(true);
    expect(task.version).toBe("v1.0.0");
    expect(byId["build-qaz"]).toMatchObject({
      kind: "build",
      tags: [],
      repeat: 2,
      privileged: true,
      user: "root",
    });
    expect(byId.puller).toMatchObject({
      kind: "cmd",
      entryPoint: "someEntryPoint",
      exitedWithout: [0, 255],
      workingDirectory: "pullDir",
      retries: 5,
      pull: true,
    });
    expect(byId.C).toMatchObject({
      ports: ["8000:8000", "8080:8080"],
      expose: ["80", "81"],
      keep: true,
      isolation: "default",
    });
    expect(task.networks).toEqual([
      {
        name: "acb_default_network",
        driver: "bridge",
        ipv6: false,
        skipCreation: false,
        isDefault: true,
      },
    ]);
  });
});

describe("step validation (acr-builder's step tests)", () => {
  test.each([
    ["cmd: a\n    push: [b]", "step must only contain a single build, cmd, or push property"],
    ["cmd: a\n    build: b", "step must only contain a single build, cmd, or push property"],
    ["build: a\n    push: [b]", "step must only contain a single build, cmd, or push property"],
    ["id: foo", "step is missing a cmd, build, or push property"],
    ['id: "foo bar"\n    cmd: a', "step ID cannot contain spaces"],
    [
      'cmd: a\n    when: ["-", "c"]',
      "step cannot contain other IDs in when if the immediate execution token is specified",
    ],
    ["id: a\n    cmd: a\n    when: [a]", "Step ID: a is self-referenced"],
    ["cmd: a\n    retries: -1", "step must specify retries >= 0"],
    ["cmd: a\n    repeat: -1", "step must specify repeat >= 0"],
    [
      "build: .\n    cache: blah",
      "invalid value for cache property. Valid values are 'enabled', 'disabled'",
    ],
    ["id: acb_root\n    cmd: a", "acb_root is a reserved ID, it can't be used"],
    ['cmd: a\n    when: [""]', "from cannot be empty"],
    [
      "id: a\n    cmd: a\n    when: [later]",
      "later does not exist as a vertex [from: later, to: a]",
    ],
  ])("%j → %s", async (step, message) => {
    expect(await loadError(`steps:\n  - ${step}\n  - id: later\n    cmd: b\n`)).toBe(
      UNMARSHAL + message,
    );
  });

  test("T-P3/T-P2: the retries check comes before the step-type check", async () => {
    expect(await loadError("steps:\n  - cmd: a\n    build: b\n    retries: -1\n")).toBe(
      UNMARSHAL + "step must specify retries >= 0",
    );
  });

  test("T-P5 duplicate ids", async () => {
    expect(await loadError("steps:\n  - id: a\n    cmd: x\n  - id: a\n    cmd: y\n")).toBe(
      UNMARSHAL + "a already exists as a vertex",
    );
  });

  test("T-P5 a step may only wait for earlier steps", async () => {
    expect(
      await loadError("steps:\n  - id: a\n    cmd: x\n    when: [b]\n  - id: b\n    cmd: y\n"),
    ).toBe(UNMARSHAL + "b does not exist as a vertex [from: b, to: a]");
  });

  test("a dependency listed twice makes one edge", async () => {
    const { graph } = await load(
      "steps:\n  - id: a\n    cmd: x\n  - id: b\n    cmd: y\n    when: [a, a]\n",
    );
    expect(graph.children.get("a")).toEqual(["b"]);
    expect(graph.inDegree.get("b")).toBe(1);
  });
});

describe("T-P7 versions", () => {
  test.each(["v1.0.0-alpha", "foo"])("%s is rejected", async (version) => {
    expect(await loadError(`version: ${version}\nsteps:\n  - cmd: a\n`)).toBe(
      UNMARSHAL + `invalid version specified: "${version}", the current version is "v1.0.0"`,
    );
  });

  test.each(["1.0-preview-1", "v1.0.0", "V1.1.0", "v1.1.0"])("%s is accepted", async (version) => {
    const { task } = await load(`version: ${version}\nsteps:\n  - cmd: a\n`);
    expect(task.version).toBe(version);
  });

  test("absent → v1.0.0", async () => {
    expect((await load("steps:\n  - cmd: a\n")).task.version).toBe("v1.0.0");
  });
});

describe("T-P8 timeouts", () => {
  test("stepTimeout 0 → 600; a step's 0 inherits", async () => {
    const { task } = await load("stepTimeout: 0\nsteps:\n  - cmd: a\n    timeout: 0\n");
    expect(task.stepTimeout).toBe(600);
    expect(task.steps[0].timeout).toBe(600);
  });

  test("stepTimeout 20000 is kept and inherited; a step's own timeout wins", async () => {
    const { task } = await load(
      "stepTimeout: 20000\nsteps:\n  - cmd: a\n  - cmd: b\n    timeout: 3\n",
    );
    expect(task.steps.map((step) => step.timeout)).toEqual([20000, 3]);
  });

  test("retryDelay 0 or negative → 5", async () => {
    const { task } = await load(
      "steps:\n  - cmd: a\n    retryDelay: 0\n  - cmd: b\n    retryDelay: -4\n",
    );
    expect(task.steps.map((step) => step.retryDelay)).toEqual([5, 5]);
  });
});

describe("T-P9 env merge table", () => {
  test.each([
    [["k1=v1", "k2=v2", "k3=v3"], [], ["k1=v1", "k2=v2", "k3=v3"]],
    [
      ["k1=v1", "k2=v2", "k3=val3"],
      ["k1=newVal1", "k2=newVal2"],
      ["k1=newVal1", "k2=newVal2", "k3=val3"],
    ],
    [
      ["key1=val1,key2=val2,key3=val3"],
      ["key1=newVal1", "key2=newVal2", "key3=newVal3="],
      ["key1=newVal1", "key2=newVal2", "key3=newVal3="],
    ],
    [
      ["key1=val1,key2=val2", "key3=val3,key4=val4"],
      ["key1=newVal1", "key2=newVal2"],
      ["key1=newVal1", "key2=newVal2", "key3=val3", "key4=val4"],
    ],
  ])("task %j, step %j → %j", (taskEnv, stepEnv, expected) => {
    expect(mergeEnvironment(stepEnv, taskEnv)).toEqual(expected);
  });

  test("--env does not override the task's own keys", async () => {
    const { task } = await load("env: [a=b, c=d]\nsteps:\n  - cmd: x\n", { env: ["a=g"] });
    expect(task.env).toEqual(["a=b", "c=d"]);
  });

  test("--env entries are comma-split and appended", async () => {
    const { task } = await load("env: [a=b]\nsteps:\n  - cmd: x\n", { env: ["c=d,e=f"] });
    expect(task.env).toEqual(["a=b", "c=d", "e=f"]);
    expect(task.steps[0].env).toEqual(["a=b", "c=d", "e=f"]);
  });

  test("a task entry without = is an error when merged into a step", async () => {
    expect(await loadError('env: ["A=x,y"]\nsteps:\n  - cmd: x\n')).toBe(
      UNMARSHAL +
        "failed to merge task and step environment variables: cannot parse task " +
        "environment variable y correctly",
    );
  });

  test("a step entry without = is an error only when the task has env", async () => {
    expect(await loadError("env: [A=1]\nsteps:\n  - cmd: x\n    env: [B]\n")).toBe(
      UNMARSHAL +
        "failed to merge task and step environment variables: cannot parse step " +
        "environment variable B correctly",
    );
    expect((await load("steps:\n  - cmd: x\n    env: [B]\n")).task.steps[0].env).toEqual(["B"]);
  });

  test("a bad --env entry", async () => {
    expect(await loadError("env: [A=1]\nsteps:\n  - cmd: x\n", { env: ["nope"] })).toBe(
      UNMARSHAL + "cannot parse task environment variable nope correctly",
    );
  });
});

describe("T-P10 secrets", () => {
  const twoSecrets =
    "secrets:\n  - id: mysecret1\n    keyvault: " +
    "https://myvault.vault.azure.net/secrets/a\n  - id: mysecret2\n    keyvault: " +
    "https://myvault.vault.azure.net/secrets/b\n    clientID: " +
    "c1a1b7a4-5d7e-4f1b-9d5a-0f2b3c4d5e6f\n";

  test("two valid secrets are resolved and rendered", async () => {
    const resolveSecrets = jest.fn(async () => ({ mysecret1: "one", mysecret2: "two" }));
    const { task } = await load(twoSecrets + "steps:\n  - cmd: a\n", { resolveSecrets });
    expect(task.secrets.map((secret) => secret.id)).toEqual(["mysecret1", "mysecret2"]);
    expect(resolveSecrets).toHaveBeenCalledTimes(1);
  });

  test.each([
    [
      "  - id: s\n",
      "failed to validate secret with ID: s: secret should contain either keyvault " +
        "property for vault secret, or msi clientID/aadResourceId for msi authentication",
    ],
    ["  - keyvault: x\n", "secret is missing an ID as well as auto-generated ID"],
    [
      "  - id: a b\n    keyvault: x\n",
      "failed to validate secret with ID: a b: secret ID cannot contain spaces",
    ],
    [
      "  - id: s\n    keyvault: x\n    clientID: nope\n",
      "failed to validate secret with ID: s: msi client ID is not a valid guid",
    ],
    [
      "  - id: mysecret1\n    keyvault: x\n  - id: mysecret1\n    aadresourceid: y\n",
      "duplicate secret found with ID: mysecret1",
    ],
  ])("%j → %s", async (secrets, message) => {
    expect(
      await loadError(`secrets:\n${secrets}steps:\n  - cmd: a\n`, {
        resolveSecrets: async () => ({}),
      }),
    ).toBe(
      "unable to render task: failed to resolve secrets in the " +
        "task with error: failed to parse template to create task: " +
        message,
    );
  });

  test("an empty secrets list is fine", async () => {
    const { task } = await load("secrets:\nsteps:\n  - cmd: a\n");
    expect(task.secrets).toEqual([]);
  });

  test("a resolver failure stops the run", async () => {
    expect(
      await loadError(twoSecrets + "steps:\n  - cmd: a\n", {
        resolveSecrets: async () => {
          throw new Error("timeout in fetching secrets. please check permissions are valid");
        },
      }),
    ).toBe(
      "unable to render task: failed to resolve secrets in the task with error: timeout " +
        "in fetching secrets. please check permissions are valid",
    );
  });
});

describe("T-P11 volumes and mounts", () => {
  const volumes =
    "volumes:\n  - name: vol1\n    secret:\n      a: YQ==\n  - name: vol2\n    secret:\n " +
    "     b: Yg==\n";

  test("the same volume mounted at two paths is fine", async () => {
    const { task } = await load(
      volumes +
        "steps:\n  - cmd: a\n    volumeMounts:\n      - name: vol1\n        mountPath: " +
        "/x\n      - name: vol1\n        mountPath: /y\n",
    );
    expect(task.steps[0].volumeMounts).toEqual([
      { name: "vol1", mountPath: "/x" },
      { name: "vol1", mountPath: "/y" },
    ]);
    expect(task.volumes).toEqual([
      { name: "vol1", secret: { a: "YQ==" } },
      { name: "vol2", secret: { b: "Yg==" } },
    ]);
  });

  test.each([
    [
      "volumes:\n  - name: v\n    secret: {a: b}\n  - name: v\n    secret: {c: d}\n",
      "volume with duplicate name found",
    ],
    ["volumes:\n  - secret: {a: b}\n", "volume name is empty"],
    [
      "volumes:\n  - name: a.b\n    secret: {a: b}\n",
      "volume name is not well formed. Only use alphanumeric and - _",
    ],
    ["volumes:\n  - name: v\n", "currently only support for source type secret"],
    ["volumes:\n  - name: v\n    secret: {}\n", "secret is empty"],
    [
      'volumes:\n  - name: v\n    secret: {"a/b": x}\n',
      "file name, a/b, is not well formed. Only use alphanumeric and - _ .",
    ],
    ['volumes:\n  - name: v\n    secret: {"": x}\n', "secret name provided for value is empty"],
    [
      volumes +
        "steps:\n  - cmd: a\n    volumeMounts:\n      - name: vol3\n        mountPath: /x\n",
      "mount name, vol3, does not correspond to a volume",
    ],
  ])("%j → %s", async (text, message) => {
    expect(await loadError(text)).toBe(DESERIALIZE + message);
  });

  const mount = (path: string) => `      - name: vol1\n        mountPath: ${path}\n`;

  test.each([
    [
      "push: [a]\n    volumeMounts:\n" + mount("/x"),
      "invalid use of Mounts. Mounts must have unique container paths and only used for " +
        "cmd or build steps",
    ],
    [
      "cmd: a\n    volumeMounts:\n" + mount("/x") + mount("/x"),
      "mount with duplicate container file path found",
    ],
    ["cmd: a\n    volumeMounts:\n      - name: vol1\n", "mount name or mount path is empty"],
  ])("%j → %s", async (step, message) => {
    expect(await loadError(volumes + `steps:\n  - ${step}`)).toBe(UNMARSHAL + message);
  });
});

describe("T-P12/T-P13 build cache", () => {
  test("cache: Enabled on a build step switches to buildx with cache flags", async () => {
    const { task } = await load(fixture("acr-builder__graph_testdata__buildx.yaml"), {
      run: { ...run, taskName: "samsTask" },
    });
    expect(task.steps.map((step) => step.buildCacheReference)).toEqual([
      "shahzzzam.azurecr.io/repo:cache_samsTask_acb_step_0",
      "shahzzzam.azurecr.io/repo:cache_samsTask_acb_step_1",
      "shahzzzam.azurecr.io/foo:cache_samsTask_myCustomStepID",
    ]);
    expect(task.steps[0].build).toBe(
      "--load --cache-to=type=registry,ref=shahzzzam.azurecr.io/repo:cache_samsTask_acb_step_0,mode=max --cache-from=type=registry,ref=shahzzzam.azurecr.io/repo:cache_samsTask_acb_step_0 -t shahzzzam.azurecr.io/repo:tag .",
    );
    expect(task.steps.every((step) => step.usesBuildCache)).toBe(true);
  });

  test("without a task name the cache tags use quickrun", async () => {
    const { task } = await load(fixture("acr-builder__graph_testdata__buildx.yaml"));
    expect(task.steps[2].buildCacheReference).toBe(
      "shahzzzam.azurecr.io/foo:cache_quickrun_myCustomStepID",
    );
  });

  test("cache: enabled on a cmd step is accepted and has no effect", async () => {
    const { task } = await load("steps:\n  - cmd: a\n    cache: enabled\n");
    expect(task.steps[0]).toMatchObject({
      usesBuildCache: false,
      cmd: "a",
      buildCacheReference: "",
    });
  });

  test.each([
    [["test.com/repo:tag"], "", "fooTask", "step0", "test.com/repo:cache_fooTask_step0"],
    [["abcd"], "sam.azurecr.io", "t", "s", "sam.azurecr.io/abcd:cache_t_s"],
    [["a", "sam.azurecr.io/foo", "b"], "r.io", "t", "s", "sam.azurecr.io/foo:cache_t_s"],
    [
      ["test:5000/repo@sha256:" + "a".repeat(64)],
      "",
      "foo",
      "a_b_c",
      "test:5000/repo:cache_foo_a_b_c",
    ],
    [["foo/foo_bar.com:8080"], "", "t", "s", "foo/foo_bar.com:cache_t_s"],
  ])("tags %j, registry %j → %s", (tags, registry, taskName, stepId, expected) => {
    expect(buildCacheReference(tags, registry, taskName, stepId)).toBe(expected);
  });

  test(
    "a cache tag longer than 128 characters is an error to log, " + "and the build string stays",
    async () => {
      const longId = "x".repeat(130);
      const { task } = await load(
        `steps:\n  - id: ${longId}\n    build: -t a.io/b .\n    cache: enabled\n`,
      );
      expect(task.steps[0].build).toBe("-t a.io/b .");
      expect(task.steps[0].usesBuildCache).toBe(true);
      expect(task.steps[0].buildCacheError).toBe(
        "failed to attach cache ID tag to the repo for build cache: invalid tag format",
      );
    },
  );
});

describe("T-P14/T-P15 and other normalisation", () => {
  test("unknown keys are ignored silently", async () => {
    const { task } = await load("totalTimeout: 10\nsteps:\n  - cmd: a\n    entrypoint: x\n");
    expect(task.steps[0].entryPoint).toBe("");
  });

  test("push list is normalised and de-duplicated", async () => {
    const { task } = await load("steps:\n  - push: [a, a:latest, b:1, c@sha256:abc]\n");
    expect(task.steps[0]).toMatchObject({
      kind: "push",
      push: ["a:latest", "b:1", "c@sha256:abc"],
    });
  });

  test("ids default to acb_step_<index>; build tags and build args are parsed", async () => {
    const { task } = await load(
      "steps:\n  - build: -t a:1 --tag b --build-arg X=1 --build-arg Y -f Dockerfile .\n " +
        " - cmd: x\n",
    );
    expect(task.steps.map((step) => step.id)).toEqual(["acb_step_0", "acb_step_1"]);
    expect(task.steps[0]).toMatchObject({
      kind: "build",
      tags: ["a:1", "b"],
      buildArgs: ["X=1", "Y"],
    });
  });

  test("working directory: the step's, else the task's, else --working-directory", async () => {
    const { task } = await load(
      "workingDirectory: /t\nsteps:\n  - cmd: a\n  - cmd: b\n    workingDirectory: src\n",
      { workingDirectory: "/cli" },
    );
    expect(task.steps.map((step) => step.workingDirectory)).toEqual(["/t", "src"]);
    const fromCli = await load("steps:\n  - cmd: a\n", { workingDirectory: "/cli" });
    expect(fromCli.task.steps[0].workingDirectory).toBe("/cli");
  });

  test("T-E19 user networks: no default unless isDefault; the last default wins", async () => {
    const none = await load("networks:\n  - name: n1\nsteps:\n  - cmd: a\n");
    expect(none.task.networks.map((network) => network.name)).toEqual(["n1"]);
    expect(none.task.steps[0].network).toBe("");

    const two = await load(
      "networks:\n  - name: n1\n    isDefault: true\n  - name: n2\n    isDefault: " +
        "true\nsteps:\n  - cmd: a\n",
    );
    expect(two.task.defaultNetwork).toBe("n2");
    expect(two.task.steps[0].network).toBe("n2");
  });

  test(
    "--network adds an external default network and suppresses " + "acb_default_network",
    async () => {
      const { task } = await load("steps:\n  - cmd: a\n", { network: "host" });
      expect(task.networks).toEqual([
        { name: "host", driver: "external", ipv6: false, skipCreation: true, isDefault: true },
      ]);
      expect(task.steps[0].network).toBe("host");
    },
  );

  test("T-R4 the empty example file is a task with no steps", async () => {
    const { task, graph } = await load(
      fixture("acr-builder__templating_testdata_caching__empty.yaml"),
    );
    expect(task.steps).toEqual([]);
    expect(graph.roots).toEqual([]);
    expect(task.networks.map((network) => network.name)).toEqual(["acb_default_network"]);
  });

  test("a file of comment lines only is a task with no steps", async () => {
    expect((await load("# nothing\n  # here\n")).task.steps).toEqual([]);
  });

  test("YAML errors are wrapped as acb wraps them", async () => {
    expect(await loadError('steps:\n  - cmd: a\n    timeout: "10"\n')).toBe(
      DESERIALIZE + "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `10` into int",
    );
    expect(await loadError("steps:\n  - cmd: a\n   id: x\n")).toBe(
      DESERIALIZE + "yaml: line 2: did not find expected '-' indicator",
    );
  });
});

describe("T-E6 and the docs' graphs", () => {
  test("a step without when waits only for the step written above it", async () => {
    const { graph } = await load(
      fixture("acr-tasks__root__build-test-update-hello-world.yaml").replace(
        "version: v1.1.0",
        "version: v1.0.0",
      ),
    );
    expect(graph.roots).toEqual(["acb_step_0", "acb_step_1"]);
    expect(graph.children.get("acb_step_1")).toEqual(["hello-world"]);
    expect(graph.children.get("acb_step_0")).toEqual([]);
    expect(graph.children.get("hello-world")).toEqual(["func-tests"]);
    expect(graph.children.get("func-tests")).toEqual(["acb_step_4"]);
    expect(graph.children.get("acb_step_4")).toEqual(["acb_step_5"]);
  });
});

describe("T-R9 comment lines", () => {
  test("lines whose trimmed text starts with # go; inline comments stay", () => {
    expect(
      stripCommentLines(
        "# comments\nsteps:\n # should be skipped\n  - build: -f Dockerfile -t . # this " +
          "should be preserved\n           #everywhere",
      ),
    ).toBe("steps:\n  - build: -f Dockerfile -t . # this should be preserved");
  });

  test("comment lines inside a block scalar go too", async () => {
    const { task } = await load("steps:\n  - cmd: |\n      #!/bin/sh\n      echo hi\n");
    expect(task.steps[0].cmd).toBe("echo hi\n");
  });
});
