// main(): dispatch, forwarding, the hand-over to a command's run, output, notices, exit codes
// and the final --verbose line.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Context } from "../../src/cli/context.js";
import { CliError } from "../../src/cli/errors.js";
import { main, type MainOptions } from "../../src/cli/main.js";
import type { CommandTable } from "../../src/cli/parser.js";
import type { CommandModule, ParsedOptions } from "../../src/cli/spec.js";
import { azShapedTable } from "./az-shaped-table.js";
import { textSink } from "./corpus-harness.js";

let configDir: string;

beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), "acrtask-main-"));
});

afterEach(() => {
  rmSync(configDir, { recursive: true, force: true });
});

interface Run {
  rc: number;
  stdout: string;
  stderr: string;
  forwarded?: readonly string[];
  stdinReads: number;
}

async function run(argv: string[], options: MainOptions = {}): Promise<Run> {
  const stdout = textSink();
  const stderr = textSink();
  let forwarded: readonly string[] | undefined;
  let stdinReads = 0;
  const rc = await main(argv, {
    stdout,
    stderr,
    env: { HOME: configDir, AZURE_CONFIG_DIR: configDir, ACRTASK_CONFIG_DIR: configDir },
    cwd: configDir,
    readStdin: () => {
      stdinReads += 1;
      return "from stdin";
    },
    table: azShapedTable(),
    forward: async (args) => {
      forwarded = args;
      return 42;
    },
    ...options,
  });
  return { rc, stdout: stdout.text, stderr: stderr.text, forwarded, stdinReads };
}

/** A table with one working command, `acr task list`, that records what it was given. */
function recordingTable(
  record: (options: ParsedOptions, context: Context) => unknown,
  module: Partial<CommandModule> = {},
): CommandTable {
  const table = azShapedTable();
  const original = table.commands["acr task list"];
  table.commands["acr task list"] = async () => {
    const loaded = await original();
    return {
      ...loaded,
      run: async (options, context) => record(options, context),
      ...module,
    };
  };
  return table;
}

describe("what is forwarded to the real az", () => {
  test.each([
    [["acr", "list"]],
    [["acr"]],
    [["acr", "-h"]],
    [["-h"]],
    [["help"]],
    [["--version"]],
    [[]],
    [["--debug"]],
    [["storage", "account", "list", "--bogus"]],
    [["acr", "repository", "show", "-n", "x"]],
    // A global option first: az's acr parser then knows only its first command (acr check-name).
    [["-o", "table", "acr", "task", "list", "-r", "r"]],
  ])("%j", async (argv) => {
    const result = await run(argv);
    expect(result.forwarded).toEqual(argv);
    expect(result.rc).toBe(42);
    expect(result.stderr).toBe("");
  });

  test("a group acrtask implements only partly forwards names it does not know", async () => {
    const table: CommandTable = {
      groups: { account: { summary: "Subscriptions." } },
      commands: {
        "account show": async () => ({ spec: { summary: "", arguments: [], examples: [] } }),
      },
    };
    const result = await run(["account", "lock", "list"], { table });
    expect(result.forwarded).toEqual(["account", "lock", "list"]);
  });

  test("a misspelling in a group acrtask implements completely is answered here", async () => {
    const result = await run(["acr", "task", "lst"]);
    expect(result.forwarded).toBeUndefined();
    expect(result.rc).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      "ERROR: 'lst' is misspelled or not recognized by the system.",
    );
  });

  test(
    "a command without a run goes to az with the original " + "arguments, @file unexpanded",
    async () => {
      writeFileSync(join(configDir, "name.txt"), "mytask\n");
      const table = recordingTable(() => undefined, { run: undefined });
      const result = await run(["acr", "task", "list", "-r", "@name.txt"], { table });
      expect(result.forwarded).toEqual(["acr", "task", "list", "-r", "@name.txt"]);
    },
  );

  test("standard input is left unread for a forwarded command", async () => {
    const result = await run(["acr", "list", "--query", "@-"]);
    expect(result.forwarded).toEqual(["acr", "list", "--query", "@-"]);
    expect(result.stdinReads).toBe(0);
  });

  test("--only-show-errors with --debug is refused before anything else", async () => {
    const result = await run(["acr", "list", "--debug", "--only-show-errors"]);
    expect(result.forwarded).toBeUndefined();
    expect(result.rc).toBe(1);
  });
});

describe("running a command", () => {
  test("options reach run by name, with az's conversions and defaults", async () => {
    let received: ParsedOptions | undefined;
    const table = azShapedTable();
    table.commands["acr task create"] = async () => ({
      ...(await azShapedTable().commands["acr task create"]()),
      run: async (options) => {
        received = options;
        return undefined;
      },
    });
    const result = await run(
      [
        "acr",
        "task",
        "create",
        "-n",
        "t",
        "-r",
        "reg",
        "--cpu",
        " +4 ",
        "--status",
        "disabled",
        "-t",
        "a:1",
        "--image=b:2",
        "--no-push",
        "--commit-trigger-enabled",
        "FALSE",
        "--assign-identity",
        "--is-system-task",
        "--base-image-trigger-type",
        "all",
      ],
      { table },
    );
    expect(result.stderr).toBe(
      "WARNING: Argument '--is-system-task' is in preview and under development. " +
        "Reference and support levels: https://aka.ms/CLI_refstatus\n",
    );
    expect(result.rc).toBe(0);
    expect(received).toMatchObject({
      task_name: "t",
      registry_name: "reg",
      cpu: 4,
      timeout: 3600,
      status: "Disabled",
      image_names: ["a:1", "b:2"],
      no_push: true,
      no_cache: undefined,
      commit_trigger_enabled: false,
      pull_request_trigger_enabled: undefined,
      base_image_trigger_enabled: true,
      base_image_trigger_type: "All",
      assign_identity: [],
      is_system_task: true,
      source_trigger_name: "defaultSourceTriggerName",
      arg: undefined,
    });
  });

  test("the positional of acr build and a configured registry", async () => {
    let received: ParsedOptions | undefined;
    const table = azShapedTable();
    table.commands["acr build"] = async () => ({
      ...(await azShapedTable().commands["acr build"]()),
      run: async (options) => {
        received = options;
        return undefined;
      },
    });
    writeFileSync(join(configDir, "config"), "[defaults]\nacr = fromconfig\n");
    const result = await run(["acr", "build", ".", "--no-logs"], { table });
    expect(result.rc).toBe(0);
    expect(received).toMatchObject({
      source_location: ".",
      registry_name: "fromconfig",
      no_logs: true,
    });
  });

  test("the result is rendered with the output format, query and table transformer", async () => {
    const tableTransformer = (value: unknown) => value as Record<string, unknown>[];
    const renderOutput = jest.fn(() => "rendered\n");
    const table = recordingTable(() => [{ name: "t" }], { tableTransformer });
    const result = await run(["acr", "task", "list", "-r", "r", "-o", "TABLE", "--query", "[0]"], {
      table,
      renderOutput,
      compileQuery: () => ({}),
    });
    expect(result.stdout).toBe("rendered\n");
    expect(renderOutput).toHaveBeenCalledWith([{ name: "t" }], {
      output: "table",
      query: "[0]",
      tableTransformer,
    });
  });

  test("no result prints nothing, not even the renderer's newline", async () => {
    const renderOutput = jest.fn(() => "\n");
    const result = await run(["acr", "task", "list", "-r", "r"], {
      table: recordingTable(() => null),
      renderOutput,
    });
    expect(result.stdout).toBe("");
    expect(renderOutput).not.toHaveBeenCalled();
  });

  test("the context names the command and carries the global options", async () => {
    let context: Context | undefined;
    const table = recordingTable((_options, received) => {
      context = received;
      return undefined;
    });
    await run(["acr", "task", "list", "-r", "r", "--subscription", "MySub", "--verbose"], {
      table,
      resolveSubscription: (value) => (value.toLowerCase() === "mysub" ? "0000-1111" : undefined),
    });
    expect(context?.commandName).toBe("acr task list");
    expect(context?.configDir).toBe(configDir);
    expect(context?.globals).toEqual({
      output: "json",
      query: undefined,
      subscription: "0000-1111",
      debug: false,
      verbose: true,
      onlyShowErrors: false,
    });
  });

  test(
    "an unknown subscription is warned about while parsing, " + "before any other output",
    async () => {
      const table = recordingTable((_options, context) => {
        context.logger.warning("from the command");
        return undefined;
      });
      const result = await run(["acr", "task", "list", "--subscription", "nope", "-r", "r"], {
        table,
      });
      expect(result.stderr).toBe(
        "WARNING: Subscription 'nope' not recognized.\nWARNING: from the command\n",
      );
    },
  );

  test(
    "the preview notice of acr taskrun comes before the command " + "runs, unless errors only",
    async () => {
      const table = azShapedTable();
      table.commands["acr taskrun list"] = async () => ({
        ...(await azShapedTable().commands["acr taskrun list"]()),
        run: async (_options, context) => {
          context.stderr.write("running\n");
          return undefined;
        },
      });
      const notice =
        "WARNING: Command group 'acr taskrun' is in preview and under development. " +
        "Reference and support levels: https://aka.ms/CLI_refstatus\n";
      expect((await run(["acr", "taskrun", "list", "-r", "r"], { table })).stderr).toBe(
        `${notice}running\n`,
      );
      expect(
        (await run(["acr", "taskrun", "list", "-r", "r", "--only-show-errors"], { table })).stderr,
      ).toBe("running\n");
    },
  );
});

describe("exit codes and error output", () => {
  test("a CliError prints its lines and exits with its code", async () => {
    const table = recordingTable(() => {
      throw new CliError("(NotFound) gone", 3, ["Code: NotFound"]);
    });
    const result = await run(["acr", "task", "list", "-r", "r"], { table });
    expect(result.rc).toBe(3);
    expect(result.stderr).toBe("ERROR: (NotFound) gone\nCode: NotFound\n");
  });

  test("an unexpected failure prints az's block, the stack only with --debug", async () => {
    const table = recordingTable(() => {
      throw new TypeError("boom");
    });
    const plain = await run(["acr", "task", "list", "-r", "r"], { table });
    expect(plain.rc).toBe(1);
    expect(plain.stderr).toBe(
      "ERROR: The command failed with an unexpected error. Here is the traceback:\n" +
        "ERROR: boom\n" +
        "To check existing issues, please visit: https://github.com/Azure/azure-cli/issues\n" +
        "To open a new issue, please run `az feedback`\n",
    );

    const debug = await run(["acr", "task", "list", "-r", "r", "--debug"], { table });
    expect(debug.stderr).toContain("ERROR: boom\nTypeError: boom\n    at ");
  });

  test("--verbose ends with az's timing line, after errors too", async () => {
    const result = await run(["acr", "task", "lst", "--verbose"]);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("ERROR: 'lst' is misspelled or not recognized by the system.");
    expect(lines.at(-1)).toMatch(
      /^INFO: Command ran in \d+\.\d{3} seconds \(init: \d+\.\d{3}, invoke: \d+\.\d{3}\)$/,
    );
  });

  test("help goes to stdout and exits 0, even after unknown arguments", async () => {
    const result = await run(["acr", "task", "list", "--bogus", "-h"]);
    expect(result.rc).toBe(0);
    expect(result.stdout.startsWith("\nCommand\n    az acr task list : ")).toBe(true);
  });
});

describe("configuration", () => {
  test("environment beats acrtask's config, which beats az's", async () => {
    const azureDir = join(configDir, "azure");
    const acrtaskDir = join(configDir, "acrtask");
    for (const [dir, value] of [
      [azureDir, "fromaz"],
      [acrtaskDir, "fromacrtask"],
    ]) {
      mkdirSync(dir);
      writeFileSync(
        join(dir, "config"),
        `[defaults]\nacr = ${value}\n[core]\noutput = ${value === "fromaz" ? "yaml" : "tsv"}\n`,
      );
    }

    let received: { options: ParsedOptions; context: Context } | undefined;
    const table = recordingTable((options, context) => {
      received = { options, context };
      return undefined;
    });
    const env = { HOME: configDir, AZURE_CONFIG_DIR: azureDir, ACRTASK_CONFIG_DIR: acrtaskDir };

    await run(["acr", "task", "list"], { table, env });
    expect(received?.options.registry_name).toBe("fromacrtask");
    expect(received?.context.globals.output).toBe("tsv");

    await run(["acr", "task", "list"], {
      table,
      env: { ...env, AZURE_DEFAULTS_ACR: "fromenv", AZURE_CORE_OUTPUT: "JSONC" },
    });
    expect(received?.options.registry_name).toBe("fromenv");
    expect(received?.context.globals.output).toBe("jsonc");

    rmSync(join(acrtaskDir, "config"));
    await run(["acr", "task", "list"], { table, env });
    expect(received?.options.registry_name).toBe("fromaz");
    expect(received?.context.globals.output).toBe("yaml");
  });
});
