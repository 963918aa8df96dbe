import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { ImageDependencies } from "../../../../src/emulator/runner/scan/dependencies.js";
import {
  newImageReference,
  type ImageReference,
} from "../../../../src/emulator/runner/scan/reference.js";
import {
  renderDependencyJson,
  renderDependencyReport,
  renderDependencyYaml,
  renderRunConclusion,
  yamlScalar,
} from "../../../../src/emulator/runner/scan/report.js";

const FIXTURES = join(__dirname, "../../../fixtures/runner-scan");

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

function withDigest(name: string, digest: string): ImageReference {
  return { ...newImageReference(name), digest };
}

describe("renderDependencyYaml", () => {
  test("the tutorial's reference transcript (spec §5.5)", () => {
    const entries: ImageDependencies[] = [
      {
        image: withDigest("myregistry.azurecr.io/hello-world:cab", "sha256:…"),
        runtime: withDigest("node:15-alpine", "sha256:…"),
        buildtime: [],
        gitHeadRevision: "<sha of the source checkout>",
      },
    ];
    expect(renderDependencyYaml(entries)).toBe(fixture("report-tutorial.txt"));
  });

  test(
    "an image without a tag shows no tag line; a build without " + "-t starts with its runtime",
    () => {
      const digest = `sha256:${"b".repeat(64)}`;
      const entries: ImageDependencies[] = [
        {
          image: null,
          runtime: newImageReference(`alpine@${digest}`),
          buildtime: [],
          gitHeadRevision: "",
        },
      ];
      expect(renderDependencyYaml(entries)).toBe(
        [
          "- runtime-dependency:",
          "    registry: registry.hub.docker.com",
          "    repository: library/alpine",
          `    digest: ${digest}`,
          "  git: {}",
          "",
        ].join("\n"),
      );
    },
  );

  test("two entries follow each other as two list items", () => {
    const runtime = newImageReference("mcr.microsoft.com/hello-world:latest");
    const entries: ImageDependencies[] = ["cf1", "latest"].map((tag) => ({
      image: newImageReference(`myregistry.azurecr.io/hello-world:${tag}`),
      runtime,
      buildtime: [],
      gitHeadRevision: "",
    }));
    expect(renderDependencyYaml(entries)).toBe(
      [
        "- image:",
        "    registry: myregistry.azurecr.io",
        "    repository: hello-world",
        "    tag: cf1",
        "  runtime-dependency:",
        "    registry: mcr.microsoft.com",
        "    repository: hello-world",
        "    tag: latest",
        "  git: {}",
        "- image:",
        "    registry: myregistry.azurecr.io",
        "    repository: hello-world",
        "    tag: latest",
        "  runtime-dependency:",
        "    registry: mcr.microsoft.com",
        "    repository: hello-world",
        "    tag: latest",
        "  git: {}",
        "",
      ].join("\n"),
    );
  });
});

describe("renderDependencyReport and renderRunConclusion (real ACR logs)", () => {
  test("numeric tags double-quoted and a git revision (run cj11, spec T-S11, T-S12)", () => {
    const entries: ImageDependencies[] = [
      {
        image: withDigest(
          "myregejv.azurecr.io/helium-csharp:cj11",
          "sha256:5c28202fe57c2fe289e3dd60b2a5b95a60eef657c2e0394fb87275b924fcf5e4",
        ),
        runtime: withDigest(
          "mcr.microsoft.com/dotnet/core/aspnet:2.2",
          "sha256:470b07b57e48fc0b742f0498e7e4a1e697c17002317a33bd0dae0b9e6c6bc8ad",
        ),
        buildtime: [
          withDigest(
            "mcr.microsoft.com/dotnet/core/sdk:2.2",
            "sha256:3ad18424d43e58cfc03ff828465a811463add47042de3ae0d1aeffbef97fd63d",
          ),
        ],
        gitHeadRevision: "ec1f8ee097c4797aee35f22643f1e0ce3e90490d",
      },
    ];

    const log =
      renderDependencyReport(entries, "2019/12/11 15:34:30 ") +
      renderRunConclusion("cj11", { duration: "1m12s" });

    expect(log).toBe(fixture("report-helium-csharp.txt"));
  });

  test(
    "FROM scratch without a digest, two build-time dependencies, " +
      "git: {} (run cw1, spec T-S10, T-S12)",
    () => {
      const entries: ImageDependencies[] = [
        {
          image: withDigest(
            "vaultacrac447bf6.azurecr.io/vault:1.10.4",
            "sha256:4b0e51757931ed23b784676603fc29064cda34a8bbe137da93dd077af87c7ad9",
          ),
          runtime: newImageReference("scratch:latest"),
          buildtime: [
            withDigest(
              "debian:buster",
              "sha256:e5b41ae2b4cf0d04b80cd2f89724e9cfc09e334ac64f188b9808929c748af526",
            ),
            withDigest(
              "alpine:latest",
              "sha256:686d8c9dfa6f3ccfc8230bc3178d23f84eeaf7e457f36f271ab1acc53015037c",
            ),
          ],
          gitHeadRevision: "",
        },
      ];

      const log =
        renderDependencyReport(entries, "2022/06/14 16:21:15 ") +
        renderRunConclusion("cw1", { duration: "37s" });

      expect(log).toBe(fixture("report-vault-scratch.txt"));
    },
  );

  test("no entries, no report", () => {
    expect(renderDependencyReport([], "2026/01/01 00:00:00 ")).toBe("");
  });

  test("the failure verdict", () => {
    expect(
      renderRunConclusion("ce9", {
        duration: "34s",
        error: "failed during run, err: exit status 1",
      }),
    ).toBe("\nRun ID: ce9 failed after 34s. Error: failed during run, err: exit status 1\n");
  });
});

describe("renderDependencyJson", () => {
  test("acb's own compact JSON line (acb docs, 2019)", () => {
    const entries: ImageDependencies[] = [
      {
        image: withDigest("myregistry1.azurecr.io/hello-world:latest", "sha256:92c7…"),
        runtime: withDigest("hello-world:latest", "sha256:2557…"),
        buildtime: [],
        gitHeadRevision: "",
      },
    ];
    expect(`${renderDependencyJson(entries)}\n`).toBe(fixture("acb-report-2019.json"));
  });

  test("a null image, build-time dependencies, and an omitted empty tag", () => {
    const digest = `sha256:${"c".repeat(64)}`;
    const entries: ImageDependencies[] = [
      {
        image: null,
        runtime: newImageReference(`alpine@${digest}`),
        buildtime: [newImageReference("golang:1.21")],
        gitHeadRevision: "abc",
      },
    ];
    expect(renderDependencyJson(entries)).toBe(
      `[{"image":null,"runtime-dependency":{"registry":"registry.hub.docker.com","repository":"library/alpine","digest":"${digest}","reference":"alpine@${digest}"},"buildtime-dependency":[{"registry":"registry.hub.docker.com","repository":"library/golang","tag":"1.21","digest":"","reference":"golang:1.21"}],"git":{"git-head-revision":"abc"}}]`,
    );
  });
});

describe("renderDependencyJson escaping", () => {
  test("<, > and & are escaped as Go's encoder does", () => {
    const entries: ImageDependencies[] = [
      {
        image: null,
        runtime: newImageReference("alpine:3"),
        buildtime: [],
        gitHeadRevision: "<a&b>",
      },
    ];
    expect(renderDependencyJson(entries)).toContain(
      '"git":{"git-head-revision":"\\u003ca\\u0026b\\u003e"}',
    );
  });
});

describe("yamlScalar (go-yaml v2 quoting, spec T-S11)", () => {
  test.each([
    ["2.2", '"2.2"'],
    ["8.0", '"8.0"'],
    ["1", '"1"'],
    ["16", '"16"'],
    ["017", '"017"'],
    ["089", '"089"'],
    ["1e3", '"1e3"'],
    ["0x1F", '"0x1F"'],
    ["0o17", '"0o17"'],
    ["0b101", '"0b101"'],
    ["1_000", '"1_000"'],
    ["yes", '"yes"'],
    ["No", '"No"'],
    ["on", '"on"'],
    ["OFF", '"OFF"'],
    ["y", '"y"'],
    ["true", '"true"'],
    ["null", '"null"'],
    ["~", '"~"'],
    ["2023-10-05", '"2023-10-05"'],
    ["2023-1-5", '"2023-1-5"'],
    ["1:30", '"1:30"'],
    ["latest", "latest"],
    ["15-alpine", "15-alpine"],
    ["1.10-alpine", "1.10-alpine"],
    ["3.1-buster-slim", "3.1-buster-slim"],
    ["2023-02-30", "2023-02-30"],
    ["2023-13-01", "2023-13-01"],
    ["1.2.3", "1.2.3"],
    ["v1", "v1"],
    ["NaN", "NaN"],
    ["inf", "inf"],
    ["sha256:abc", "sha256:abc"],
    ["localhost:5000", "localhost:5000"],
    ["ec1f8ee097c4797aee35f22643f1e0ce3e90490d", "ec1f8ee097c4797aee35f22643f1e0ce3e90490d"],
    ["1234567", '"1234567"'],
    ["1234567e", "1234567e"],
    ["@x", "'@x'"],
  ])("%j → %s", (value, rendered) => {
    expect(yamlScalar(value)).toBe(rendered);
  });
});
