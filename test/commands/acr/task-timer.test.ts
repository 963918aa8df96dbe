// `az acr task timer add | update | remove | list` through the CLI, replayed from az 2.45's runs
// of them, msrest's checks of the task PUT back included.

import { expectSameAsAz, replayApiCapture } from "../../golden/replay.js";

const TIMER = (verb: string) => ["acr", "task", "timer", verb, "-n", "mytask", "-r", "myreg"];

test.each([
  ["timer-add", [...TIMER("add"), "--timer-name", "t2", "--schedule", "0 12 * * *"]],
  [
    "timer-add-disabled",
    [...TIMER("add"), "--timer-name", "t3", "--schedule", "1 1 * * *", "--enabled", "false"],
  ],
  ["timer-update-enabled", [...TIMER("update"), "--timer-name", "t1", "--enabled", "true"]],
  ["timer-update-schedule", [...TIMER("update"), "--timer-name", "t1", "--schedule", "5 5 * * *"]],
  ["timer-list", TIMER("list")],
  ["timer-list-notimers", TIMER("list")],
  ["timer-list-notrigger", TIMER("list")],
  ["timer-remove", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-unknown-keys", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-missing", [...TIMER("remove"), "--timer-name", "nope"]],
  ["timer-remove-notrigger", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-notimers", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-invalid-noschedule", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-invalid-nodockerfile", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-invalid-lowtimeout", [...TIMER("remove"), "--timer-name", "t1"]],
  ["timer-remove-invalid-notype", [...TIMER("remove"), "--timer-name", "t1"]],
])("%s: as az 2.45", async (name, argv) => {
  const { capture, outcome } = await replayApiCapture(name, { argv });

  expectSameAsAz(capture, outcome);
});
