// From raw bytes to a valid CloudEvent, or the reason it is not one (pure).
import type { CloudEvent } from '../events/cloud-event';
import { validateCloudEvent } from '../events/cloud-event.validation';

export type ParsedMessage = { ok: true; event: CloudEvent } | { ok: false; reason: string; rejection: 'too_large' | 'invalid' };

export function parseEventMessage(payload: Uint8Array, maxBytes: number): ParsedMessage {
  if (payload.byteLength > maxBytes) {
    return { ok: false, rejection: 'too_large', reason: `event is ${payload.byteLength} bytes, over the limit of ${maxBytes} (EVENT_MAX_BYTES)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (error) {
    return { ok: false, rejection: 'invalid', reason: `not JSON: ${(error as Error).message}` };
  }
  const validated = validateCloudEvent(value);
  return validated.ok ? validated : { ok: false, rejection: 'invalid', reason: `not a valid CloudEvent: ${validated.problems.join('; ')}` };
}
