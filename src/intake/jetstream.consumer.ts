// NATS JetStream intake: the stream (created when missing, with a duplicate window for
// Nats-Msg-Id), one durable pull consumer shared by every replica (explicit ack, bounded ack
// wait (NATS_ACK_WAIT_MS) and max deliver), messages pulled and handed on in batches; JetStreamBatchService stores
// each batch and settles its messages. The connection and the consumer are set up again with
// backoff when lost, and readiness says so meanwhile.
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamManager, jetstreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos, NatsConnection, Subscription } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { ConfigType } from '@nestjs/config';
import { eventsConfig, natsConfig } from '../config/namespaces';
import { backoffDelay, connectWithBackoff, sleep } from '../common/backoff';
import { redactText, redactUrl } from '../common/redact';
import { JetStreamBatchService } from './jetstream-batch.service';

export const BATCH_SIZE = 256;
/** Batches stored at once by one replica: one in Postgres while the next is parsed and evaluated. */
const BATCHES_IN_FLIGHT = 2;
/** Messages one replica holds delivered and unacked at most: NATS_ACK_WAIT_MS must exceed the time it takes to store them. */
const MAX_ACK_PENDING = BATCH_SIZE * 8;
/** How long a shutdown waits for the pull's subscription to drain. */
const DRAIN_TIMEOUT_MS = 2_000;
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
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
    @Inject(eventsConfig.KEY) private readonly events: ConfigType<typeof eventsConfig>,
    private readonly batches: JetStreamBatchService,
  ) {}

  get enabled(): boolean {
    return this.nats.url !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.loop = this.run().catch((error: Error) => this.logger.error(`NATS intake stopped: ${error.message}`));
  }

  /** Readiness: connected, and the stream answers. */
  async check(): Promise<{ ok: boolean; detail: string }> {
    if (!this.connection || !this.manager || this.connection.isClosed() || !this.consuming) {
      const state = this.connection && !this.connection.isClosed() ? 'not consuming' : 'not connected';
      return { ok: false, detail: `NATS at ${redactUrl(this.nats.url ?? '')} ${state}${this.lastError ? `: ${redactText(this.lastError)}` : ''}` };
    }
    try {
      const info = await this.manager.streams.info(this.nats.stream);
      return { ok: true, detail: `stream ${info.config.name}: ${info.state.messages} message(s)` };
    } catch (error) {
      return { ok: false, detail: `NATS stream ${this.nats.stream}: ${redactText((error as Error).message)}` };
    }
  }

  /** The durable consumer's lag, from the server; undefined while not connected. */
  async consumerLag(): Promise<{ pending: number; ackPending: number } | undefined> {
    if (!this.manager || !this.connection || this.connection.isClosed()) return undefined;
    const info = await this.manager.consumers.info(this.nats.stream, this.nats.durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  }

  /** Before Postgres and Temporal close: stop pulling, store and ack every message the server has sent, then close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.stopPulling();
    this.wake?.();
    await this.loop;
    await this.connection?.drain().catch(() => undefined);
  }

  /**
   * Ends the pull without leaving messages on the wire. The pull's subscription is drained first:
   * the server stops sending, and what it has already sent still reaches the reader; then the
   * iterator ends after the last of it. ConsumerMessages.stop() alone unsubscribes at once, and the
   * messages then in transit stayed unacked until NATS_ACK_WAIT_MS had them redelivered. The
   * subscription is the iterator's `sub` (@nats-io/jetstream's PullConsumerMessagesImpl), which the
   * ConsumerMessages interface does not name; without it, stop() alone. A drain that cannot finish
   * (NATS unreachable) is given up after DRAIN_TIMEOUT_MS: the messages are then redelivered.
   */
  private async stopPulling(): Promise<void> {
    const messages = this.messages;
    if (!messages) return;
    const { sub } = messages as ConsumerMessages & { sub?: Subscription };
    if (sub) {
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
      await Promise.race([sub.drain().catch(() => undefined), givenUp]);
      clearTimeout(timer);
    }
    messages.stop();
  }

  private async run(): Promise<void> {
    const url = this.nats.url as string;
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
    const consumer = await manager.jetstream().consumers.get(this.nats.stream, this.nats.durable);
    if (this.stop.signal.aborted) return;
    // A deleted stream or consumer ends the iterator with an error, so the loop above recreates it.
    const messages = await consumer.consume({ max_messages: BATCH_SIZE * 2, abort_on_missing_resource: true });
    this.messages = messages;
    if (this.stop.signal.aborted) {
      messages.stop(); // shut down while it was being set up: nothing pulled yet
      return;
    }
    this.consuming = true;
    this.logger.log(`consuming ${this.nats.subjects.join(', ')} from stream ${this.nats.stream} as ${this.nats.durable}`);
    let readerDone = false;
    const reader = this.read(messages).finally(() => {
      readerDone = true;
      this.wake?.();
    });
    try {
      await this.process(() => readerDone);
    } catch (error) {
      // A batch threw: this pull ends here (what it delivered stays in the buffer for the next one),
      // or it would go on pulling, beside the one set up again, with nobody awaiting its end.
      messages.stop();
      await reader.catch(() => undefined);
      throw error;
    }
    await reader;
  }

  /**
   * Moves each delivered message into the buffer at once: what the pull has delivered is in hand, so
   * a shutdown stores and acks it. Up to MAX_ACK_PENDING messages wait unacked this way.
   */
  private async read(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      this.buffer.push(message);
      this.wake?.();
    }
  }

  /**
   * Until the reader has ended (shutdown stops it, after it has handed over every message the
   * client holds) and the buffer is empty: under a backlog, up to
   * BATCHES_IN_FLIGHT batches at once, so the next batch is parsed and evaluated while Postgres
   * stores the one before (batches lock shared keys in one order, as two replicas' do). A batch left
   * for redelivery holds its slot for the pause it asks for.
   */
  private async process(readerDone: () => boolean): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const arrived = () => new Promise<void>((resolve) => (this.wake = resolve));
    // A batch that throws ends the loop once the others are done; the caller sets the consumer up again.
    let failure: { error: unknown } | undefined;
    while ((!readerDone() || this.buffer.length > 0) && !failure) {
      if (inFlight.size >= BATCHES_IN_FLIGHT) {
        await Promise.race(inFlight);
        continue;
      }
      // A second batch only from a backlog (a full batch waiting): a trickle or a small burst is
      // stored one batch at a time, and what arrives meanwhile makes the next batch fuller.
      if (this.buffer.length === 0 || (inFlight.size > 0 && this.buffer.length < BATCH_SIZE)) {
        await Promise.race([arrived(), ...inFlight]);
        this.wake = undefined;
        continue;
      }
      const batch: Promise<void> = this.storeBatch(this.buffer.splice(0, BATCH_SIZE))
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => inFlight.delete(batch));
      inFlight.add(batch);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  }

  private async storeBatch(messages: JsMsg[]): Promise<void> {
    const redelivery = await this.batches.store(messages);
    if (redelivery) {
      // Readiness shows why; the pause lets Postgres (or the race) settle before this slot takes another batch.
      this.lastError = redelivery.reason;
      await sleep(redelivery.pauseMs, this.stop.signal);
    }
  }

  private async ensureStreamAndConsumer(manager: JetStreamManager): Promise<void> {
    const { stream, subjects, durable } = this.nats;
    try {
      await manager.streams.info(stream);
    } catch {
      await manager.streams.add({
        name: stream,
        subjects,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        max_age: nanos(this.events.retentionDays * 86_400_000),
      });
      this.logger.log(`created stream ${stream} over ${subjects.join(', ')}`);
    }
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.nats.ackWaitMs),
      max_deliver: this.nats.maxDeliver,
      max_ack_pending: MAX_ACK_PENDING,
    };
    try {
      await manager.consumers.info(stream, durable);
      await manager.consumers.update(stream, durable, { ack_wait: config.ack_wait, max_deliver: config.max_deliver, max_ack_pending: config.max_ack_pending });
    } catch {
      await manager.consumers.add(stream, config);
    }
  }
}
