import { resolveSchemathesis } from './schemathesis';

/** `npm run schemathesis:install`: installs the pinned API fuzzer from PyPI into `.tools/schemathesis`. */
const st = resolveSchemathesis();
if (!st) {
  console.error('Could not install schemathesis from PyPI.');
  process.exit(1);
}
console.log(`schemathesis: ${st.command}`);
