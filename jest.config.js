/** Unit, integration and end-to-end specs, against the real Postgres, NATS and Temporal dev server. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  // @marcbachmann/cel-js and json-schema-ref-parser (under swagger-parser) ship ES modules only: let ts-jest turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@marcbachmann/cel-js|@apidevtools/json-schema-ref-parser)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  forceExit: false,
};
