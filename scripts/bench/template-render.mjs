// How long the task-file template engine takes to render a 100-line task file once parsed, and
// to parse one the first time, in a plain node process on a bundle of the engine (jest's module
// sandbox would measure itself). acb renders every task file twice (secrets pre-render, then
// the final render), so both figures count for a run's start.
//   node scripts/bench/template-render.mjs
import { buildSync } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const directory = mkdtempSync(join(tmpdir(), "acrtask-template-bench-"));
try {
  const bundle = join(directory, "engine.cjs");
  buildSync({
    entryPoints: [new URL("../../src/taskfile/template/index.ts", import.meta.url).pathname],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: bundle,
    logLevel: "silent",
  });
  const { renderTemplate } = createRequire(import.meta.url)(bundle);

  const line =
    '  - cmd: {{ .Run.Registry }}/app:{{ .Values.tag | default "latest" }}' +
    " {{ if .Values.debug }}--debug{{ end }}\n";
  const data = { Run: { Registry: "myregistry.azurecr.io" }, Values: { tag: "v1", debug: true } };
  const text = `steps:\n${line.repeat(100)}`;

  const firstStart = process.hrtime.bigint();
  renderTemplate("first", `${text}# first\n`, data);
  const firstMs = Number(process.hrtime.bigint() - firstStart) / 1e6;

  for (let index = 0; index < 100; index += 1) {
    renderTemplate("t", text, data);
  }
  const rounds = 1000;
  const start = process.hrtime.bigint();
  for (let index = 0; index < rounds; index += 1) {
    renderTemplate("t", text, data);
  }
  const cachedMs = Number(process.hrtime.bigint() - start) / 1e6 / rounds;

  console.log("template render, 100-line task file");
  console.log(`  first render (parse + execute): ${firstMs.toFixed(3)} ms`);
  console.log(`  render once parsed:             ${cachedMs.toFixed(3)} ms (mean of ${rounds})`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
