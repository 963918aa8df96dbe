// The subscription argument every `account` command shares, as az declares it there.

import type { ArgumentSpec } from "../../cli/spec.js";

export const subscriptionArgument: ArgumentSpec = {
  name: "subscription",
  options: ["--subscription", "-s", "--name", "-n"],
  kind: "value",
  help: "The subscription, by name or id.",
};
