// acb's log line formats (spec: runner §5.1) and the service's duration.

import {
  formatElapsedSeconds,
  formatLogLine,
  formatRunDuration,
  LineSplitter,
  logTimestamp,
} from "../../../src/emulator/runner/log.js";

test("Go's logger prefix, in UTC", () => {
  const moment = new Date(Date.UTC(2023, 0, 30, 11, 30, 51, 999));
  expect(logTimestamp(moment)).toBe("2023/01/30 11:30:51 ");
  expect(formatLogLine("Setting up Docker configuration...", moment)).toBe(
    "2023/01/30 11:30:51 Setting up Docker configuration...\n",
  );
  // A message that is a newline gives the timestamp and its trailing space alone on a line.
  expect(formatLogLine("\n", moment)).toBe("2023/01/30 11:30:51 \n");
});

test.each([
  [5_000, "5s"],
  [18_400, "18s"],
  [72_000, "1m12s"],
  [180_000, "3m0s"],
  [237_000, "3m57s"],
  [7_200_000, "2h0m0s"],
  [0, "0s"],
])("run duration %d ms → %s", (milliseconds, expected) => {
  expect(formatRunDuration(milliseconds)).toBe(expected);
});

test("elapsed seconds with six decimals", () => {
  expect(formatElapsedSeconds(7425.169)).toBe("7.425169");
  expect(formatElapsedSeconds(0)).toBe("0.000000");
});

test("output is passed on in whole lines; the rest gets a newline at the end", () => {
  const emitted: string[] = [];
  const splitter = new LineSplitter((text) => emitted.push(text));
  splitter.push("par");
  splitter.push("tial\nsecond\nthi");
  splitter.push("rd");
  splitter.flush();
  splitter.flush();
  expect(emitted).toEqual(["partial\nsecond\n", "third\n"]);
});
