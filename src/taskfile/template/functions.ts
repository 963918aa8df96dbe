/** The function map: Go's builtins, then Sprig v2.22's TxtFuncMap on top (Sprig's slice wins). */
import { builtinFunctions } from "./builtins.js";
import type { FunctionDef } from "./exec.js";
import { collectionFunctions } from "./sprig/collections.js";
import { cryptoFunctions } from "./sprig/crypto.js";
import { dateFunctions } from "./sprig/date.js";
import { regexFunctions } from "./sprig/regex.js";
import { semverFunctions } from "./sprig/semver.js";
import { stringFunctions } from "./sprig/strings.js";
import { systemFunctions } from "./sprig/system.js";

export const sprigFunctions: Record<string, FunctionDef> = {
  ...dateFunctions,
  ...stringFunctions,
  ...collectionFunctions,
  ...systemFunctions,
  ...regexFunctions,
  ...semverFunctions,
  ...cryptoFunctions,
};

export const defaultFunctions: ReadonlyMap<string, FunctionDef> = new Map(
  Object.entries({ ...builtinFunctions, ...sprigFunctions }),
);
