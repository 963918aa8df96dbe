import { readFileSync } from "node:fs";
import path from "node:path";

import { loadTask, TaskFileError } from "../../src/taskfile/index.js";
import type { LoadTaskOptions, RunValues } from "../../src/taskfile/index.js";

const run: RunValues = {
  id: "cab",
  registry: "myregistry.azurecr.io",
  date: new Date(Date.UTC(2010, 4, 20, 13, 14, 22)),
  sharedVolume: "acb_vol_test",
  os: "linux",
  osVersion: "",
  architecture: "amd64",
  commit: "0123abc",
  branch: "main",
  repository: "",
  gitTag: "",
  triggeredBy: "",
  taskName: "",
};

const BANNER =
  "Alias support enabled for version >= 1.1.0, please see " +
  "https://aka.ms/acr/tasks/task-aliases for more information.";
const BASH = "mcr.microsoft.com/acr/bash:2ff604c";

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

describe("the seed tutorial (T-E8)", () => {
  test.each([
    ["acr-build-helloworld-node__root__taskmulti.yaml", undefined],
    ["azure-docs_container-registry-tutorial-multistep-task__taskmulti.yaml", BANNER],
  ])("%s", async (file, banner) => {
    const { task, graph, aliasBanner } = await load(fixture(file));
    expect(aliasBanner).toBe(banner);
    expect(
      task.steps.map((step) => [step.id, step.kind, step.cmd || step.build || step.push]),
    ).toEqual([
      ["acb_step_0", "build", "-t myregistry.azurecr.io/hello-world:cab -f Dockerfile ."],
      ["test", "cmd", "-t myregistry.azurecr.io/hello-world:cab"],
      ["acb_step_2", "cmd", "docker stop test"],
      ["acb_step_3", "push", ["myregistry.azurecr.io/hello-world:cab"]],
    ]);
    expect(task.steps[0].tags).toEqual(["myregistry.azurecr.io/hello-world:cab"]);
    expect(task.steps[1]).toMatchObject({ detach: true, ports: ["8080:80"] });
    expect(graph.roots).toEqual(["acb_step_0"]);
  });
});

describe("templating", () => {
  test("T-R1 acr-builder's cache.yaml with its values file", async () => {
    const { task, renderedText } = await load(
      fixture("acr-builder__templating_testdata_caching__cache.yaml"),
      {
        valuesText: fixture("acr-builder__templating_testdata_caching__values.yaml"),
      },
    );
    expect(renderedText).toContain('- id: "puller"');
    expect(renderedText).toContain('when: ["puller"]');
    expect(task.steps.map((step) => step.id)).toEqual(["puller", "build-foo", "build-bar"]);
    expect(task.steps[2].when).toEqual(["puller"]);
  });

  test("T-R2 .Run values and the JSON forms", async () => {
    const { renderedText } = await load(
      "steps:\n  - cmd: x {{.Run.ID}} {{.Build.ID}} {{.Run.Registry}} " +
        "{{.Run.RegistryName}} {{.Run.Date}} {{.Run.OS}} {{.Run.TaskName}}|\n  - cmd: y " +
        "{{.ValuesJSON}}\n",
      { run: { ...run, id: "SomeID", registry: "foo.azurecr.io" }, set: ["val=foo"] },
    );
    expect(renderedText).toContain(
      "cmd: x SomeID SomeID foo.azurecr.io foo 20100520-131422z linux |",
    );
    expect(renderedText).toContain(`cmd: y '{"val":"foo"}'`);
  });

  test("T-R3 secrets and values in one line with no secrets declared", async () => {
    const { task } = await load(
      "steps:\n  - cmd: x{{ .Secrets.mysecret }} - {{ .Values.mykey }}\n",
      {
        set: ["mykey=myvalue"],
      },
    );
    expect(task.steps[0].cmd).toBe("x - myvalue");
  });

  test("T-R4 a file that renders to nothing", async () => {
    expect(await loadError("{{/* nothing */}}")).toBe(
      "unable to render task: rendered template was empty",
    );
  });

  test("T-R6 math and string functions on values", async () => {
    const { task } = await load(
      "steps:\n  - cmd: x {{.Values.foo | add .Values.bar}} {{sub .Values.foo " +
        ".Values.bar}} {{mul .Values.foo .Values.bar}} {{ .Values.jobName | upper }}\n",
      { valuesText: "foo: 5\nbar: 10\njobName: hello\n" },
    );
    expect(task.steps[0].cmd).toBe("x 15 -5 50 HELLO");
  });

  test("T-R7 --set beats the values file", async () => {
    const { task } = await load("steps:\n  - cmd: x {{.Values.born}}\n", {
      valuesText: "born: 1867\n",
      set: ["born=1900"],
    });
    expect(task.steps[0].cmd).toBe("x 1900");
  });

  test(
    "T-R8 missing values render empty; a chain through a missing " +
      "key fails; <no value> disappears",
    async () => {
      const { task } = await load(
        "steps:\n  - cmd: x{{.Values.missing}}{{.Run.Nope}} <no value>y\n",
      );
      expect(task.steps[0].cmd).toBe("x y");
      expect(await loadError("steps:\n  - cmd: x {{.Values.a.b}}\n")).toMatch(
        /^unable to render task: error while rendering templates: failed to execute template: acb\.yaml\. Err: template: acb\.yaml:2:.*nil pointer evaluating interface \{\}\.b$/,
      );
    },
  );

  test("parse errors name the template", async () => {
    expect(await loadError("steps:\n  - cmd: x {{ .Run.ID }\n", { fileName: "decoded" })).toMatch(
      /^unable to render task: error while rendering templates: failed to parse template: decoded\. Err: template: decoded:2: /,
    );
  });

  test("T-R10 b64enc through the engine", async () => {
    const { task } = await load(
      fixture("acr-builder__templating_testdata_mounts__mounts_multistep.yaml"),
    );
    expect(task.volumes).toEqual([
      {
        name: "secret1",
        secret: { mysecret1: Buffer.from("-----SECRET VALUE 1------").toString("base64") },
      },
      {
        name: "secret2",
        secret: { mysecret2: Buffer.from("-----SECRET VALUE 2------").toString("base64") },
      },
    ]);
    expect(task.steps[1].volumeMounts).toEqual([
      { name: "secret1", mountPath: "/run/test" },
      { name: "secret2", mountPath: "/run/test2" },
    ]);
    const missing = await load("steps:\n  - cmd: x{{.Values.nope | b64enc}}y\n");
    expect(missing.task.steps[0].cmd).toBe("xy");
  });

  test("secrets are resolved between two renders", async () => {
    const resolveSecrets = jest.fn(async () => ({ name: "s3cret" }));
    const { task } = await load(fixture("acr-tasks__root__managed-identities.yaml"), {
      resolveSecrets,
      set: ["registryName=myregistry"],
    });
    expect(resolveSecrets).toHaveBeenCalledWith([
      {
        id: "name",
        keyVault: "https://myacbvault2.vault.azure.net/secrets/SampleSecret",
        clientId: "",
        aadResourceId: "",
      },
    ]);
    expect(task.steps[0].env).toEqual(["MY_SECRET='s3cret'"]);
    expect(task.steps[1].cmd).toBe(
      "docker build -t myregistry.azurecr.io/repo:cab " +
        "https://github.com/Azure-Samples/aci-helloworld.git",
    );
    expect(task.steps[2].push).toEqual(["myregistry.azurecr.io/repo:cab"]);
    expect(task.steps[4].cmd).toBe(
      "mcr.microsoft.com/acr/azure-cli:2ff604c acr repository show-tags -n myregistry " +
        "--repository repo",
    );
  });
});

describe("aliases with rendering", () => {
  test("T-A13 shell text in a v1.1.0 file", async () => {
    const text = "version: v1.1.0\nsteps:\n  - cmd: bash -c 'echo $ID $HOME $$'\n";
    const onV11 = await load(text);
    expect(onV11.processedText).toContain("cmd: bash -c 'echo {{.Run.ID}} $HOME $'");
    expect(onV11.task.steps[0].cmd).toBe(`${BASH} -c 'echo cab $HOME $'`);
    const onV10 = await load(text.replace("v1.1.0", "v1.0.0"));
    expect(onV10.task.steps[0].cmd).toBe("bash -c 'echo $ID $HOME $$'");
  });

  test("the alias block is rendered before it is used", async () => {
    const { task } = await load(
      'version: v1.1.0\nalias:\n  values:\n    reg: "{{.Run.Registry}}"\nsteps:\n  - ' +
        "build: -t $reg/x:$ID .\n",
    );
    expect(task.steps[0].build).toBe("-t myregistry.azurecr.io/x:cab .");
  });

  test("T-E6 build-test-update-hello-world.yaml", async () => {
    const { task, graph } = await load(
      fixture("acr-tasks__root__build-test-update-hello-world.yaml"),
    );
    expect(task.steps[0].build).toBe(
      "-t myregistry.azurecr.io/hello-world:cab -f hello-world.dockerfile .",
    );
    expect(task.steps[2].cmd).toBe("myregistry.azurecr.io/hello-world:cab");
    expect(task.steps[4].push).toEqual(["myregistry.azurecr.io/hello-world:cab"]);
    expect(graph.children.get("acb_step_1")).toEqual(["hello-world"]);
  });

  test("T-E7 network-curl.yaml", async () => {
    const { task } = await load(fixture("acr-tasks__root__network-curl.yaml"));
    expect(task.steps.map((step) => [step.id, step.cmd, step.detach, step.network])).toEqual([
      ["nginx", "mcr.microsoft.com/oss/nginx/nginx:1.15.5-alpine", true, "acb_default_network"],
      [
        "acb_step_1",
        "mcr.microsoft.com/acr/curl:2ff604c --url http://nginx",
        false,
        "acb_default_network",
      ],
    ]);
  });

  test("T-E17 files-working-directory.yaml keeps $(date)", async () => {
    const { task } = await load(fixture("acr-tasks__root__files-working-directory.yaml"));
    expect(task.steps.map((step) => step.cmd)).toEqual([
      `${BASH} -c 'echo $(date) >> hello.txt'`,
      `${BASH} cat hello.txt`,
      `${BASH} ls -l`,
    ]);
  });

  test("the docs' multi-step example graph", async () => {
    const { task, graph } = await load(
      fixture("azure-docs_container-registry-tasks-multi-step__helm-example.yaml"),
    );
    expect(graph.roots).toEqual(["build-web", "build-tests"]);
    expect(graph.children.get("build-web")).toEqual(["push"]);
    expect(graph.children.get("build-tests")).toEqual(["push"]);
    expect(graph.inDegree.get("push")).toBe(2);
    expect(graph.children.get("push")).toEqual(["hello-world-web"]);
    expect(task.steps[1].tags).toEqual(["myregistry.azurecr.io/hello-world-tests"]);
  });

  test("multipleRegistries/testtask.yaml with --set", async () => {
    const { task } = await load(fixture("acr-tasks__multipleRegistries__testtask.yaml"), {
      set: ["REGISTRY1=one.azurecr.io", "REGISTRY2=two.azurecr.io"],
    });
    expect(task.steps.map((step) => step.build || step.push)).toEqual([
      "-t one.azurecr.io/hello-world:cab . -f hello-world.dockerfile",
      ["one.azurecr.io/hello-world:cab"],
      "-t two.azurecr.io/hello-world:cab . -f hello-world.dockerfile",
      ["two.azurecr.io/hello-world:cab"],
    ]);
  });
});
