// The JetStream pull loop against the real NATS server, with the batch store replaced so that a
// batch can be made to throw: the loop is set up again without leaving the old pull running, every
// message is still acked, and what one replica holds unacked stays bounded.
import type { JsMsg } from '@nats-io/jetstream';
import { BATCH_SIZE, JetStreamConsumer } from '../../src/intake/jetstream.consumer';
import type { JetStreamBatchService } from '../../src/intake/jetstream-batch.service';
import { testConfig } from '../factories/config';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JetStreamConsumer on the real NATS server', () => {
  const nats = new TestStream();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let consumer: JetStreamConsumer;
  let calls = 0;
  let largestBatch = 0;
  /** The payloads acked (each test publishes payloads of its own). */
  const acked = new Set<string>();

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // The first batch throws (as a bug in storing would) while the second is in flight; the others store.
    const store = {
      async store(batch: JsMsg[]) {
        const call = ++calls;
        largestBatch = Math.max(largestBatch, batch.length);
        await pause(call === 1 ? 400 : 20);
        if (call === 1) throw new Error('the first batch fails');
        for (const message of batch) {
          message.ack();
          acked.add(message.string());
        }
        return undefined;
      },
    } as unknown as JetStreamBatchService;
    const config = testConfig({ ...nats.env, NATS_ACK_WAIT_MS: '2000' });
    consumer = new JetStreamConsumer(config.nats, config.events, store);
    consumer.onApplicationBootstrap();
    await nats.open();
    await eventually(() => nats.streamExists(), 'the stream');
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await nats.close();
  });

  it('after a batch throws, pulls again with one subscription, and every message is acked', async () => {
    await Promise.all(Array.from({ length: 1500 }, (_, i) => nats.publish({ i })));
    await eventually(async () => acked.size === 1500, 'all 1500 acked (the failed batch after its ack wait)', 30_000);
    expect(calls).toBeGreaterThan(1500 / BATCH_SIZE);
    expect(largestBatch).toBeLessThanOrEqual(BATCH_SIZE);
    // The request subscription and one pull: the pull that was running when the batch threw is stopped.
    const protocol = (consumer as unknown as { connection: { protocol: { subscriptions: { size(): number } } } }).connection.protocol;
    expect(protocol.subscriptions.size()).toBe(2);
  });

  it('a stream deleted under it is set up again, and nothing rejects unhandled', async () => {
    await nats.deleteStream();
    await eventually(() => nats.streamExists(), 'the stream created again', 20_000);
    await Promise.all(Array.from({ length: 10 }, (_, i) => nats.publish({ again: i })));
    await eventually(async () => acked.size === 1510, 'the new stream consumed', 20_000);
    expect(unhandled).toEqual([]);
  });

  it('shuts down in the middle of a burst without losing a message', async () => {
    await Promise.all(Array.from({ length: 600 }, (_, i) => nats.publish({ last: i })));
    await consumer.beforeApplicationShutdown();
    // Each message stored and acked, or still in the stream for the next replica (one the pull was
    // delivering as it stopped waits for its ack wait): none dropped.
    const state = await nats.consumerState();
    expect(acked.size + state.pending + state.ackPending).toBe(2110);
    expect(state.redelivered).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
