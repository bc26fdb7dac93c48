// One Temporal dev server for the whole run; suites isolate themselves by task queue and database.
import { startTemporalDevServer, TemporalDevServer } from './temporal-server';

declare global {
  // eslint-disable-next-line no-var
  var __TEMPORAL_DEV_SERVER__: TemporalDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // a server the caller already runs
  const server = await startTemporalDevServer();
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
}
