// The settings the CLI core reads before parsing: configured defaults (`[defaults] acr/group`),
// the default output format and the error-recommendation and only-show-errors switches.
// Like az, an environment variable AZURE_<SECTION>_<OPTION> wins over any file; then
// acrtask's own `config` file, then az's.

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type IniSections = Map<string, Map<string, string>>;

const SECTION_HEADER = /^\[(.+)\]/;
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/;

function leadingWhitespace(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Reads INI text the way Python's configparser does for az's files: `#`/`;` comment lines,
 * `key = value` or `key: value`, keys case-insensitive, indented continuation lines.
 */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  let lastIndent = 0;

  for (const rawLine of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/)) {
    const stripped = rawLine.trim();
    if (stripped.startsWith("#") || stripped.startsWith(";")) {
      continue;
    }

    const indent = leadingWhitespace(rawLine);
    if (stripped === "") {
      if (current && lastKey !== undefined) {
        current.set(lastKey, `${current.get(lastKey)}\n`);
      }
      continue;
    }
    if (current && lastKey !== undefined && indent > lastIndent) {
      current.set(lastKey, `${current.get(lastKey)}\n${stripped}`);
      continue;
    }

    const header = SECTION_HEADER.exec(stripped);
    if (header) {
      const name = header[1];
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }

    const option = OPTION_LINE.exec(stripped);
    if (current && option && option[1].trimEnd() !== "") {
      lastKey = option[1].trimEnd().toLowerCase();
      lastIndent = indent;
      current.set(lastKey, option[3].trim());
    }
  }

  // Empty lines kept inside values are trimmed from their end, as configparser does.
  for (const section of sections.values()) {
    for (const [key, value] of section) {
      section.set(key, value.replace(/\n+$/, ""));
    }
  }
  return sections;
}

/** configparser's BasicInterpolation: `%%` is a percent sign, `%(name)s` another option. */
function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(/%%|%\(([^)]+)\)s/g, (match, name: string | undefined) => {
    if (match === "%%") {
      return "%";
    }
    return lookup((name as string).toLowerCase()) ?? match;
  });
}

function readIni(path: string): IniSections {
  // Most machines have no config file: checking first spares building an ENOENT error.
  if (!existsSync(path)) {
    return new Map();
  }
  try {
    return parseIni(readFileSync(path, "utf8"));
  } catch {
    return new Map();
  }
}

function lookupIn(sections: IniSections, section: string, option: string): string | undefined {
  const key = option.toLowerCase();
  const raw = sections.get(section)?.get(key) ?? sections.get("DEFAULT")?.get(key);
  if (raw === undefined) {
    return undefined;
  }
  return interpolate(
    raw,
    (name) => sections.get(section)?.get(name) ?? sections.get("DEFAULT")?.get(name),
  );
}

const BOOLEAN_STATES: Record<string, boolean> = {
  "1": true,
  yes: true,
  true: true,
  on: true,
  "0": false,
  no: false,
  false: false,
  off: false,
};

export class CliConfig {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly files: readonly IniSections[],
  ) {}

  get(section: string, option: string): string | undefined {
    const variable = `AZURE_${section.toUpperCase()}_${option.toUpperCase()}`;
    const fromEnvironment = this.env[variable];
    if (fromEnvironment !== undefined) {
      return fromEnvironment;
    }
    for (const file of this.files) {
      const value = lookupIn(file, section, option);
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  }

  /** configparser's getboolean; a value it would reject counts as the fallback. */
  getBoolean(section: string, option: string, fallback: boolean): boolean {
    const value = this.get(section, option);
    if (value === undefined) {
      return fallback;
    }
    return BOOLEAN_STATES[value.toLowerCase()] ?? fallback;
  }

  /** `[defaults] acr` / `group`, as `az configure --defaults` writes them; empty means unset. */
  configuredDefault(name: string): string | undefined {
    return this.get("defaults", name) || undefined;
  }

  get defaultOutput(): string {
    return this.get("core", "output") ?? "json";
  }

  get onlyShowErrors(): boolean {
    return this.getBoolean("core", "only_show_errors", false);
  }

  get errorRecommendation(): boolean {
    return (this.get("core", "error_recommendation") ?? "on").toUpperCase() !== "OFF";
  }

  /** With `use_dynamic_install = no`, az points to extensions when a root command is unknown. */
  get dynamicInstallDisabled(): boolean {
    const value = (this.get("extension", "use_dynamic_install") ?? "yes_prompt").toLowerCase();
    return value === "no";
  }
}

// As in az, a directory named by the environment is taken literally; only the default is
// resolved against the home directory.

/** acrtask's own directory: profile, token cache and config. */
export function acrtaskConfigDir(env: NodeJS.ProcessEnv): string {
  return env.ACRTASK_CONFIG_DIR ?? join(env.HOME ?? homedir(), ".acrtask");
}

/** az's directory, whose `config` acrtask also honours. */
export function azureConfigDir(env: NodeJS.ProcessEnv): string {
  return env.AZURE_CONFIG_DIR ?? join(env.HOME ?? homedir(), ".azure");
}

export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  return new CliConfig(env, [
    readIni(join(acrtaskConfigDir(env), "config")),
    readIni(join(azureConfigDir(env), "config")),
  ]);
}
