import {
  expandVariables,
  parseAssignment,
  resolveDockerfileDependencies,
} from "../../../../src/emulator/runner/scan/dockerfile.js";

// acr-builder's multi-stage test Dockerfile (spec §6.2): ARG defaults, stage aliases built on
// aliases, an unnamed stage, and a final stage that comes from an earlier alias.
const MULTI_STAGE = `# This dockerfile is just a test resource and is not buildable
ARG runtime_version="2.0.6"
FROM microsoft/aspnetcore:\${runtime_version} AS base
WORKDIR /app
EXPOSE 80

FROM base AS secondary
RUN nothing

ARG build_image
ARG build_version=2.0
FROM microsoft/$build_image:$build_version AS builder
WORKDIR /src
COPY . .
RUN dotnet build -c Release -o /app

FROM builder AS publish
RUN dotnet publish -c Release -o /app

FROM imaginary/cert-generator:1.0
RUN generate-cert.sh

FROM secondary AS production
WORKDIR /app
COPY --from=publish /app .
COPY --from=3 /cert /app
ENTRYPOINT ["dotnet", "Web.dll"]`;

describe("resolveDockerfileDependencies (spec T-S1..T-S3)", () => {
  test("T-S1: multi-stage with ARG defaults and --build-arg values", () => {
    const result = resolveDockerfileDependencies(MULTI_STAGE, {
      buildArgs: ["build_image=aspnetcore-build", "build_version=2.0.6"],
    });

    expect(result.runtime).toBe("microsoft/aspnetcore:2.0.6");
    expect(new Set(result.buildtime)).toEqual(
      new Set(["microsoft/aspnetcore-build:2.0.6", "imaginary/cert-generator:1.0"]),
    );
    expect(result.buildtime).toHaveLength(2);
  });

  test("T-S2: a UTF-8 byte order mark and a final FROM scratch", () => {
    const text = `\uFEFFFROM golang:1.10-alpine AS gobuild-base
RUN apk add --no-cache \\
\tgit \\
\tmake

FROM gobuild-base AS base
WORKDIR /go/src/github.com/scratch/scratch
COPY . .
RUN make static && mv scratch /usr/bin/scratch

FROM scratch
COPY --from=base /usr/bin/scratch /usr/bin/scratch
ENTRYPOINT [ "scratch" ]
CMD [ ]`;

    expect(resolveDockerfileDependencies(text)).toEqual({
      runtime: "scratch",
      buildtime: ["golang:1.10-alpine"],
    });
  });

  test("T-S3: --target stops the scan at the named stage", () => {
    const text = `FROM scratch AS base
\tRUN ls
\tFROM node:lts AS build
\tRUN ls
\tFROM nginx:stable AS final
\tRUN ls`;

    expect(resolveDockerfileDependencies(text, { target: "build" })).toEqual({
      runtime: "node:lts",
      buildtime: ["scratch"],
    });
  });

  test("a --target that names no stage scans the whole file", () => {
    const text = "FROM a:1 AS one\nFROM b:2 AS two\n";
    expect(resolveDockerfileDependencies(text, { target: "three" })).toEqual({
      runtime: "b:2",
      buildtime: ["a:1"],
    });
  });

  test("build arguments win over ARG defaults, and the first default in the file wins", () => {
    const text =
      "ARG IMAGE=first:1\nARG IMAGE=second:2\nARG TAG=x\nFROM $IMAGE\nFROM base:${TAG}\n";
    expect(resolveDockerfileDependencies(text)).toEqual({
      runtime: "base:x",
      buildtime: ["first:1"],
    });
    expect(resolveDockerfileDependencies(text, { buildArgs: ["TAG=override"] }).runtime).toBe(
      "base:override",
    );
  });

  test("only the first token after ARG counts, and ARG without a default records nothing", () => {
    const text = "ARG A=one B=two\nARG C\nFROM img:$A$B$C\n";
    expect(resolveDockerfileDependencies(text).runtime).toBe("img:one");
  });

  test("keywords are case-insensitive; comments, blank lines and CRLF endings are skipped", () => {
    const text = "# syntax=docker/dockerfile:1\r\n\r\n  from alpine:3.18 as Base\r\nfrom Base\r\n";
    expect(resolveDockerfileDependencies(text)).toEqual({ runtime: "alpine:3.18", buildtime: [] });
  });

  test("the same origin named twice is one build-time dependency", () => {
    const text = "FROM golang:1.21 AS a\nFROM golang:1.21 AS b\nFROM alpine\n";
    expect(resolveDockerfileDependencies(text)).toEqual({
      runtime: "alpine",
      buildtime: ["golang:1.21"],
    });
  });

  test("extra tokens after the alias are ignored with a log line", () => {
    const messages: string[] = [];
    const result = resolveDockerfileDependencies("FROM node:20 AS build extra words\n", {
      log: (message) => messages.push(message),
    });
    expect(result.runtime).toBe("node:20");
    expect(messages).toEqual(["Ignoring chunks from FROM clause: [extra words]"]);
  });

  test("T-S15: FROM --platform is not understood (faithful to acb)", () => {
    expect(() =>
      resolveDockerfileDependencies("FROM --platform=$BUILDPLATFORM golang AS b\nFROM alpine\n"),
    ).toThrow("unable to understand line FROM --platform=$BUILDPLATFORM golang AS b");
    expect(() => resolveDockerfileDependencies("FROM --platform=linux/amd64 node:20\n")).toThrow(
      "unable to understand line FROM --platform=linux/amd64 node:20",
    );
  });

  test("line continuations are not joined: a continued line that starts with FROM is read", () => {
    const text =
      'FROM python:3.12\nRUN python -c "\\\nfrom huggingface_hub import snapshot_download"\n';
    expect(() => resolveDockerfileDependencies(text)).toThrow(
      'unable to understand line from huggingface_hub import snapshot_download"',
    );
  });

  test("FROM without an image, and three tokens, are not understood", () => {
    expect(() => resolveDockerfileDependencies("FROM\n")).toThrow("unable to understand line FROM");
    expect(() => resolveDockerfileDependencies("FROM a AS\n")).toThrow(
      "unable to understand line FROM a AS",
    );
  });

  test("ARG needs an argument", () => {
    expect(() => resolveDockerfileDependencies("ARG\nFROM alpine\n")).toThrow(
      "dockerfile syntax requires ARG directive to have exactly 1 argument. LINE: ARG",
    );
  });

  test("a Dockerfile without FROM has an unexpected format", () => {
    expect(() => resolveDockerfileDependencies("RUN echo hi\n")).toThrow(
      "unexpected dockerfile format",
    );
    expect(() => resolveDockerfileDependencies("")).toThrow("unexpected dockerfile format");
  });

  test("a --build-arg without = fails the scan (spec T-S14)", () => {
    expect(() => resolveDockerfileDependencies("FROM alpine\n", { buildArgs: ["FOO"] })).toThrow(
      "FOO cannot be split into 2 tokens with '='",
    );
  });
});

describe("expandVariables (Go's os.Expand)", () => {
  const values = new Map([
    ["A", "x"],
    ["B_2", "y"],
    ["1", "one"],
  ]);
  const lookup = (name: string) => values.get(name) ?? "";

  test.each([
    ["$A", "x"],
    ["${A}", "x"],
    ["pre-$A-post", "pre-x-post"],
    ["$B_2/$A", "y/x"],
    ["$UNKNOWN", ""],
    ["${A:-default}", ""],
    ["$", "$"],
    ["a$", "a$"],
    ["$1b", "oneb"],
    ["${}", ""],
    ["${A", "A"],
    ["$/x", "$/x"],
    ["no variables", "no variables"],
  ])("%j → %j", (text, expanded) => {
    expect(expandVariables(text, lookup)).toBe(expanded);
  });
});

describe("parseAssignment", () => {
  test.each([
    ["A=b", ["A", "b"]],
    ['A="b c"', ["A", "b c"]],
    ["A='b'", ["A", "b"]],
    [`A="'b'"`, ["A", "b"]],
    ["A=b=c", ["A", "b=c"]],
    ["A=", ["A", ""]],
  ])("%s", (assignment, parts) => {
    expect(parseAssignment(assignment)).toEqual(parts);
  });
});
