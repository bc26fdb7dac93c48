// Once per run: the built app for the process-level suites, and one Temporal dev server; suites
// isolate themselves by namespace, task queue and database.
import { ensureBuilt } from './build';
import { startTemporalDevServer, TemporalDevServer } from './temporal-server';

declare global {
  var __TEMPORAL_DEV_SERVER__: TemporalDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Side by side: the build is CPU-bound, the dev server's start mostly waits.
  const [built, started] = await Promise.allSettled([
    ensureBuilt(),
    process.env.TEMPORAL_TEST_ADDRESS ? undefined : startTemporalDevServer(), // unless the caller runs one
  ]);
  const server = started.status === 'fulfilled' ? started.value : undefined;
  if (built.status === 'rejected') {
    await server?.stop(); // jest runs no teardown after a failed setup
    throw built.reason;
  }
  if (started.status === 'rejected') throw started.reason;
  if (!server) return;
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
}
