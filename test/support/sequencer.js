const Sequencer = require('@jest/test-sequencer').default;

const rank = (path) => (path.includes('/unit/') ? 0 : path.includes('/replay/') ? 1 : path.includes('/workflows/') ? 2 : 3);

/** Runs unit tests, then replay, then workflow tests, then integration tests, each group by path. */
class ByLayer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}
module.exports = ByLayer;
