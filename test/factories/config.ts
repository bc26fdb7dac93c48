import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import type { ConfigValues } from '../../src/config/namespaces';

/**
 * A validated configuration for tests: the defaults, then what the test names. startApp gives it to
 * the app's own ConfigModule.forRoot, so each app in the test process carries its own.
 */
export function testConfig(env: Record<string, string | undefined> = {}): ConfigValues {
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
