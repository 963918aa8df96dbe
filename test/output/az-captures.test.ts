// Every capture of test/fixtures/output replayed through toAzJson and the output layer: stdout,
// exit code and az's error lines must be the ones az 2.45 produced.

import { captured, comparableStderr, loadCases, replay } from "./az-cases.js";

const cases = loadCases();

describe.each([
  ["golden captures", cases.filter((azCase) => azCase.golden === true)],
  ["captures of tricky data", cases.filter((azCase) => azCase.golden !== true)],
])("%s", (_title, selected) => {
  test.each(selected.map((azCase) => [azCase.name, azCase] as const))("%s", (_name, azCase) => {
    const expected = captured(azCase);
    const actual = replay(azCase);

    expect(actual.rc).toBe(expected.rc);
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stderr).toBe(comparableStderr(azCase, expected.stderr, expected.rc));
  });
});
