/** Exponential backoff with full jitter: attempt 1 → up to base, doubling to the cap. */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 5_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const MAX_NAK_DELAY_MS = 30_000;

/** How long JetStream waits before redelivering a nakked message: 0.5 s doubling per delivery, at most 30 s. */
export function nakDelay(deliveryCount: number): number {
  return Math.min(MAX_NAK_DELAY_MS, 500 * 2 ** Math.max(0, deliveryCount - 1));
}

/** Sleeps `ms` unless `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Calls `connect` until it succeeds or `signal` aborts (then resolves undefined), sleeping a
 * growing, jittered delay between attempts and reporting each failure.
 */
export async function connectWithBackoff<T>(
  connect: () => Promise<T>,
  signal: AbortSignal,
  onFailure: (attempt: number, error: Error, delayMs: number) => void,
): Promise<T | undefined> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const delay = backoffDelay(attempt);
      onFailure(attempt, error as Error, delay);
      await sleep(delay, signal);
    }
  }
  return undefined;
}
