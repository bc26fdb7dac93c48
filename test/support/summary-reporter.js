// Closes the run with one plain line, 'tests: N passed, N failed, N skipped', for CI to read.
// Written at process exit, so it stands after jest's own summary. With JEST_SUMMARY_FILE set
// (scripts/test.sh, which reports the type check and lint after jest), the line is also written
// there, for that script to end its own output with.
const { writeFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    if (process.env.JEST_SUMMARY_FILE) writeFileSync(process.env.JEST_SUMMARY_FILE, line);
    process.once('exit', () => process.stdout.write(`\n${line}`));
  }
}
module.exports = SummaryReporter;
