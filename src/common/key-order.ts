// One order for lock keys (pure): batches, and replicas, that take rows in this order never wait
// on each other in a circle.

/** Code-unit order of two strings: the same in every process, whatever its locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The values, in the order of their keys. */
export function inKeyOrder<T>(entries: Iterable<readonly [string, T]>): T[] {
  return [...entries].sort(([a], [b]) => compareKeys(a, b)).map(([, value]) => value);
}
