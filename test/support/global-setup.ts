// Once per run: the built app for the process-level suites, and one Temporal dev server; suites
// isolate themselves by namespace, task queue and database.
import { ensureBuilt } from './build';
import { startTemporalDevServer, TemporalDevServer } from './temporal-server';

declare global {
  var __TEMPORAL_DEV_SERVER__: TemporalDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  ensureBuilt();
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // a server the caller already runs
  const server = await startTemporalDevServer();
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
}
