// The arguments every parser shares with az: -h/--help, the logging switches, --output and
// --query (on the root and every command parser), and --subscription (every command).

import { Action, ExactChoices, TypeConversionError, type Namespace } from "./argparse.js";
import type { OutputFormat } from "./context.js";

/** az's output formats, in the order its error messages list them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  "json",
  "jsonc",
  "yaml",
  "yamlc",
  "table",
  "tsv",
  "none",
];

export const GLOBAL_ARGUMENTS_GROUP = "Global Arguments";

/** Where parsed global values live in the namespace (az's own destination names). */
export const GLOBAL_DESTINATIONS = {
  verbose: "_log_verbosity_verbose",
  debug: "_log_verbosity_debug",
  onlyShowErrors: "_log_verbosity_only_show_errors",
  output: "_output_format",
  query: "_jmespath_query",
  subscription: "_subscription",
} as const;

/** Thrown by the -h/--help action: the parser whose help was asked for. */
export class HelpRequested {
  constructor(readonly parser: unknown) {}
}

export interface GlobalArgumentSettings {
  /** The default of --output: configured `core.output`, else json. */
  defaultOutput: string;
  /** Compiles a JMESPath expression; throws on a syntax error. */
  compileQuery: (text: string) => unknown;
}

function storeTrue(dest: string) {
  return (namespace: Namespace) => {
    namespace[dest] = true;
  };
}

export function helpAction(owner: unknown): Action {
  return new Action({
    optionStrings: ["-h", "--help"],
    dest: "help",
    nargs: 0,
    store: () => {
      throw new HelpRequested(owner);
    },
  });
}

/** The global arguments in the order az's parsers hold them (after -h/--help). */
export function globalActions(settings: GlobalArgumentSettings): Action[] {
  const query = (text: string) => {
    try {
      settings.compileQuery(text);
    } catch {
      throw new TypeConversionError(text);
    }
    return text;
  };

  return [
    new Action({
      optionStrings: ["--verbose"],
      dest: GLOBAL_DESTINATIONS.verbose,
      nargs: 0,
      defaultValue: false,
      store: storeTrue(GLOBAL_DESTINATIONS.verbose),
    }),
    new Action({
      optionStrings: ["--debug"],
      dest: GLOBAL_DESTINATIONS.debug,
      nargs: 0,
      defaultValue: false,
      store: storeTrue(GLOBAL_DESTINATIONS.debug),
    }),
    new Action({
      optionStrings: ["--only-show-errors"],
      dest: GLOBAL_DESTINATIONS.onlyShowErrors,
      nargs: 0,
      defaultValue: false,
      store: storeTrue(GLOBAL_DESTINATIONS.onlyShowErrors),
    }),
    new Action({
      optionStrings: ["--output", "-o"],
      dest: GLOBAL_DESTINATIONS.output,
      choices: new ExactChoices(OUTPUT_FORMATS),
      defaultValue: settings.defaultOutput,
      // Python's str.lower runs before the choices are checked.
      type: (text) => text.toLowerCase(),
      typeName: "lower",
      store: (namespace, value) => {
        namespace[GLOBAL_DESTINATIONS.output] = value;
      },
    }),
    new Action({
      optionStrings: ["--query"],
      dest: GLOBAL_DESTINATIONS.query,
      metavar: "JMESPATH",
      type: query,
      typeName: "jmespath_type",
      store: (namespace, value) => {
        namespace[GLOBAL_DESTINATIONS.query] = value;
      },
    }),
  ];
}

/** What the subscription action reports: the subscription id, or undefined if unknown. */
export type SubscriptionResolver = (nameOrId: string) => string | undefined;

export function subscriptionAction(
  resolve: SubscriptionResolver,
  warn: (message: string) => void,
): Action {
  return new Action({
    optionStrings: ["--subscription"],
    dest: GLOBAL_DESTINATIONS.subscription,
    store: (namespace, value) => {
      const text = value as string;
      const id = resolve(text);
      if (id === undefined) {
        warn(`Subscription '${text}' not recognized.`);
      }
      namespace[GLOBAL_DESTINATIONS.subscription] = id ?? text;
    },
  });
}

export interface HelpEntry {
  options: readonly string[];
  summary: string;
  choices?: readonly string[];
  defaultText?: string;
}

/** The Global Arguments section of every command's help, in our own words. */
export function globalHelpEntries(defaultOutput: string, subscription: boolean): HelpEntry[] {
  const entries: HelpEntry[] = [
    { options: ["--debug"], summary: "Log everything, HTTP traffic included, to stderr." },
    { options: ["-h", "--help"], summary: "Print this help and exit." },
    { options: ["--only-show-errors"], summary: "Print errors only, no warnings." },
    {
      options: ["--output", "-o"],
      summary: "How results are formatted",
      choices: OUTPUT_FORMATS,
      defaultText: defaultOutput,
    },
    {
      options: ["--query"],
      summary: "A JMESPath expression applied to the result; see http://jmespath.org/.",
    },
    {
      options: ["--subscription"],
      summary:
        "Subscription name or ID to run against; `az account set -s NAME_OR_ID` sets the " +
        "default one.",
    },
    { options: ["--verbose"], summary: "Log progress to stderr; --debug logs everything." },
  ];
  return subscription ? entries : entries.filter((entry) => entry.options[0] !== "--subscription");
}
