import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../src/config/app-config';

/** A validated config for tests: the defaults, then what the test names. */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NATS_URL: '',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    PORT: '0',
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('suite'),
    ...env,
  });
}

/** A task queue of the suite's own. */
export function uniqueTaskQueue(suite: string): string {
  return `ac-test-${suite}-${randomBytes(3).toString('hex')}`;
}
