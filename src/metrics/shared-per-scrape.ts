/**
 * Wraps an async read so the gauges collected in one scrape share a single call (one query,
 * one RPC); the next scrape reads again.
 */
export function sharedPerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read().finally(() => setImmediate(() => (pending = undefined))));
}
