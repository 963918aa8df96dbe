import { readFileSync } from "node:fs";
import path from "node:path";

import { decodeTask, emptyRawStep } from "../../src/taskfile/decode.js";
import type { RawStep } from "../../src/taskfile/decode.js";
import { parseGoYaml, resolveScalar } from "../../src/taskfile/go-yaml.js";
import type { GoScalar } from "../../src/taskfile/go-yaml.js";

interface OracleCase {
  input: string;
  error?: string;
  task?: string;
}

const cases: OracleCase[] = JSON.parse(
  readFileSync(path.join(__dirname, "../fixtures/taskfile/yaml-v2-cases.json"), "utf8"),
);

/** Go field name (as yaml.v2's caller printed it) → the decoded step's field. */
const GO_STEP_FIELDS: Record<string, keyof RawStep> = {
  ID: "id",
  Cmd: "cmd",
  Build: "build",
  WorkingDirectory: "workingDirectory",
  EntryPoint: "entryPoint",
  User: "user",
  Network: "network",
  Isolation: "isolation",
  CPUS: "cpus",
  Cache: "cache",
  Mounts: "volumeMounts",
  Push: "push",
  Envs: "env",
  Expose: "expose",
  Ports: "ports",
  When: "when",
  ExitedWith: "exitedWith",
  ExitedWithout: "exitedWithout",
  Timeout: "timeout",
  StartDelay: "startDelay",
  RetryDelayInSeconds: "retryDelay",
  Retries: "retries",
  RetryOnErrors: "retryOnErrors",
  Repeat: "repeat",
  Keep: "keep",
  Detach: "detach",
  Privileged: "privileged",
  IgnoreErrors: "ignoreErrors",
  DisableWorkingDirectoryOverride: "disableWorkingDirectoryOverride",
  Pull: "pull",
  DownloadRetries: "cmdDownloadRetries",
  DownloadRetryDelay: "cmdDownloadRetryDelay",
};

function decodeError(text: string): string | undefined {
  try {
    decodeTask(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("decoding task YAML like yaml.v2", () => {
  test.each(
    cases.filter((entry) => entry.error !== undefined).map((entry) => [entry.input, entry.error]),
  )("%j fails as yaml.v2 does", (input, error) => {
    expect(decodeError(input as string)).toBe(error);
  });

  test.each(
    cases.filter((entry) => entry.task !== undefined).map((entry) => [entry.input, entry.task]),
  )("%j decodes to yaml.v2's values", (input, taskJson) => {
    const expected = JSON.parse(taskJson as string) as {
      Steps: Array<Record<string, unknown>>;
      StepTimeout: number;
      Version: string;
    };
    const task = decodeTask(input as string);

    expect(task.stepTimeout).toBe(expected.StepTimeout);
    expect(task.version).toBe(expected.Version);
    const expectedSteps = expected.Steps ?? [];
    expect(task.steps).toHaveLength(expectedSteps.length);
    for (const [index, goStep] of expectedSteps.entries()) {
      if (goStep === null) {
        // Go keeps a nil step (acb would then fail on it); an empty step is refused cleanly.
        expect(task.steps[index]).toEqual(emptyRawStep());
        continue;
      }
      for (const [goName, field] of Object.entries(GO_STEP_FIELDS)) {
        const goValue = goStep[goName] ?? [];
        const value =
          field === "volumeMounts"
            ? task.steps[index].volumeMounts.map((mount) => ({
                Name: mount.name,
                MountPath: mount.mountPath,
              }))
            : task.steps[index][field];
        expect([goName, value]).toEqual([goName, goValue]);
      }
    }
  });

  test("an empty or whitespace-only document is a task with no steps", () => {
    expect(decodeTask("").steps).toEqual([]);
    expect(decodeTask("   \n\n").steps).toEqual([]);
    expect(decodeTask("steps:\n").steps).toEqual([]);
  });

  test("unknown keys and misspelt keys are ignored", () => {
    const task = decodeTask(
      "totalTimeout: 10\nvalues: {a: b}\nsteps:\n  - cmd: a\n    entrypoint: x\n    " +
        "workingdirectory: y\n",
    );
    expect(task.steps[0].cmd).toBe("a");
    expect(task.steps[0].entryPoint).toBe("");
    expect(task.steps[0].workingDirectory).toBe("");
  });

  test("non-string scalars keep their source text in string fields; null leaves them empty", () => {
    const task = decodeTask(
      "steps:\n  - id: 1\n    cmd: 0.5\n    user: 1000\n    cpus: 010\n    entryPoint: " +
        "~\n    network: true\n",
    );
    expect(task.steps[0]).toMatchObject({
      id: "1",
      cmd: "0.5",
      user: "1000",
      cpus: "010",
      entryPoint: "",
      network: "true",
    });
  });

  test("YAML 1.1 booleans and a truncated float", () => {
    const task = decodeTask(
      "steps:\n  - cmd: a\n    keep: Yes\n    detach: on\n    privileged: n\n    pull: " +
        "OFF\n    timeout: 1.9\n",
    );
    expect(task.steps[0]).toMatchObject({
      keep: true,
      detach: true,
      privileged: false,
      pull: false,
      timeout: 1,
    });
  });

  test("anchors, aliases and merge keys", () => {
    const task = decodeTask(
      "base: &base\n  cmd: bash echo\n  timeout: 30\nsteps:\n  - <<: *base\n    id: a\n  - *base\n",
    );
    expect(task.steps.map((step) => [step.id, step.cmd, step.timeout])).toEqual([
      ["a", "bash echo", 30],
      ["", "bash echo", 30],
    ]);
  });

  test("an alias bomb is refused instead of expanded", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(
        `${name}: &${name} [${Array(10)
          .fill("*" + previous)
          .join(", ")}]`,
      );
    }
    expect(() => decodeTask(levels.join("\n") + "\n")).toThrow(
      "yaml: document contains excessive aliasing",
    );
  });

  test("CRLF line endings", () => {
    expect(decodeTask("steps:\r\n  - cmd: a\r\n    id: b\r\n").steps[0]).toMatchObject({
      cmd: "a",
      id: "b",
    });
  });

  test("secrets, networks and volumes decode with acb's key names", () => {
    const task = decodeTask(
      [
        "secrets:",
        "  - id: s",
        "    keyvault: https://v.vault.azure.net/secrets/s",
        "    clientID: c",
        "    aadresourceid: r",
        "networks:",
        "  - name: n",
        "    driver: bridge",
        "    ipv6: true",
        "    skipCreation: yes",
        "    isDefault: true",
        "volumes:",
        "  - name: v",
        "    secret:",
        "      f1: YQ==",
        "      f2: Yg==",
      ].join("\n"),
    );
    expect(task.secrets).toEqual([
      {
        id: "s",
        keyVault: "https://v.vault.azure.net/secrets/s",
        clientId: "c",
        aadResourceId: "r",
      },
    ]);
    expect(task.networks).toEqual([
      { name: "n", driver: "bridge", ipv6: true, skipCreation: true, isDefault: true },
    ]);
    expect(task.volumes).toEqual([
      { name: "v", secret: { f1: "YQ==", f2: "Yg==" }, hasSecret: true },
    ]);
  });
});

describe("scalar resolution", () => {
  const plain = (value: string): GoScalar => ({
    kind: "scalar",
    line: 1,
    value,
    tag: "",
    implicit: true,
  });

  test.each([
    ["yes", "!!bool", true],
    ["Off", "!!bool", false],
    ["~", "!!null", null],
    ["0x1F", "!!int", 31],
    ["017", "!!int", 15],
    ["-0b101", "!!int", -5],
    ["1_000", "!!int", 1000],
    ["1e3", "!!float", 1000],
    [".5", "!!float", 0.5],
    ["2001-12-14", "!!timestamp", "2001-12-14"],
    ["1.2.3", "!!str", "1.2.3"],
    ["v1.0.0", "!!str", "v1.0.0"],
  ])("%s resolves to %s", (text, tag, value) => {
    expect(resolveScalar(plain(text))).toEqual({ tag, value });
  });

  test("quoted scalars are strings whatever their text", () => {
    expect(resolveScalar({ ...plain("true"), implicit: false })).toEqual({
      tag: "!!str",
      value: "true",
    });
  });

  test("lines are 1-based and follow the node", () => {
    const root = parseGoYaml("a: 1\nsteps:\n  - cmd: x\n");
    expect(root?.kind).toBe("mapping");
    if (root?.kind !== "mapping") return;
    expect(root.pairs[1][1].line).toBe(3);
  });
});
