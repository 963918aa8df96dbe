// `az acr task identity assign | show` through the CLI, replayed from az 2.45's runs of them.
// `identity remove`, where az 2.45 always crashes, is in the golden replay (capture 17).

import { expectSameAsAz, replayApiCapture } from "../../golden/replay.js";

const IDENTITY = (verb: string) => ["acr", "task", "identity", verb, "-n", "mytask", "-r", "myreg"];

test.each([
  [
    "identity-assign",
    [
      ...[...IDENTITY("assign"), "--identities", "[system]"],
      "/subscriptions/x/resourcegroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
    ],
  ],
  ["identity-assign-all", [...IDENTITY("assign"), "--identities", "[all]"]],
  ["identity-assign-bare", [...IDENTITY("assign"), "--identities"]],
  ["identity-assign-default", IDENTITY("assign")],
  ["identity-show", IDENTITY("show")],
  ["identity-show-none", IDENTITY("show")],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayApiCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});
