// NATS JetStream intake: the stream (created when missing, with a duplicate window for
// Nats-Msg-Id), one durable pull consumer shared by every replica (explicit ack, bounded ack
// wait and max deliver), messages taken in batches. A batch is acked only once its transaction
// has committed. When the batch fails, what failed decides: Postgres unreachable naks the batch
// with a delay; anything else costs one extra round, each event on its own, so an event Postgres
// refuses is dead-lettered alone and the others are stored. A message on its last delivery that
// still cannot be stored is dead-lettered with the reason, never dropped by the delivery limit.
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamManager, jetstreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { DeadLetter } from '../events/events.repository';
import type { CloudEvent } from '../rules/cloud-event';
import { backoffDelay, connectWithBackoff, nakDelay, sleep } from '../common/backoff';
import { classifyDatabaseError, describeDatabaseError } from '../common/database-errors';
import { redactText, redactUrl } from '../common/redact';
import { parseEventMessage } from './event-parsing';
import { HttpMetrics } from '../metrics/http-metrics.service';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { BatchOutcome, IntakeService } from './intake.service';

export const BATCH_SIZE = 256;
const ACK_WAIT_MS = 30_000;
const DUPLICATE_WINDOW_MS = 2 * 60_000;

@Injectable()
export class JetStreamConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JetStreamIntake');
  private readonly stop = new AbortController();
  private connection?: NatsConnection;
  private manager?: JetStreamManager;
  private messages?: ConsumerMessages;
  private buffer: JsMsg[] = [];
  private wake?: () => void;
  private loop?: Promise<void>;
  private lastError?: string;
  private consuming = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: IntakeService,
    private readonly httpMetrics: HttpMetrics,
    private readonly deadLetterMetrics: DeadLetterMetrics,
  ) {}

  get enabled(): boolean {
    return this.config.nats.url !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.loop = this.run().catch((error: Error) => this.logger.error(`NATS intake stopped: ${error.message}`));
  }

  /** Readiness: connected, and the stream answers. */
  async check(): Promise<{ ok: boolean; detail: string }> {
    if (!this.connection || !this.manager || this.connection.isClosed() || !this.consuming) {
      const state = this.connection && !this.connection.isClosed() ? 'not consuming' : 'not connected';
      return { ok: false, detail: `NATS at ${redactUrl(this.config.nats.url ?? '')} ${state}${this.lastError ? `: ${redactText(this.lastError)}` : ''}` };
    }
    try {
      const info = await this.manager.streams.info(this.config.nats.stream);
      return { ok: true, detail: `stream ${info.config.name}: ${info.state.messages} message(s)` };
    } catch (error) {
      return { ok: false, detail: `NATS stream ${this.config.nats.stream}: ${redactText((error as Error).message)}` };
    }
  }

  /** The durable consumer's lag, from the server; undefined while not connected. */
  async consumerLag(): Promise<{ pending: number; ackPending: number } | undefined> {
    if (!this.manager || !this.connection || this.connection.isClosed()) return undefined;
    const info = await this.manager.consumers.info(this.config.nats.stream, this.config.nats.durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  }

  /** Before Postgres and Temporal close: stop pulling, finish and ack the batch in hand, then close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    this.messages?.stop();
    this.wake?.();
    await this.loop;
    await this.connection?.drain().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const url = this.config.nats.url as string;
    const connection = await connectWithBackoff(
      () => connect({ servers: url, name: 'activity-core', maxReconnectAttempts: -1, reconnectTimeWait: 1_000 }),
      this.stop.signal,
      (attempt, error, delay) => {
        this.lastError = error.message;
        this.logger.warn(`NATS at ${redactUrl(url)} unreachable (attempt ${attempt}): ${error.message}; retrying in ${delay} ms`);
      },
    );
    if (!connection) return;
    this.connection = connection;
    this.manager = await jetstreamManager(connection);
    // The connection reconnects by itself; a consumer that fails (stream or consumer gone, an API
    // error) is set up again with backoff, and readiness says so meanwhile.
    for (let attempt = 1; !this.stop.signal.aborted; attempt++) {
      try {
        await this.consumeUntilStopped(this.manager);
        attempt = 0;
      } catch (error) {
        this.lastError = (error as Error).message;
        const delay = backoffDelay(attempt);
        this.logger.error(`NATS intake interrupted: ${this.lastError}; setting up again in ${delay} ms`);
        await sleep(delay, this.stop.signal);
      } finally {
        this.consuming = false;
      }
    }
  }

  private async consumeUntilStopped(manager: JetStreamManager): Promise<void> {
    await this.ensureStreamAndConsumer(manager);
    const consumer = await manager.jetstream().consumers.get(this.config.nats.stream, this.config.nats.durable);
    if (this.stop.signal.aborted) return;
    // A deleted stream or consumer ends the iterator with an error, so the loop above recreates it.
    const messages = await consumer.consume({ max_messages: BATCH_SIZE * 2, abort_on_missing_resource: true });
    this.messages = messages;
    this.consuming = true;
    this.logger.log(`consuming ${this.config.nats.subjects.join(', ')} from stream ${this.config.nats.stream} as ${this.config.nats.durable}`);
    let readerDone = false;
    const reader = this.read(messages).finally(() => {
      readerDone = true;
      this.wake?.();
    });
    await this.process(() => readerDone);
    await reader;
  }

  private async read(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      this.buffer.push(message);
      this.wake?.();
    }
  }

  /** One batch at a time, until stopped (or the reader ended) and the buffer is empty. */
  private async process(readerDone: () => boolean): Promise<void> {
    while ((!this.stop.signal.aborted && !readerDone()) || this.buffer.length > 0) {
      if (this.buffer.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await this.handleBatch(this.buffer.splice(0, BATCH_SIZE));
    }
  }

  private async handleBatch(batch: JsMsg[]): Promise<void> {
    const events: CloudEvent[] = [];
    const eventMessages: JsMsg[] = [];
    const deadLetters: DeadLetter[] = [];
    const letterMessages: JsMsg[] = [];
    const rejections: Array<'too_large' | 'invalid' | 'storage_refused'> = [];
    for (const message of batch) {
      const parsed = parseEventMessage(message.data, this.config.eventMaxBytes);
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
      return;
    } catch (error) {
      if (classifyDatabaseError(error) === 'connection') return this.retryLater(batch, describeDatabaseError(error), error);
      this.logger.warn(`batch of ${batch.length} failed on its data (${describeDatabaseError(error)}): storing each event on its own`);
    }
    await this.isolate(eventMessages, events, letterMessages, deadLetters, rejections);
  }

  /** The one extra round after a batch failed on its data: each event alone, the offenders dead-lettered. */
  private async isolate(
    eventMessages: JsMsg[],
    events: CloudEvent[],
    letterMessages: JsMsg[],
    deadLetters: DeadLetter[],
    rejections: Array<'too_large' | 'invalid' | 'storage_refused'>,
  ): Promise<void> {
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
      if (deadLetters.length) this.logger.warn(`${deadLetters.length} message(s) dead-lettered: ${deadLetters.map((l) => l.reason).join('; ').slice(0, 2_000)}`);
    } catch (error) {
      for (const message of letterMessages) retry.push({ message, reason: describeDatabaseError(error) });
    }
    for (const outcome of stored) await outcome.requestSpawns();
    if (retry.length) await this.retryLater(retry.map((r) => r.message), retry[0].reason);
  }

  /**
   * Redelivers later (Postgres unreachable, or this event lost a race). A message on its last
   * delivery is dead-lettered with the reason instead, so the delivery limit never drops it silently.
   */
  private async retryLater(messages: JsMsg[], reason: string, error?: unknown): Promise<void> {
    this.lastError = redactText(reason);
    const last = messages.filter((message) => message.info.deliveryCount >= this.config.nats.maxDeliver);
    const again = messages.filter((message) => message.info.deliveryCount < this.config.nats.maxDeliver);
    for (const message of again) message.nak(nakDelay(message.info.deliveryCount));
    if (again.length) {
      const delay = nakDelay(again[0].info.deliveryCount);
      this.logger.warn(`${again.length} message(s) not stored, redelivery in ${delay} ms: ${reason}${error ? ` (${redactText((error as Error).message ?? '')})` : ''}`);
    }
    if (last.length) {
      const letters: DeadLetter[] = last.map((message) => ({
        transport: 'nats',
        subject: message.subject,
        reason: `last of ${this.config.nats.maxDeliver} deliveries (NATS_MAX_DELIVER) and still not stored: ${reason}`,
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
        this.logger.error(`${last.length} message(s) reached NATS_MAX_DELIVER and could not be dead-lettered (${reason}); still in stream ${this.config.nats.stream} at sequence(s) ${sequences}`);
      }
    }
    await sleep(Math.min(1_000, nakDelay(messages[0].info.deliveryCount)), this.stop.signal);
  }

  private async ensureStreamAndConsumer(manager: JetStreamManager): Promise<void> {
    const { stream, subjects, durable } = this.config.nats;
    try {
      await manager.streams.info(stream);
    } catch {
      await manager.streams.add({
        name: stream,
        subjects,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        max_age: nanos(this.config.eventRetentionDays * 86_400_000),
      });
      this.logger.log(`created stream ${stream} over ${subjects.join(', ')}`);
    }
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: this.config.nats.maxDeliver,
      max_ack_pending: BATCH_SIZE * 8,
    };
    try {
      await manager.consumers.info(stream, durable);
      await manager.consumers.update(stream, durable, { ack_wait: config.ack_wait, max_deliver: config.max_deliver, max_ack_pending: config.max_ack_pending });
    } catch {
      await manager.consumers.add(stream, config);
    }
  }
}
