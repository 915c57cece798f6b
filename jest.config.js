/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Two cores: files run one after another against one shared Temporal dev server.
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Every test file stops what it starts (servers, workers, browsers, esbuild's
  // service); this is the backstop that lets CI end even if a third-party handle
  // lingers after the last test (one full run hung for minutes on such a handle).
  forceExit: true,
  // Unit tests first: they fail fastest.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // Jest's own output, then one plain closing line CI can read (see the reporter).
  reporters: ['default', '<rootDir>/test/support/summary-line-reporter.js'],
};
