/**
 * Two tiers, run together by `npm test`:
 * - `unit`: pure tables (test/unit), no service, no build: `npm run test:unit`;
 * - `services`: integration and end-to-end specs against the real Postgres, NATS and Temporal dev
 *   server (the global setup builds dist/ when needed and starts one dev server for the run).
 */
/** @swc/jest options: the TypeScript (or JavaScript) of this repository, as CommonJS for Node 20. */
const swc = (syntax) => ({
  jsc: {
    parser: { syntax, decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // SWC, as Nest's documentation sets jest up: it compiles a file in about a twentieth of ts-jest's
  // time, which counts on a clean clone, where jest has no cache. It does not type-check; npm test
  // runs tsc --noEmit for that. Its decorator metadata gives the same constructor parameter types
  // that Nest injects by; it differs from tsc's only where nothing here reads it (a parameter typed
  // by `import type` or by a union alias, a field without a type annotation).
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc('typescript')],
    '^.+\\.js$': ['@swc/jest', swc('ecmascript')],
  },
  // @marcbachmann/cel-js and json-schema-ref-parser (under swagger-parser) ship ES modules only: let SWC turn them into CommonJS.
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
