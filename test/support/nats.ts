// A NATS stream, subjects and durable of the suite's own, and a publisher for them.
import { jetstream, jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import { headers, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';

export const NATS_TEST_URL = 'nats://127.0.0.1:4222';

export class TestStream {
  readonly suffix = randomBytes(3).toString('hex');
  readonly stream = `AC_TEST_${this.suffix}`;
  readonly prefix = `t${this.suffix}.events`;
  readonly durable = `ac-test-${this.suffix}`;
  private connection?: NatsConnection;
  private js?: JetStreamClient;

  get env(): Record<string, string> {
    return { NATS_URL: NATS_TEST_URL, NATS_STREAM: this.stream, NATS_SUBJECTS: `${this.prefix}.>`, NATS_DURABLE: this.durable };
  }

  async open(): Promise<this> {
    this.connection = await connect({ servers: NATS_TEST_URL });
    this.js = jetstream(this.connection);
    return this;
  }

  /** Publishes to `<prefix>.<suffix>`; the stream must exist (the service creates it). */
  async publish(payload: unknown, options: { msgId?: string; subject?: string } = {}): Promise<void> {
    const body = typeof payload === 'string' || payload instanceof Uint8Array ? payload : JSON.stringify(payload);
    const hdrs = options.msgId ? headers() : undefined;
    if (options.msgId) hdrs?.set('Nats-Msg-Id', options.msgId);
    await (this.js as JetStreamClient).publish(`${this.prefix}.${options.subject ?? 'test'}`, body, options.msgId ? { msgID: options.msgId } : undefined);
  }

  /** The durable consumer's view: what is delivered but not yet acked, and what was redelivered. */
  async consumerState(): Promise<{ ackPending: number; redelivered: number; pending: number; ackWaitMs: number }> {
    const manager = await jetstreamManager(this.connection as NatsConnection);
    const info = await manager.consumers.info(this.stream, this.durable);
    return { ackPending: info.num_ack_pending, redelivered: info.num_redelivered, pending: info.num_pending, ackWaitMs: (info.config.ack_wait ?? 0) / 1e6 };
  }

  async deleteStream(): Promise<void> {
    const manager = await jetstreamManager(this.connection as NatsConnection);
    await manager.streams.delete(this.stream);
  }

  async streamExists(): Promise<boolean> {
    const manager = await jetstreamManager(this.connection as NatsConnection);
    return manager.streams.info(this.stream).then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    if (!this.connection) return;
    const manager = await jetstreamManager(this.connection);
    await manager.streams.delete(this.stream).catch(() => undefined);
    await this.connection.drain();
  }
}
