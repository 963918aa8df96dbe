// Entry point of the CLI bundle: argv in, exit code out.

export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`ERROR: acrtask is not ready for: ${argv.join(" ")}\n`);
  return 2;
}
