// The Node API: `import { connect, createTask, runTask, … } from "acrtask"`. The CLI's commands
// are thin wrappers over these functions.
export * from "./api/index.js";
export type { StreamOutcome } from "./logs/index.js";
