// The names a decision goes by outside: its Temporal workflow id and issue-core's Idempotency-Key.
// Both are the readable `spawn/<key>/<dedupe key>` where that is valid, else a fixed encoding of it
// (`spawn-sha256/<hex of the readable id>`), so they are deterministic, distinct per decision, and
// valid whatever characters or lengths a rule's subjects and keys contain. Pure: no I/O, no clock.
import { createHash } from 'node:crypto';

/** Readable ids always start with `spawn/`; encoded ones with this, so the two never meet. */
export const ENCODED_PREFIX = 'spawn-sha256/';
/**
 * Longest readable id, in UTF-8 bytes. Temporal's default limit is 1,000 and some deployments set
 * less; proxies and issue-core stores commonly cap keys at 255.
 */
export const MAX_ID_BYTES = 255;

const ENCODED = /^spawn-sha256\/[0-9a-f]{64}$/;
// Visible ASCII only: HTTP clients drop or reject anything else in a header value.
const HEADER_SAFE = /^[\x21-\x7e]+$/;
// Control characters, and UTF-16 halves that are not a pair (not valid UTF-8 once sent).
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const TEMPORAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function encodeSpawnId(readable: string): string {
  return `${ENCODED_PREFIX}${createHash('sha256').update(readable, 'utf8').digest('hex')}`;
}

function fitsLength(id: string): boolean {
  // Cheap first: a string of at most MAX/3 UTF-16 units is at most MAX bytes.
  return id.length <= MAX_ID_BYTES / 3 || Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES;
}

export function isValidWorkflowId(id: string): boolean {
  return id.length > 0 && fitsLength(id) && !TEMPORAL_UNSAFE.test(id);
}

export function isValidHeaderValue(id: string): boolean {
  return id.length <= MAX_ID_BYTES && HEADER_SAFE.test(id);
}

/**
 * A workflow id as Temporal will take it: a valid id (readable or already encoded) unchanged, any
 * other the encoding of it. Idempotent, so it also serves ids recorded before this rule.
 */
export function toWorkflowId(readable: string): string {
  if (ENCODED.test(readable)) return readable;
  return isValidWorkflowId(readable) && !readable.startsWith(ENCODED_PREFIX) ? readable : encodeSpawnId(readable);
}

/** The spawn workflow id of a decision: one workflow per (definition, dedupe key), ever. */
export function deriveWorkflowId(definitionKey: string, dedupeKey: string): string {
  return toWorkflowId(`spawn/${definitionKey}/${dedupeKey}`);
}

/**
 * issue-core's Idempotency-Key for the decision whose workflow id is given: the id itself when it is
 * a valid header value (so rows recorded before keep their key), else the encoding of it. The same
 * on every attempt, from any instance.
 */
export function deriveIdempotencyKey(workflowId: string): string {
  if (ENCODED.test(workflowId)) return workflowId;
  return isValidHeaderValue(workflowId) && !workflowId.startsWith(ENCODED_PREFIX) ? workflowId : encodeSpawnId(workflowId);
}

/**
 * A workflow id of the row's own, for a decision whose id is already taken by another decision's
 * completed run: derived from the row id, so it is stable and no other decision can have it.
 */
export function deriveRowWorkflowId(workflowId: string, rowId: string): string {
  // Readable ids start with `spawn/`, so this input is never one of them.
  return encodeSpawnId(`row:${rowId}:${workflowId}`);
}
