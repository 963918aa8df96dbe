/**
 * The engine as acb uses it on task files (runner spec §3.4, test cases T-R1, T-R3, T-R6, T-R8,
 * T-R10).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  TemplateExecError,
  acbBase64Encode,
  renderTemplate,
} from "../../../src/taskfile/template/index.js";

const fixtures = join(__dirname, "..", "..", "fixtures", "taskfile", "template");
const acbFunctions = { functions: { b64enc: acbBase64Encode } };

/** acb removes every "<no value>" that missing keys print. */
const renderLikeAcb = (text: string, data: unknown): string =>
  renderTemplate("acb", text, data, acbFunctions).split("<no value>").join("");

describe("task files rendered as acb renders them", () => {
  test("T-R1: values substitute into ids and when lists, quotes kept", () => {
    const text = readFileSync(join(fixtures, "cache.yaml"), "utf8");
    const rendered = renderLikeAcb(text, { Values: { pullStep: "puller" }, Run: {} });
    expect(rendered).toContain('  - id: "puller"\n');
    expect(rendered).toContain('    when: ["puller"]');
    expect(rendered).not.toContain("{{");
  });

  test("the tutorial task renders its registry and run id", () => {
    const text = readFileSync(join(fixtures, "taskmulti.yaml"), "utf8");
    const rendered = renderLikeAcb(text, { Run: { Registry: "myregistry.azurecr.io", ID: "cf1" } });
    expect(rendered).toContain("- build: -t myregistry.azurecr.io/hello-world:cf1 -f Dockerfile .");
    expect(rendered).toContain("  - myregistry.azurecr.io/hello-world:cf1");
  });

  test("T-R3: a missing secret renders empty", () => {
    const data = { Secrets: {}, Values: { mykey: "myvalue" } };
    expect(renderLikeAcb("{{ .Secrets.mysecret }} - {{ .Values.mykey }}", data)).toBe(" - myvalue");
  });

  test("T-R6: math on values and string functions", () => {
    const data = { Values: { foo: 5, bar: 10, jobName: "fruitjob" } };
    const text =
      "{{.Values.foo | add .Values.bar}},{{- .Values.bar | sub .Values.foo }},{{- " +
      ".Values.foo | mul .Values.bar}} {{ .Values.jobName | upper }}";
    expect(renderLikeAcb(text, data)).toBe("15,-5,50 FRUITJOB");
  });

  test("T-R7: a --set value is a string", () => {
    expect(
      renderLikeAcb("{{ .Values.born | typeOf }} {{ .Values.born }}", { Values: { born: "1900" } }),
    ).toBe("string 1900");
  });

  test(
    "T-R8: missing values are empty, literal <no value> " +
      "disappears, chains through a missing key fail",
    () => {
      expect(renderLikeAcb("a{{.Values.missing}}b <no value>c", { Values: {} })).toBe("ab c");
      expect(renderLikeAcb("{{.Run.Nope}}", { Run: {} })).toBe("");
      expect(() => renderLikeAcb("x: {{.Values.a.b}}", { Values: {} })).toThrow(
        new TemplateExecError(
          'template: acb:1:12: executing "acb" at <.Values.a.b>: nil pointer evaluating ' +
            "interface {}.b",
        ),
      );
    },
  );

  test(
    "T-R10: acb's b64enc encodes strings, prints nothing for " +
      "nil, and the reflect text of others",
    () => {
      expect(renderLikeAcb('{{"this is a test" | b64enc}}', {})).toBe("dGhpcyBpcyBhIHRlc3Q=");
      expect(renderLikeAcb("[{{.Values.nope | b64enc}}]", { Values: {} })).toBe("[]");
      expect(renderLikeAcb("{{.Values.n | b64enc}}", { Values: { n: 123 } })).toBe(
        Buffer.from("<int Value>").toString("base64"),
      );
      expect(renderLikeAcb("{{b64enc .Values.n}}", { Values: { n: 1.5 } })).toBe(
        Buffer.from("<float64 Value>").toString("base64"),
      );
    },
  );

  test("Sprig's own b64enc rejects a missing value", () => {
    expect(() => renderTemplate("t", "{{.nope | b64enc}}", {})).toThrow(
      'template: t:1:10: executing "t" at <b64enc>: invalid value; expected string',
    );
  });

  test("escaping braces with a string action", () => {
    expect(renderLikeAcb('{{"{{"}}.Foo}} {{ "{{.Bar}}" }}', {})).toBe("{{.Foo}} {{.Bar}}");
  });

  test("extra functions are added or replace built-in ones", () => {
    const options = {
      functions: { shout: (text: unknown) => `${String(text)}!`, upper: () => "replaced" },
    };
    expect(renderTemplate("t", '{{ shout "hi" }} {{ upper "x" }}', {}, options)).toBe(
      "hi! replaced",
    );
    expect(() =>
      renderTemplate(
        "t",
        "{{ boom }}",
        {},
        {
          functions: {
            boom: () => {
              throw new Error("bad");
            },
          },
        },
      ),
    ).toThrow('template: t:1:3: executing "t" at <boom>: error calling boom: bad');
  });

  test("a 100-line task file renders every line", () => {
    const line =
      '  - cmd: {{ .Run.Registry }}/app:{{ .Values.tag | default "latest" }}' +
      " {{ if .Values.debug }}--debug{{ end }}\n";
    const rendered = renderTemplate("t", `steps:\n${line.repeat(100)}`, {
      Run: { Registry: "r.azurecr.io" },
      Values: { tag: "v1", debug: true },
    });
    expect(rendered.split("\n")).toEqual([
      "steps:",
      ...Array(100).fill("  - cmd: r.azurecr.io/app:v1 --debug"),
      "",
    ]);
  });
});
