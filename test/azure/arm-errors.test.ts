import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describeHttpFailure, describeSdkError } from "../../src/azure/arm-errors.js";

const fixtures = join(__dirname, "..", "fixtures", "arm-errors");

function azStderr(name: string): string {
  return readFileSync(join(fixtures, `${name}.stderr`), "utf8");
}

function azExitCode(name: string): number {
  return Number(readFileSync(join(fixtures, `${name}.rc`), "utf8").trim());
}

describe("ARM error text, as az 2.45 prints it", () => {
  test.each([
    ["err-plain", { statusCode: 404, bodyText: "not json", contentType: "text/plain" }],
    ["err-empty", { statusCode: 404, bodyText: "" }],
    ["err-html", { statusCode: 500, bodyText: "<html>x</html>", contentType: "text/html" }],
    [
      "err-info",
      {
        statusCode: 400,
        bodyText: JSON.stringify({
          error: {
            code: "C",
            message: "m",
            additionalInfo: [{ type: "T", info: { a: 1, b: "é" } }],
          },
        }),
        contentType: "application/json; charset=utf-8",
      },
    ],
    [
      "err-inner",
      {
        statusCode: 409,
        bodyText: JSON.stringify({ error: { code: "C", message: "m", innererror: { x: 1 } } }),
        contentType: "application/json",
      },
    ],
  ])("%s", (name, failure) => {
    const report = describeHttpFailure(failure);

    expect(`ERROR: ${report.message}\n`).toBe(azStderr(name));
    expect(report.exitCode).toBe(azExitCode(name));
  });

  test("details are indented but not separated from each other (capture 21)", () => {
    const body = {
      error: {
        code: "TaskNotFound",
        message: "The task 'nope' could not be found.",
        target: "nope",
        details: [{ code: "X", message: "inner" }],
      },
    };

    const report = describeHttpFailure({ statusCode: 404, bodyText: JSON.stringify(body) });

    expect(`ERROR: ${report.message}\n`).toBe(azStderr("21-task-show-404-details"));
    expect(report.exitCode).toBe(3);
  });

  test("two details run together as azure-core joins them", () => {
    const body = {
      error: {
        code: "A",
        message: "outer",
        details: [
          { code: "B", message: "one" },
          { code: "C", message: "two" },
        ],
      },
    };

    const report = describeHttpFailure({ statusCode: 400, bodyText: JSON.stringify(body) });

    expect(report.message).toBe(
      "(A) outer\nCode: A\nMessage: outer\nException Details:\t(B) one\n\tCode: B\n" +
        "\tMessage: one\t(C) two\n\tCode: C\n\tMessage: two",
    );
  });

  test("a body that is not JSON and names no content type is reported as invalid JSON", () => {
    const report = describeHttpFailure({ statusCode: 404, bodyText: "not json" });

    expect(report).toEqual({
      message: "JSON is invalid: Expecting value: line 1 column 1 (char 0)",
      exitCode: 3,
    });
  });

  test("an SDK RestError is recognised by name and read through its response", () => {
    const restError = Object.assign(new Error("x"), {
      name: "RestError",
      statusCode: 404,
      response: {
        bodyAsText: JSON.stringify({
          error: {
            code: "ResourceNotFound",
            message:
              "The Resource 'Microsoft.ContainerRegistry/registries/myreg' under resource group " +
              "'badrg' was not found. For more details please go to " +
              "https://aka.ms/ARMResourceNotFoundFix",
          },
        }),
        headers: { get: () => "application/json" },
      },
    });

    const report = describeSdkError(restError);

    expect(`ERROR: ${report?.message}\n`).toBe(azStderr("20-registry-404-with-g"));
    expect(describeSdkError(new Error("plain"))).toBeUndefined();
  });
});

test("an unexpected success status is named by its reason phrase, as requests reports it", () => {
  expect(describeHttpFailure({ statusCode: 204 }).message).toBe(
    "Operation returned an invalid status 'No Content'",
  );
});
