// Configuration through @nestjs/config: the environment is validated once (environment.ts), read
// into typed namespaces (namespaces.ts), and ConfigModule.forRoot carries those values in each
// application container. This and inherited-environment.ts are the only readers of process.env.
import type { ConfigModuleOptions } from '@nestjs/config';
import { validateEnvironment } from './environment';
import { ConfigValues, configNamespaces, readConfig } from './namespaces';

/** Validates the environment (the process's by default); throws one ConfigurationError naming every bad variable. */
export function loadConfig(raw: Record<string, unknown> = process.env): ConfigValues {
  return readConfig(validateEnvironment(raw));
}

/**
 * ConfigModule.forRoot's options for one application container: these values in every namespace,
 * no .env file, and process.env neither read nor written by the module nor used as a fallback by
 * ConfigService (what was not validated is not configuration).
 */
export function configModuleOptions(values: ConfigValues): ConfigModuleOptions {
  return { isGlobal: true, ignoreEnvFile: true, validatePredefined: false, skipProcessEnv: true, load: configNamespaces(values) };
}
