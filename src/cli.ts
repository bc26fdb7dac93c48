#!/usr/bin/env node
// The `activity-core` command: preflight, definitions, spawn-log, replay, migrate.
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { EXIT, printError } from './cli/cli-output';
import { loadConfig } from './config/config';
import { ConfigurationError } from './config/environment';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    printError(`activity-core: ${error.message}`);
    process.exit(EXIT.invalid);
  }
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: ['error'],
    abortOnError: false,
    errorHandler: (error) => {
      // commander's own exits (help, usage errors) carry their code.
      const code = (error as { exitCode?: number }).exitCode;
      if (code !== undefined) process.exit(code === 0 ? 0 : EXIT.invalid);
      printError(`activity-core: ${error.message}`);
      process.exit(EXIT.invalid);
    },
    serviceErrorHandler: (error) => {
      printError(`activity-core: ${error.message}`);
      process.exitCode = EXIT.invalid;
    },
  });
}

main().catch((error: Error) => {
  printError(`activity-core: ${error.message}`);
  process.exit(EXIT.invalid);
});
