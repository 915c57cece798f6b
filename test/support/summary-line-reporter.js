/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, as the very last
 * line of the run. CI reads a run's closing line to tell "passed" from "ran no test", and Jest's
 * `Tests: 1125 passed, 1125 total` is not a form it knows. A suite that failed to run
 * (import error, crashed worker) has no failed test of its own, so it counts as one failure
 * here: the line must never read "0 failed" for a broken run.
 */
const fs = require('node:fs');

class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    // Written as the process exits, so that it is the last line, after Jest's summary and its
    // force-exit warning; straight to fd 1, because forceExit's `exit-x` has replaced
    // process.stdout.write with a no-op by then.
    process.once('exit', () => fs.writeSync(1, line));
  }
}
module.exports = SummaryLineReporter;
