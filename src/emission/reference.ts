import { createHash } from 'node:crypto';

/** The dry-run reference of a decision: the same decision always gets the same `null-<hex>`. */
export function deriveNullReference(idempotencyKey: string): string {
  return `null-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}
