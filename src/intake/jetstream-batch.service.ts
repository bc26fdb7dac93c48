// One JetStream batch stored, and each of its messages settled. A batch is acked only once its
// transaction has committed. When the batch fails, what failed decides: Postgres unreachable naks
// the batch with a delay; anything else costs one extra round, each event on its own, so an event
// Postgres refuses is dead-lettered alone and the others are stored. A message on its last delivery
// that still cannot be stored is dead-lettered with the reason, never dropped by the delivery limit.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { ConfigType } from '@nestjs/config';
import { eventsConfig, natsConfig } from '../config/namespaces';
import { classifyDatabaseError, describeDatabaseError } from '../common/database-errors';
import { nakDelay } from '../common/backoff';
import { redactText } from '../common/redact';
import type { CloudEvent } from '../events/cloud-event';
import type { DeadLetter } from '../events/events.repository';
import { HttpMetrics } from '../metrics/http-metrics.service';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { parseEventMessage } from './event-parsing';
import { BatchOutcome, IntakeService } from './intake.service';

/** Messages of a batch left for redelivery: why, and how long the pull loop pauses before the next batch. */
export interface Redelivery {
  reason: string;
  pauseMs: number;
}

type Rejection = 'too_large' | 'invalid' | 'storage_refused';

@Injectable()
export class JetStreamBatchService {
  private readonly logger = new Logger('JetStreamIntake');

  constructor(
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
    @Inject(eventsConfig.KEY) private readonly events: ConfigType<typeof eventsConfig>,
    private readonly intake: IntakeService,
    private readonly httpMetrics: HttpMetrics,
    private readonly deadLetterMetrics: DeadLetterMetrics,
  ) {}

  /** Stores the batch and acks, naks or dead-letters each message; undefined when none waits for redelivery. */
  async store(batch: JsMsg[]): Promise<Redelivery | undefined> {
    const events: CloudEvent[] = [];
    const eventMessages: JsMsg[] = [];
    const deadLetters: DeadLetter[] = [];
    const letterMessages: JsMsg[] = [];
    const rejections: Rejection[] = [];
    for (const message of batch) {
      const parsed = parseEventMessage(message.data, this.events.maxBytes);
      if (parsed.ok) {
        events.push(parsed.event);
        eventMessages.push(message);
      } else {
        deadLetters.push({ transport: 'nats', subject: message.subject, reason: parsed.reason, payload: message.data });
        letterMessages.push(message);
        rejections.push(parsed.rejection);
      }
    }
    try {
      const outcome = await this.intake.ingest(events, deadLetters, 'nats');
      for (const message of batch) message.ack();
      // Counted once stored: a batch that is redelivered is not counted twice.
      for (const reason of rejections) this.httpMetrics.rejected('nats', reason);
      this.deadLetterMetrics.count(deadLetters);
      if (deadLetters.length) this.logger.warn(`${deadLetters.length} message(s) dead-lettered: ${deadLetters[0].reason}`);
      await outcome.requestSpawns();
      return undefined;
    } catch (error) {
      if (classifyDatabaseError(error) === 'connection') return this.retryLater(batch, describeDatabaseError(error), error);
      this.logger.warn(`batch of ${batch.length} failed on its data (${describeDatabaseError(error)}): storing each event on its own`);
    }
    return this.isolate(eventMessages, events, letterMessages, deadLetters, rejections);
  }

  /** The one extra round after a batch failed on its data: each event alone, the offenders dead-lettered. */
  private async isolate(
    eventMessages: JsMsg[],
    events: CloudEvent[],
    letterMessages: JsMsg[],
    deadLetters: DeadLetter[],
    rejections: Rejection[],
  ): Promise<Redelivery | undefined> {
    const results = await this.intake.ingestEach(events, 'nats');
    const stored: BatchOutcome[] = [];
    const retry: Array<{ message: JsMsg; reason: string }> = [];
    results.forEach((result, i) => {
      const message = eventMessages[i];
      if (result.ok) {
        message.ack();
        stored.push(result.outcome);
      } else if (result.failure === 'data') {
        deadLetters.push({ transport: 'nats', subject: message.subject, reason: `not storable: ${result.reason}`, payload: message.data });
        letterMessages.push(message);
        rejections.push('storage_refused');
      } else retry.push({ message, reason: result.reason });
    });
    try {
      await this.intake.recordDeadLetters(deadLetters, 'nats');
      for (const message of letterMessages) message.ack();
      for (const reason of rejections) this.httpMetrics.rejected('nats', reason);
      this.deadLetterMetrics.count(deadLetters);
      if (deadLetters.length)
        this.logger.warn(
          `${deadLetters.length} message(s) dead-lettered: ${deadLetters
            .map((l) => l.reason)
            .join('; ')
            .slice(0, 2_000)}`,
        );
    } catch (error) {
      for (const message of letterMessages) retry.push({ message, reason: describeDatabaseError(error) });
    }
    for (const outcome of stored) await outcome.requestSpawns();
    return retry.length
      ? this.retryLater(
          retry.map((r) => r.message),
          retry[0].reason,
        )
      : undefined;
  }

  /**
   * Redelivers later (Postgres unreachable, or this event lost a race). A message on its last
   * delivery is dead-lettered with the reason instead, so the delivery limit never drops it silently.
   */
  private async retryLater(messages: JsMsg[], reason: string, error?: unknown): Promise<Redelivery> {
    const last = messages.filter((message) => message.info.deliveryCount >= this.nats.maxDeliver);
    const again = messages.filter((message) => message.info.deliveryCount < this.nats.maxDeliver);
    for (const message of again) message.nak(nakDelay(message.info.deliveryCount));
    if (again.length) {
      const delay = nakDelay(again[0].info.deliveryCount);
      this.logger.warn(
        `${again.length} message(s) not stored, redelivery in ${delay} ms: ${reason}${error ? ` (${redactText((error as Error).message ?? '')})` : ''}`,
      );
    }
    if (last.length) {
      const letters: DeadLetter[] = last.map((message) => ({
        transport: 'nats',
        subject: message.subject,
        reason: `last of ${this.nats.maxDeliver} deliveries (NATS_MAX_DELIVER) and still not stored: ${reason}`,
        payload: message.data,
      }));
      try {
        await this.intake.recordDeadLetters(letters, 'nats');
        for (const message of last) message.ack();
        this.deadLetterMetrics.count(letters);
        this.logger.error(`${last.length} message(s) dead-lettered on their last delivery: ${reason}`);
      } catch {
        // Nowhere to record it: the message stays in the stream, and this line says where.
        for (const message of last) message.nak();
        const sequences = last.map((message) => message.info.streamSequence).join(', ');
        this.logger.error(
          `${last.length} message(s) reached NATS_MAX_DELIVER and could not be dead-lettered (${reason}); still in stream ${this.nats.stream} at sequence(s) ${sequences}`,
        );
      }
    }
    return { reason: redactText(reason), pauseMs: Math.min(1_000, nakDelay(messages[0].info.deliveryCount)) };
  }
}
