// Boots the real application on a loopback port for end-to-end specs.
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.factory';
import type { ConfigValues } from '../../src/config/namespaces';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

/** `config` (testConfig) is what this app's ConfigModule carries: apps with different ones share the process. */
export async function startApp(config: ConfigValues): Promise<RunningApp> {
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
