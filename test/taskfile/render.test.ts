import { acbBase64Encode, renderText, RenderError } from "../../src/taskfile/render.js";
import { buildRenderData } from "../../src/taskfile/values.js";
import type { RunValues } from "../../src/taskfile/model.js";

const engine = { renderTemplate: jest.fn() };

const run: RunValues = {
  id: "SomeID",
  registry: "foo.azurecr.io",
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

class TemplateParseError extends Error {
  override name = "TemplateParseError";
}
class TemplateExecError extends Error {
  override name = "TemplateExecError";
}

beforeEach(() => engine.renderTemplate.mockReset());

describe("the render wrapper around the template engine", () => {
  const data = buildRenderData(run, undefined, []);

  test("text without actions renders to itself less <no value>, without the engine", async () => {
    expect(await renderText("acb.yaml", "a <no value> b", data, { engine })).toBe("a  b");
    expect(engine.renderTemplate).not.toHaveBeenCalled();
  });

  test(
    "the engine gets the name, text, data and acb's b64enc; <no " + "value> is removed after",
    async () => {
      engine.renderTemplate.mockReturnValue("id: <no value>x");
      expect(await renderText("acb.yaml", "id: {{.Values.x}}x", data, { engine })).toBe("id: x");
      const [name, text, passedData, options] = engine.renderTemplate.mock.calls[0];
      expect([name, text, passedData]).toEqual(["acb.yaml", "id: {{.Values.x}}x", data]);
      expect(options.functions.b64enc).toBe(acbBase64Encode);
    },
  );

  test("parse and execution errors are wrapped as acb wraps them", async () => {
    engine.renderTemplate.mockImplementation(() => {
      throw new TemplateParseError('template: acb.yaml:1: unexpected "}" in operand');
    });
    await expect(renderText("acb.yaml", "{{ .Run.ID }", data, { engine })).rejects.toThrow(
      new RenderError(
        'failed to parse template: acb.yaml. Err: template: acb.yaml:1: unexpected "}" in operand',
      ),
    );

    engine.renderTemplate.mockImplementation(() => {
      throw new TemplateExecError(
        'template: decoded:1:9: executing "decoded" at <.Values.a.b>: nil pointer ' +
          "evaluating interface {}.b",
      );
    });
    await expect(renderText("decoded", "{{.Values.a.b}}", data, { engine })).rejects.toThrow(
      "failed to execute template: decoded. Err: template: decoded:1:9: executing " +
        '"decoded" at <.Values.a.b>: nil pointer evaluating interface {}.b',
    );
  });

  test("any other failure is a recovered panic: an empty result and a log line", async () => {
    engine.renderTemplate.mockImplementation(() => {
      throw new Error("boom");
    });
    const lines: string[] = [];
    expect(
      await renderText("acb.yaml", "{{fail}}", data, { engine, log: (line) => lines.push(line) }),
    ).toBe("");
    expect(lines).toEqual(["Template rendering recovered. Value: boom"]);
  });
});

describe("T-R10 acb's b64enc", () => {
  test.each([
    ["this is a test", "dGhpcyBpcyBhIHRlc3Q="],
    [undefined, ""],
    [null, ""],
    [123, Buffer.from("<int Value>").toString("base64")],
    [1.5, Buffer.from("<float64 Value>").toString("base64")],
    [true, Buffer.from("<bool Value>").toString("base64")],
    [{ type: "int64", value: 3 }, Buffer.from("<int64 Value>").toString("base64")],
    [["a"], Buffer.from("<[]interface {} Value>").toString("base64")],
  ])("%j → %j", (value, encoded) => {
    expect(acbBase64Encode(value)).toBe(encoded);
  });
});
