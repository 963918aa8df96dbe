import {
  buildRenderData,
  formatRunDate,
  goJsonObject,
  mergeValues,
  parseSetValues,
  parseValuesFile,
  registryNameOf,
  shellQuote,
  ValuesError,
} from "../../src/taskfile/values.js";
import type { RunValues } from "../../src/taskfile/model.js";

const run: RunValues = {
  id: "SomeID",
  registry: "foo.azurecr.io",
  date: new Date(Date.UTC(2010, 4, 20, 13, 14, 22)),
  sharedVolume: "vol",
  os: "linux",
  osVersion: "",
  architecture: "amd64",
  commit: "abc",
  branch: "main",
  repository: "repo",
  gitTag: "",
  triggeredBy: "manual",
  taskName: "",
};

describe("T-R5 --set parsing", () => {
  test("values are strings split at the first =", () => {
    expect(
      parseSetValues(["a=b", "b===ll", "c=12345", "d=ab=", "e=", "f=sadf=234", "a.b=1"]),
    ).toEqual({ a: "b", b: "==ll", c: "12345", d: "ab=", e: "", f: "sadf=234", "a.b": "1" });
  });

  test("the last of repeated keys wins", () => {
    expect(parseSetValues(["a=b", "a=c", "a=d"])).toEqual({ a: "d" });
  });

  test("no comma splitting", () => {
    expect(parseSetValues(["a=1,b=2"])).toEqual({ a: "1,b=2" });
  });

  test.each([
    ["apple", "failed to parse --set data; invalid format, no = assignment found"],
    ["", "failed to parse --set data; invalid format, no = assignment found"],
    ["=k", "failed to parse --set data; expected a key=val format"],
    ["=", "failed to parse --set data; expected a key=val format"],
  ])("%j → %s", (entry, message) => {
    expect(() => parseSetValues([entry])).toThrow(new ValuesError(message));
  });
});

describe("T-R7 values file merge", () => {
  test("--set beats the values file key by key, as a string", () => {
    const file = parseValuesFile("born: 1867\nfirst: Marie\n");
    expect(mergeValues(file, { born: "1900" })).toEqual({ born: "1900", first: "Marie" });
  });

  test("values file scalars keep their YAML types", () => {
    expect(
      parseValuesFile("a: 5\nb: yes\nc: 1.5\nd: ~\ne: [1, x]\nf: 2001-12-14\ng: 010\n"),
    ).toEqual({
      a: 5,
      b: true,
      c: 1.5,
      d: null,
      e: [1, "x"],
      f: "2001-12-14",
      g: 8,
    });
  });

  test("an empty values file is no values", () => {
    expect(parseValuesFile("")).toEqual({});
  });

  test("a values file that is not a mapping", () => {
    expect(() => parseValuesFile("- a\n")).toThrow(
      "error while loading exec steps: failed to deserialize values. Try rendering your " +
        "template locally using the instructions found at " +
        "https://github.com/Azure/acr-builder. Err: yaml: unmarshal errors:\n  line 1: " +
        "cannot unmarshal !!seq into templating.Values",
    );
  });

  test("a nested mapping cannot be serialised to .ValuesJSON, as in acb", () => {
    expect(() => buildRenderData(run, "a:\n  b: 1\n", [])).toThrow(
      "failed to override values: failed to serialize Values: json: unsupported type: " +
        "map[interface {}]interface {}",
    );
  });
});

describe("T-R2 run values", () => {
  test("date, registry name and the JSON forms", () => {
    const data = buildRenderData(run, "val: foo\nnum: 3\n", ["html=<a&b>"]);
    expect(data.Run.Date).toBe("20100520-131422z");
    expect(data.Run.RegistryName).toBe("foo");
    expect(data.Build.ID).toBe("SomeID");
    expect(data.ValuesJSON).toBe(`'{"html":"\\u003ca\\u0026b\\u003e","num":3,"val":"foo"}'`);
    expect(data.RunJSON).toBe(
      `'{"Architecture":"amd64","Branch":"main","Commit":"abc","Date":"20100520-131422z","GitTag":"","ID":"SomeID","OS":"linux","OSVersion":"","Registry":"foo.azurecr.io","RegistryName":"foo","Repository":"repo","SharedVolume":"vol","TaskName":"","TriggeredBy":"manual"}'`,
    );
    expect(data.Secrets).toEqual({});
  });

  test.each([
    ["foo.azurecr.io", "foo"],
    ["localhost:5000", "localhost:5000"],
    ["", ""],
  ])("RegistryName of %j is %j", (registry, name) => {
    expect(registryNameOf(registry)).toBe(name);
  });

  test("dates are UTC and zero-padded", () => {
    expect(formatRunDate(new Date(Date.UTC(2023, 0, 2, 3, 4, 5)))).toBe("20230102-030405z");
  });

  test("JSON keys sort by bytes", () => {
    expect(goJsonObject({ b: 1, B: 2, a: "x\ty" })).toBe('{"B":2,"a":"x\\ty","b":1}');
  });
});

describe("shell quoting of .ValuesJSON/.RunJSON", () => {
  test.each([
    ['{"val": "foo"}', `'{"val": "foo"}'`],
    ["nothingtoescape", "nothingtoescape"],
    ["", "''"],
    ["''", `''"'"''"'"''`],
    ["a-b_c.d/e:f@g=h+i%j,k^", "a-b_c.d/e:f@g=h+i%j,k^"],
    ["a b", "'a b'"],
  ])("%j → %j", (text, quoted) => {
    expect(shellQuote(text)).toBe(quoted);
  });
});
