import { AppConfig, loadConfig } from '../../src/config/app-config';

/** A validated config for tests: the defaults, then what the test names. */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NATS_URL: '',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233',
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...env,
  });
}
