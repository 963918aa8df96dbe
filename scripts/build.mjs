// Bundles the CLI and the Node API with esbuild. Code splitting keeps every command and every
// SDK in a chunk of its own, loaded only when used.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli/main.ts", index: "src/index.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __acrtaskCreateRequire } from 'node:module';\nconst require = __acrtaskCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
