import 'reflect-metadata';
import { createApp } from './app.factory';
import { ProcessLifecycle } from './common/process-lifecycle';
import type { ConfigType } from '@nestjs/config';
import { loadConfig } from './config/config';
import { httpConfig } from './config/namespaces';
import { ConfigurationError } from './config/environment';
import { redactUrl } from './common/redact';

async function bootstrap(): Promise<void> {
  const app = await createApp(loadConfig());
  // A background failure (the Temporal worker) closes the app through its shutdown hooks, then exits 1,
  // so an orchestrator restarts it: never a half-alive process.
  app.get(ProcessLifecycle).onFatal(async () => {
    await app.close().catch(() => undefined);
    process.exit(1);
  });
  await app.listen(app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY).port, '0.0.0.0');
}

bootstrap().catch((error: unknown) => {
  // A bad environment is the operator's to fix: say exactly what, without a stack trace.
  if (error instanceof ConfigurationError) {
    process.stderr.write(`activity-core refused to start. ${error.message}\n`);
  } else {
    process.stderr.write(`activity-core failed to start: ${redactUrl((error as Error)?.stack ?? String(error))}\n`);
  }
  process.exit(1);
});
