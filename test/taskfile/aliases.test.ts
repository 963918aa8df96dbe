import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  aliasesEnabled,
  DEFAULT_LINUX_ALIASES,
  expandImageAlias,
  findVersion,
  replaceAliases,
  resolveAliases,
  separateAliasBlock,
} from "../../src/taskfile/aliases.js";
import type { AliasDefinition } from "../../src/taskfile/aliases.js";
import { loadTask, TaskFileError } from "../../src/taskfile/index.js";
import type { RunValues } from "../../src/taskfile/model.js";

const fixtures = path.join(__dirname, "../fixtures/taskfile");

function fixture(name: string): string {
  return readFileSync(path.join(fixtures, name), "utf8");
}

function aliasMap(values: Record<string, string>, directive = "$"): AliasDefinition {
  return { values: new Map(Object.entries(values)), directive };
}

const run: RunValues = {
  id: "cab",
  registry: "myregistry.azurecr.io",
  date: new Date(Date.UTC(2010, 4, 20, 13, 14, 22)),
  sharedVolume: "vol",
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

describe("T-A1 version gate", () => {
  test.each([
    ["# a comment\n\n# another\nversion  : v1.1.0\nsteps:\n", "v1.1.0"],
    ["versionOfTask:v1.1.0\n", ""],
    ["version:foo:bar:beta\n", "foo:bar:beta"],
    [`"version":   "v1.1.0'\n`, "v1.1.0"],
    ["version\n", ""],
    ['version:"v1.1.0"\n', "v1.1.0"],
    ["'version': v1.1.0\n", "v1.1.0"],
    ["steps:\n  version: v1.1.0\n", ""],
  ])("%j → %j", (text, version) => {
    expect(findVersion(text)).toBe(version);
  });

  test.each([
    ["v1.1.0", true],
    ["v1.2.0", true],
    ["{{.Values.v}}", true],
    ["v1.0.0", false],
    ["V1.1.0", false],
    ["", false],
  ])("%j → aliases %s", (version, enabled) => {
    expect(aliasesEnabled(version)).toBe(enabled);
  });
});

describe("alias block separation", () => {
  test("the block runs to the next top-level key and is removed from the rest", () => {
    const { aliasText, rest } = separateAliasBlock(
      "version: v1.1.0\nalias:\n  values:\n    a: b\n  src: [x]\nsteps:\n  - cmd: $a\n",
    );
    expect(aliasText).toBe("alias:\n  values:\n    a: b\n  src: [x]\n");
    expect(rest).toBe("version: v1.1.0\nsteps:\n  - cmd: $a\n");
  });
});

describe("replacement (T-A2, T-A3, T-A13)", () => {
  const aliases = aliasMap({
    ...DEFAULT_LINUX_ALIASES,
    foo: "bar",
    reg: "{{.Run.Registry}}",
    fooV: ".Values.bar",
    acb: "mcr.microsoft.com/acb:zzz",
  });

  test.each([
    ["build: -t $foo ", "build: -t bar "],
    ["-t $reg/$repo:$ID .", "-t {{.Run.Registry}}/$repo:{{.Run.ID}} ."],
    ["$acb exec {{$fooV}}", "mcr.microsoft.com/acb:zzz exec {{.Values.bar}}"],
    ["$Registry/hello-world:$ID2", "{{.Run.Registry}}/hello-world:$ID2"],
    ["$ID_x", "{{.Run.ID}}_x"],
    ["${HOME} $(date) $ end$", "${HOME} $(date) $ end$"],
    ["$foo$foo", "barbar"],
    ["$x$ID", "$x$ID"],
    ["cmd: bash -c 'echo $ID $HOME $$'", "cmd: bash -c 'echo {{.Run.ID}} $HOME $'"],
    ["a $$$$ b", "a $$ b"],
    ["$foo", "bar"],
  ])("%j → %j", (text, expected) => {
    expect(replaceAliases(text, aliases)).toBe(expected);
  });

  test("a custom directive makes $ literal", () => {
    expect(replaceAliases("&foo $foo &&", aliasMap({ foo: "bar" }, "&"))).toBe("bar $foo &");
  });
});

describe("T-A10 image aliases in cmd", () => {
  const aliases = aliasMap({ acr: "mcr.microsoft.com/acr/acr-cli:0.19", purge: "acr purge" });

  test.each([
    ["purge --registry x --filter a:.*", "acr purge --registry x --filter a:.*"],
    ["  acr --help  ", "mcr.microsoft.com/acr/acr-cli:0.19 --help"],
    ["fakealias --wait 300", "fakealias --wait 300"],
    ["acrmixedin --x", "acrmixedin --x"],
    ["acr:1.0 x", "acr:1.0 x"],
  ])("%j → %j", (cmd, expected) => {
    expect(expandImageAlias(cmd, aliases)).toBe(expected);
  });
});

describe("T-A8/T-A9 alias definitions", () => {
  test.each([
    ["alias:\n  directive: a\n", "overwritten directives may not be alphanumeric characters"],
    ["alias:\n  directive: '&&&'\n", "$ directive can only be overwritten by a single character"],
    [
      "alias:\n  values:\n    totally&^Invalid: x\n",
      "alias key names only support alphanumeric characters",
    ],
  ])("%j → %s", async (text, message) => {
    await expect(resolveAliases(text, { baseDirectory: fixtures })).rejects.toThrow(message);
  });

  test("& with a valid key is fine", async () => {
    const aliases = await resolveAliases(
      "alias:\n  directive: '&'\n  values:\n    totallyValid: x\n",
      {
        baseDirectory: fixtures,
      },
    );
    expect(aliases.directive).toBe("&");
    expect(aliases.values.get("totallyValid")).toBe("x");
    expect(aliases.values.get("bash")).toBe("mcr.microsoft.com/acr/bash:2ff604c");
  });

  test(
    "inline values beat src files; later src files beat earlier " +
      "ones; users may override built-ins",
    async () => {
      const directory = mkdtempSync(path.join(os.tmpdir(), "alias-src-"));
      writeFileSync(path.join(directory, "first.yaml"), "shared: first\nonlyFirst: 1\n");
      writeFileSync(path.join(directory, "second.yaml"), "shared: second\nsingularity: from-src\n");
      const aliases = await resolveAliases(
        "alias:\n  src: [first.yaml, second.yaml]\n  values:\n    singularity: something " +
          "else\n    bash: my/bash\n",
        { baseDirectory: directory },
      );
      expect(aliases.values.get("singularity")).toBe("something else");
      expect(aliases.values.get("shared")).toBe("second");
      expect(aliases.values.get("onlyFirst")).toBe("1");
      expect(aliases.values.get("bash")).toBe("my/bash");
    },
  );

  test("a missing local file is an error", async () => {
    await expect(
      resolveAliases("alias:\n  src: [nonexistent.yaml]\n", { baseDirectory: fixtures }),
    ).rejects.toThrow("open nonexistent.yaml: no such file or directory");
  });

  test("a remote source failing with a status above 299 fails with its body", async () => {
    await expect(
      resolveAliases("alias:\n  src: [https://example.invalid/404]\n", {
        baseDirectory: fixtures,
        fetchText: async () => {
          throw new Error("404 Not Found");
        },
      }),
    ).rejects.toThrow("404 Not Found");
  });

  test("a remote source's mapping is used", async () => {
    const aliases = await resolveAliases("alias:\n  src: [https://example.invalid/a.yaml]\n", {
      baseDirectory: fixtures,
      fetchText: async () => fixture("acr-builder__graph_testdata_preprocessor__valid-remote.yaml"),
    });
    expect(aliases.values.get("docker")).toBeDefined();
  });

  test.each([
    [
      "acr-builder__graph_testdata_preprocessor__invalid-remote.yaml",
      "yaml: line 5: could not find expected ':'",
    ],
  ])("%s is a YAML error", async (file, message) => {
    await expect(
      resolveAliases(`alias:\n  src: [${file}]\n`, { baseDirectory: fixtures }),
    ).rejects.toThrow(message);
  });

  test("invalid-external.yaml is a YAML error", async () => {
    await expect(
      resolveAliases(
        "alias:\n  src: [acr-builder__graph_testdata_preprocessor__invalid-external.yaml]\n",
        {
          baseDirectory: fixtures,
        },
      ),
    ).rejects.toThrow(/^yaml: /);
  });

  test("a malformed alias block", async () => {
    await expect(
      resolveAliases("alias:\n  values: [a]\n", { baseDirectory: fixtures }),
    ).rejects.toThrow(
      "error during alias unmarshaling: yaml: unmarshal errors:\n  line 2: cannot " +
        "unmarshal !!seq into map[string]string",
    );
  });
});

/** The stress file bundles cases as top-level keys whose bodies are indented by two columns. */
function stressCase(name: string): string {
  const lines = fixture(
    "acr-builder__graph_testdata_preprocessor__preprocessing-stress.yaml",
  ).split("\n");
  const start = lines.indexOf(`${name}:`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== "" && !line.startsWith(" ")) break;
    body.push(line.slice(2));
  }
  return body.join("\n") + "\n";
}

async function loadStress(name: string) {
  return loadTask({
    fileName: "acb.yaml",
    text: stressCase(name),
    run,
    aliasBaseDirectory: fixtures,
  });
}

describe("acr-builder's preprocessing stress cases (T-A4..T-A7)", () => {
  test.each([["Multiline Alias"], ["Alias No Use"]])(
    "%s parses to the same task as Expected",
    async (name) => {
      const expected = await loadStress("Expected");
      const actual = await loadStress(name);
      expect(actual.task).toEqual(expected.task);
      expect(actual.aliasBanner).toBe(
        "Alias support enabled for version >= 1.1.0, please see " +
          "https://aka.ms/acr/tasks/task-aliases for more information.",
      );
    },
  );

  test("Escape: $$ yields a literal $ and no substitution", async () => {
    const escaped = await loadStress("Escape");
    const expected = await loadStress("Expected Escape");
    expect(escaped.task).toEqual(expected.task);
    expect(escaped.task.steps[0]).toMatchObject({
      id: "$puller",
      cmd: "$azure/$images/$docker pull ubuntu",
      entryPoint: "$someEntryPoint",
    });
  });

  test("Chaining Directive Unicode with an alphanumeric src file", async () => {
    const text = stressCase("Chaining Directive Unicode").replace(
      "testdata/preprocessor/alphanumeric-external.yaml",
      "acr-builder__graph_testdata_preprocessor__alphanumeric-external.yaml",
    );
    const actual = await loadTask({
      fileName: "acb.yaml",
      text,
      run,
      aliasBaseDirectory: fixtures,
    });
    const expected = await loadStress("Expected");
    expect(actual.task).toEqual(expected.task);
    expect(actual.task.steps[2].ports).toEqual(["8000:8000", "8080:8080"]);
  });
});

describe("aliases through loadTask", () => {
  test("T-A12 a v1.0.0 file ignores its alias block", async () => {
    const text = "version: v1.0.0\nalias:\n  values:\n    qux: x\nsteps:\n  - cmd: bash $qux\n";
    const { task, aliasBanner } = await loadTask({ fileName: "acb.yaml", text, run });
    expect(aliasBanner).toBeUndefined();
    expect(task.steps[0].cmd).toBe("bash $qux");
  });

  test("T-A11 bash-echo-3.yaml: bash:3.0 is not an alias", async () => {
    const { task } = await loadTask({
      fileName: "acb.yaml",
      text: fixture("acr-tasks__root__bash-echo-3.yaml"),
      run,
    });
    expect(task.steps[0].cmd).toBe("bash:3.0 echo hello world");
  });

  test("T-A11 bash-echo.yaml runs the MCR bash image; as v1.0.0 it runs Docker Hub's", async () => {
    const text = fixture("acr-tasks__root__bash-echo.yaml");
    const onV11 = await loadTask({ fileName: "acb.yaml", text, run });
    expect(onV11.task.steps[0].cmd).toBe("mcr.microsoft.com/acr/bash:2ff604c echo hello world");
    const onV10 = await loadTask({
      fileName: "acb.yaml",
      text: text.replace("v1.1.0", "v1.0.0"),
      run,
    });
    expect(onV10.task.steps[0].cmd).toBe("bash echo hello world");
  });

  test("alias errors are wrapped, and carry the banner logged before them", async () => {
    const failure = loadTask({
      fileName: "acb.yaml",
      text: "version: v1.1.0\nalias:\n  values:\n    a-b: x\nsteps:\n  - cmd: a\n",
      run,
    });
    await expect(failure).rejects.toMatchObject({
      message:
        "unable to search/replace aliases in task: alias key names only support " +
        "alphanumeric characters",
      log: [
        "Alias support enabled for version >= 1.1.0, please see " +
          "https://aka.ms/acr/tasks/task-aliases for more information.",
      ],
    });

    await expect(
      loadTask({
        fileName: "acb.yaml",
        text: "version: v1.1.0\nalias:\n  directive: ab\nsteps:\n  - cmd: a\n",
        run,
      }),
    ).rejects.toThrow(
      new TaskFileError(
        "unable to search/replace aliases in task: $ directive can only be overwritten " +
          "by a single character",
      ),
    );
  });
});
