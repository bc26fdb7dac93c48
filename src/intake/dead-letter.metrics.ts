// Dead letters by a bounded reason code: the label stays small whatever the message said.
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { DeadLetter } from '../events/events.repository';
import { MetricsService } from '../metrics/metrics.service';

export type DeadLetterReason = 'too_large' | 'not_json' | 'invalid_cloudevent' | 'not_storable' | 'last_delivery' | 'other';

/** The reason's code: the label stays bounded whatever the message said. */
export function deadLetterReason(reason: string): DeadLetterReason {
  if (reason.includes('(EVENT_MAX_BYTES)')) return 'too_large';
  if (reason.startsWith('not JSON')) return 'not_json';
  if (reason.startsWith('not a valid CloudEvent')) return 'invalid_cloudevent';
  if (reason.startsWith('not storable')) return 'not_storable';
  if (reason.startsWith('last of ')) return 'last_delivery';
  return 'other';
}

@Injectable()
export class DeadLetterMetrics {
  readonly deadLetters: Counter<'reason'>;

  constructor(metrics: MetricsService) {
    this.deadLetters = new Counter({
      name: 'activity_core_dead_letters_total',
      help: 'Messages acknowledged and written to dead_letter_events, by reason (too_large, not_json, invalid_cloudevent, not_storable, last_delivery, other)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  count(deadLetters: DeadLetter[]): void {
    for (const letter of deadLetters) this.deadLetters.inc({ reason: deadLetterReason(letter.reason) });
  }
}
