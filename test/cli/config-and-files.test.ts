// The configuration reader (configparser's INI dialect, az's precedence) and @file decoding.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CliConfig, parseIni } from "../../src/cli/config.js";
import {
  decodeFileContent,
  expandFileArguments,
  expandWholeTokenFiles,
} from "../../src/cli/expand.js";

describe("INI files as configparser reads them", () => {
  test("comments, both separators, case-insensitive keys, continuation lines", () => {
    const sections = parseIni(
      "# comment\n[defaults]\nACR = myreg\n; another\ngroup: rg \n[core]\nnote = first\n " +
        " second\n\n  third\n",
    );
    expect(sections.get("defaults")?.get("acr")).toBe("myreg");
    expect(sections.get("defaults")?.get("group")).toBe("rg");
    expect(sections.get("core")?.get("note")).toBe("first\nsecond\n\nthird");
  });

  test("the environment wins, then the files in order; DEFAULT and %% interpolation apply", () => {
    const first = parseIni("[core]\noutput = table\n");
    const second = parseIni(
      "[DEFAULT]\nbase = x%%y\n[core]\noutput = yaml\nonly_show_errors = Yes\n",
    );
    const config = new CliConfig({ AZURE_CORE_ERROR_RECOMMENDATION: "Off" }, [first, second]);
    expect(config.defaultOutput).toBe("table");
    expect(config.onlyShowErrors).toBe(true);
    expect(config.errorRecommendation).toBe(false);
    expect(config.get("core", "base")).toBe("x%y");
    expect(config.configuredDefault("acr")).toBeUndefined();
  });

  test("an empty configured default counts as none, as az's `if config_value` does", () => {
    const config = new CliConfig({ AZURE_DEFAULTS_ACR: "" }, [parseIni("[defaults]\nacr = x\n")]);
    expect(config.configuredDefault("acr")).toBeUndefined();
  });
});

describe("@file contents, decoded as az's read_file_content does", () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  test.each([
    ["UTF-8", Buffer.from("héllo"), "héllo"],
    ["UTF-8 with BOM", bytes(0xef, 0xbb, 0xbf, 0x61), "a"],
    ["an unfinished UTF-8 sequence at the end is left out", bytes(0x63, 0x61, 0x66, 0xe9), "caf"],
    ["UTF-16 with a little-endian BOM", bytes(0xff, 0xfe, 0x61, 0x00, 0x62, 0x00), "ab"],
    ["UTF-16 with a big-endian BOM", bytes(0xfe, 0xff, 0x00, 0x61), "a"],
    ["UTF-16 without BOM is little-endian", bytes(0x61, 0x00, 0xff, 0x00), "aÿ"],
    [
      "an odd last byte and a lone high surrogate at the end are left out",
      bytes(0xff, 0xfe, 0x00, 0xd8, 0x41),
      "",
    ],
    [
      "a lone low surrogate either way round is no UTF-16: base64",
      bytes(0xdc, 0xdc, 0x41, 0x41),
      "3NxBQQ==",
    ],
    [
      "an odd last byte is left out without a BOM too",
      bytes(0xff, 0x00, 0xdc, 0xff, 0xdc),
      "ÿ\uffdc",
    ],
  ])("%s", (_label, input, text) => {
    expect(decodeFileContent(input)).toBe(text);
  });
});

describe("@file arguments", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "acrtask-files-"));
    writeFileSync(join(dir, "token.txt"), "secret\n\n");
    writeFileSync(join(dir, "pointer.txt"), "@token.txt");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (stdin = "") => ({ readStdin: () => stdin, env: { HOME: "/home/x" }, cwd: "/" });

  test("whole tokens, the part after '=', ~ and stdin; unreadable paths stay", () => {
    const home = { ...options("in\n"), env: { HOME: dir } };
    expect(
      expandFileArguments(
        [
          `@${dir}/token.txt`,
          `--set=@${dir}/token.txt`,
          "k=@~/token.txt",
          "@-",
          "@",
          "a@b",
          "@/nonexistent",
        ],
        home,
      ),
    ).toEqual(["secret", "--set=secret", "k=secret", "in", "@", "a@b", "@/nonexistent"]);
  });

  test("knack's second pass reads whole @tokens again, keeping their newlines", () => {
    const first = expandFileArguments(["@pointer.txt"], { ...options(), cwd: dir });
    expect(first).toEqual(["@token.txt"]);
    expect(expandWholeTokenFiles(first, { ...options(), cwd: dir })).toEqual(["secret\n\n"]);
  });
});
