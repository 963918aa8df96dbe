// Bundles the CLI and the Node API with esbuild. Code splitting keeps every command and every
// SDK in a chunk of its own, loaded only when used.
//
// A second, CommonJS bundle of the CLI (dist/cli.cjs) is what bin/acrtask starts from: V8 can
// cache the compiled code of a classic script (vm.Script cachedData) but, on Node 20, not of an
// ES module, and compiling the ES modules was most of acrtask's start-up time. That bundle holds
// acrtask's own code only; the Azure SDKs stay in the ES module chunks, reached through small
// re-exporting entries (dist/vendor/*.js), so their code ships once.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });

/** The packages acrtask's code imports at run time; each gets a re-exporting entry. */
/**
 * Packages left to node's own resolution in both bundles: a native addon finds its compiled
 * binding relative to its own package, which it cannot do from inside a bundle.
 */
const EXTERNAL_PACKAGES = ["better-sqlite3"];

const VENDOR_PACKAGES = [
  "@azure/arm-containerregistry",
  "@azure/core-rest-pipeline",
  "@azure/identity",
  "@azure/storage-blob",
];

/** Prefix of an import() the CommonJS bundle leaves to bin/acrtask, which loads it as ESM. */
const EXTERNAL_IMPORT = "acrtask-external:";

function vendorEntryName(packageName) {
  return `vendor/${packageName.replace(/^@/, "").replace("/", "-")}`;
}

const vendorEntries = {
  name: "acrtask-vendor-entries",
  setup(builder) {
    builder.onResolve({ filter: /^acrtask-vendor:/ }, (args) => ({
      path: args.path.slice("acrtask-vendor:".length),
      namespace: "acrtask-vendor",
    }));
    builder.onLoad({ filter: /.*/, namespace: "acrtask-vendor" }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};\n`,
      resolveDir: process.cwd(),
      loader: "js",
    }));
  },
};

await build({
  entryPoints: {
    cli: "src/cli/main.ts",
    index: "src/index.ts",
    ...Object.fromEntries(
      VENDOR_PACKAGES.map((name) => [vendorEntryName(name), `acrtask-vendor:${name}`]),
    ),
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  external: EXTERNAL_PACKAGES,
  target: "node20",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __acrtaskCreateRequire } from 'node:module';\nconst require = __acrtaskCreateRequire(import.meta.url);",
  },
  plugins: [vendorEntries],
  logLevel: "warning",
});

// Every import() of a package or a Node built-in is left for bin/acrtask to resolve: a script
// compiled by vm.Script cannot call import() itself without --experimental-vm-modules.
const externalImports = {
  name: "acrtask-external-imports",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "dynamic-import") {
        return undefined;
      }
      if (!args.path.startsWith("node:") && !VENDOR_PACKAGES.includes(args.path)) {
        throw new Error(`${args.importer}: import("${args.path}") has no vendor entry`);
      }
      return { path: `${EXTERNAL_IMPORT}${args.path}`, external: true };
    });
  },
};

const startBundle = await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  external: EXTERNAL_PACKAGES,
  target: "node20",
  sourcemap: "linked",
  // V8 restores the cached code faster for fewer lines; names stay, so --debug stacks still
  // name each function.
  minifyWhitespace: true,
  plugins: [externalImports],
  write: false,
  logLevel: "warning",
});

// esbuild keeps an external import() as written; turn each into a call of the loader that
// bin/acrtask passes in (specifiers relative to dist/), and refuse any left over.
for (const file of startBundle.outputFiles) {
  let text = file.text;
  if (file.path.endsWith(".cjs")) {
    const pattern = new RegExp(`\\bimport\\("${EXTERNAL_IMPORT}([^"]+)"\\)`, "g");
    text = text.replace(pattern, (_, specifier) => {
      const target = specifier.startsWith("node:")
        ? specifier
        : `./${vendorEntryName(specifier)}.js`;
      return `__acrtaskImport(${JSON.stringify(target)})`;
    });
    if (text.includes(EXTERNAL_IMPORT)) {
      throw new Error(`${file.path}: an import() is left in the CommonJS bundle`);
    }
  }
  writeFileSync(file.path, text);
}

// One help run writes the code cache (dist/cli.cjs.cache) for the node that built the package;
// another node rejects it, and bin/acrtask then writes a fresh one where it can.
const warmRun = spawnSync(process.execPath, ["bin/acrtask", "acr", "task", "list-runs", "--help"], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (warmRun.status !== 0) {
  throw new Error(`bin/acrtask --help exited ${warmRun.status} after the build`);
}
readFileSync("dist/cli.cjs.cache");
