// The Node API. Commands are thin wrappers over what is exported here.
export type { CommandSpec, ArgumentSpec } from "./cli/spec.js";
