// `az acr task credential add | update | remove | list` through the CLI, replayed from az
// 2.45's runs of them. Their output is the task's custom-registry map, `{}`, or nothing.

import { expectSameAsAz, replayApiCapture } from "../../golden/replay.js";

const CREDENTIAL = (verb: string) => [
  "acr",
  "task",
  "credential",
  verb,
  "-n",
  "mytask",
  "-r",
  "myreg",
];
const ADD = CREDENTIAL("add");

test.each([
  [
    "credential-add",
    [...ADD, "--login-server", "new.azurecr.io", "-u", "bob"],
    ["-p", "https://KV.VAULT.AZURE.NET/secrets/pw", "--use-identity", "[system]"],
  ],
  [
    "credential-add-emptyresult",
    [...ADD, "--login-server", "new.azurecr.io"],
    ["-u", "a", "-p", "b"],
  ],
  ["credential-add-exists", [...ADD, "--login-server", "other.azurecr.io"], ["-u", "a", "-p", "b"]],
  [
    "credential-add-identity",
    [...ADD, "--login-server", "id.azurecr.io"],
    ["--use-identity", "00000000-0000-0000-0000-000000000001"],
  ],
  ["credential-add-nocred", [...ADD, "--login-server", "new.azurecr.io"], ["-u", "a", "-p", "b"]],
  ["credential-add-nothing", [...ADD, "--login-server", "bare.azurecr.io"], []],
  ["credential-list", CREDENTIAL("list"), []],
  ["credential-list-empty", CREDENTIAL("list"), []],
  ["credential-list-emptymap", CREDENTIAL("list"), []],
  ["credential-list-nocred", CREDENTIAL("list"), []],
  ["credential-remove", CREDENTIAL("remove"), ["--login-server", "other.azurecr.io"]],
  [
    "credential-update",
    CREDENTIAL("update"),
    ["--login-server", "other.azurecr.io", "-p", "newpw"],
  ],
  [
    "credential-update-missing",
    CREDENTIAL("update"),
    ["--login-server", "Other.azurecr.io", "-p", "x"],
  ],
])("%s: as az 2.45", async (name, command, options) => {
  const { capture, outcome } = await replayApiCapture(name, { argv: [...command, ...options] });

  expectSameAsAz(capture, outcome);
});
