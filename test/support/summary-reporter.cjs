// Ends the run with one plain line, `Tests: N passed, N failed`, that tools reading test logs
// understand without knowing jest's own summary format.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.stdout.write(`${line}${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}

module.exports = SummaryReporter;
