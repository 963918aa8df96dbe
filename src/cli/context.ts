// Everything a command reaches outside itself comes through the context, created lazily so a
// command pays only for what it uses, and so tests can substitute any part.

export type OutputFormat = "json" | "jsonc" | "yaml" | "yamlc" | "table" | "tsv" | "none";

export interface GlobalOptions {
  output: OutputFormat;
  query?: string;
  subscription?: string;
  debug: boolean;
  verbose: boolean;
  onlyShowErrors: boolean;
}

export interface TextSink {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface Logger {
  /** `WARNING: …` on stderr unless --only-show-errors. */
  warning(message: string): void;
  /** `INFO: …` on stderr with --verbose or --debug. */
  info(message: string): void;
  /** `DEBUG: …` on stderr with --debug; callers pass text already redacted. */
  debug(message: string): void;
}

export interface Context {
  /** The command path, e.g. "acr task create", as az names it in messages. */
  readonly commandName: string;
  readonly globals: GlobalOptions;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Directory of acrtask's profile, token cache and config (ACRTASK_CONFIG_DIR). */
  readonly configDir: string;
  readonly now: () => Date;
  /** Lazily created services; each loads its SDK on first use. */
  readonly services: Services;
}

/**
 * Service factories. Their concrete types live with the code that provides them (src/azure);
 * they are typed loosely here so the start-up path imports no SDK types.
 */
export interface Services {
  [name: string]: unknown;
}
