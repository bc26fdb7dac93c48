// ESLint for the whole repository: @eslint/js recommended everywhere, typescript-eslint's
// type-checked rules on the TypeScript (src and test, one tsconfig), Node globals for the scripts
// and browser globals for the console's page script.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-output/', '.data/', 'bench/results.json']),
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program from the one tsconfig. (The project service rebuilt it for src/cli.ts, whose shebang ESLint strips: 10 s more.)
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // tsc's convention (noUnusedParameters, noUnusedLocals): a leading underscore marks a name kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `async` without `await` is how this code keeps a Promise contract (CommandRunner.run, IssueSink.emit, activities, fakes): a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Specs read HTTP and NATS bodies as loosely typed JSON (test/support/http.ts jsonOf); the expectations are the check.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    files: ['src/console/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
);
