import {
  planRun,
  quickBuildTaskText,
  sourceLocationOf,
} from "../../../src/emulator/agent/run-plan.js";

const encoded = (text: string) => Buffer.from(text).toString("base64");

describe("sourceLocationOf", () => {
  test.each([
    [undefined, undefined],
    ["", undefined],
    ["/dev/null", undefined],
    ["/DEV/NULL", undefined],
  ])("%p means no source", (location, expected) => {
    expect(sourceLocationOf(location, undefined)).toBe(expected);
  });

  test("an upload path is read from the registry's container", () => {
    expect(sourceLocationOf("source/202612040930/0c7d.tar.gz", undefined)).toEqual({
      kind: "upload",
      relativePath: "source/202612040930/0c7d.tar.gz",
    });
  });

  test("a repository takes its ref and folder from the fragment, as az and ACR read it", () => {
    expect(sourceLocationOf("/srv/repos/app#main:web/api", "token")).toEqual({
      kind: "git",
      url: "/srv/repos/app",
      ref: "main",
      folder: "web/api",
      token: "token",
    });
    expect(sourceLocationOf("https://github.com/org/app.git#:docs", undefined)).toEqual({
      kind: "git",
      url: "https://github.com/org/app.git",
      folder: "docs",
    });
    expect(sourceLocationOf("file:///srv/app.git", undefined)).toEqual({
      kind: "git",
      url: "file:///srv/app.git",
    });
  });

  test("an artifact context is refused with a message", () => {
    expect(() => sourceLocationOf("oci://myregistry.azurecr.io/ctx:v1", undefined)).toThrow(
      "Artifact contexts ('oci://myregistry.azurecr.io/ctx:v1') are not supported by the emulator.",
    );
  });
});

describe("planRun", () => {
  test("a file task run reads the task file from the uploaded source with its values", () => {
    const plan = planRun({
      type: "FileTaskRunRequest",
      taskFilePath: "acb.yaml",
      valuesFilePath: "values.yaml",
      values: [
        { name: "tag", value: "v1", isSecret: false },
        { name: "password", value: "s3cret", isSecret: true },
      ],
      sourceLocation: "source/202612040930/abc.tar.gz",
    });

    expect(plan).toEqual({
      source: { kind: "upload", relativePath: "source/202612040930/abc.tar.gz" },
      task: { kind: "file", path: "acb.yaml", valuesPath: "values.yaml" },
      set: ["tag=v1", "password=s3cret"],
      taskName: "",
      customRegistries: [],
    });
  });

  test("an encoded run decodes its task and values", () => {
    const plan = planRun({
      type: "EncodedTaskRunRequest",
      encodedTaskContent: encoded("steps:\n  - cmd: bash echo hi\n"),
      encodedValuesContent: encoded("a: b\n"),
    });

    expect(plan.source).toBeUndefined();
    expect(plan.task).toEqual({
      kind: "inline",
      text: "steps:\n  - cmd: bash echo hi\n",
      valuesText: "a: b\n",
    });
  });

  test("a task run merges the run's overrides over the task's step and credentials", () => {
    const plan = planRun(
      {
        type: "TaskRunRequest",
        taskId:
          "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/tasks/t1",
        overrideTaskStepProperties: {
          contextPath: "/srv/app#release",
          file: "other.yaml",
          values: [{ name: "tag", value: "override" }],
        },
      },
      {
        name: "t1",
        properties: {
          step: {
            type: "FileTask",
            taskFilePath: "taskmulti.yaml",
            contextPath: "/srv/app#main",
            contextAccessToken: "pat",
            values: [
              { name: "tag", value: "task" },
              { name: "other", value: "kept" },
            ],
          },
          credentials: {
            customRegistries: {
              "localhost:5001": {
                userName: { type: "Opaque", value: "someuser" },
                password: { type: "Opaque", value: "somepassword" },
              },
              "vault.azurecr.io": {
                userName: { type: "Vaultsecret", value: "https://vault/secrets/u" },
                identity: "[system]",
              },
            },
          },
        },
      },
    );

    expect(plan).toEqual({
      source: { kind: "git", url: "/srv/app", ref: "release", token: "pat" },
      task: { kind: "file", path: "other.yaml" },
      set: ["tag=override", "other=kept"],
      taskName: "t1",
      customRegistries: [
        { registry: "localhost:5001", username: "someuser", password: "somepassword" },
      ],
    });
  });

  test("a task run of a deleted task and an unknown request type are refused", () => {
    expect(() => planRun({ type: "TaskRunRequest", taskId: "t1" })).toThrow(
      "The task of this run no longer exists.",
    );
    expect(() => planRun({ type: "SomethingElse" })).toThrow(
      "The run request type 'SomethingElse' is not supported.",
    );
  });

  test("a Docker build becomes ACR's build-and-push task", () => {
    const plan = planRun({
      type: "DockerBuildRequest",
      imageNames: ["hello:{{.Run.ID}}", "localhost:5001/other/app:v1"],
      isPushEnabled: true,
      noCache: true,
      dockerFilePath: "src/Dockerfile",
      target: "final",
      arguments: [{ name: "VERSION", value: "1.2", isSecret: false }],
      sourceLocation: "source/202612040930/abc.tar.gz",
    });
    expect(plan.task.kind).toBe("build");
    if (plan.task.kind !== "build") return;

    expect(quickBuildTaskText(plan.task.build, "localhost:5000")).toBe(
      [
        "version: v1.1.0",
        "steps:",
        "  - id: build",
        '    build: "-t localhost:5000/hello:{{.Run.ID}} -t localhost:5001/other/app:v1 ' +
          '-f src/Dockerfile --target final --no-cache --build-arg VERSION=1.2 ."',
        "  - id: push",
        "    push:",
        '      - "localhost:5000/hello:{{.Run.ID}}"',
        '      - "localhost:5001/other/app:v1"',
        "",
      ].join("\n"),
    );
  });

  test("a build without push or images has no push step", () => {
    const text = quickBuildTaskText(
      {
        imageNames: ["hello:v1"],
        isPushEnabled: false,
        noCache: false,
        dockerFilePath: "Dockerfile",
        arguments: [],
      },
      "localhost:5000",
    );
    expect(text).not.toContain("push");
  });
});
