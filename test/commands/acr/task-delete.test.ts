// `az acr task delete` through the CLI, replayed from az 2.45's runs of it: nothing on stdout,
// az's confirmation rule, and the long-running DELETE as az polls it.

import { expectSameAsAz, replayApiCapture } from "../../golden/replay.js";

const DELETE = ["acr", "task", "delete", "-n", "mytask", "-r", "myreg"];

test.each([
  ["delete", [...DELETE, "--yes"]],
  ["delete-204", [...DELETE, "--yes"]],
  ["delete-404", [...DELETE, "--yes"]],
  ["lro-delete-location", [...DELETE, "-y"]],
  // Standard input is not a terminal under test, as it was for az.
  ["delete-no-tty", DELETE],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayApiCapture(name, { argv });

  expectSameAsAz(capture, outcome);
  expect(outcome.stdout).toBe("");
});
