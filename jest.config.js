/**
 * Two tiers, run together by `npm test`:
 * - `unit`: pure tables (test/unit), no service, no build: `npm run test:unit`;
 * - `services`: integration and end-to-end specs against the real Postgres, NATS and Temporal dev
 *   server (the global setup builds dist/ when needed and starts one dev server for the run).
 */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  // @marcbachmann/cel-js and json-schema-ref-parser (under swagger-parser) ship ES modules only: let ts-jest turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@marcbachmann/cel-js|@apidevtools/json-schema-ref-parser)/)'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'services',
      // Every spec outside test/unit, so none is left out of `npm test`.
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  // Run-wide options: jest reads them from here, not from a project.
  testTimeout: 60_000,
  // Two suites at once (jest would take one on 2 cores): each has its own database, NATS stream,
  // Temporal task queue and namespace, and most of a suite's time is spent waiting on those services.
  maxWorkers: 2,
  // Longest suites first, also on a clean clone, where jest has no durations of its own.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  forceExit: false,
};
