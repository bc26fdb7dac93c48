// Child process of the bench: the bare durable pipeline an intake is measured against. A JetStream
// pull consumer in batches (the service's batch size), one multi-row INSERT ... ON CONFLICT DO
// NOTHING per batch into the same `events` table, and an ack of each message after that commit.
// argv: <stream> <subjects> <durable> <database url>
import { AckPolicy, jetstream, jetstreamManager, JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { BATCH_SIZE } from '../intake/jetstream.consumer';
import { NATS_URL } from './bench-environment';

async function main(): Promise<void> {
  const [stream, subjects, durable, databaseUrl] = process.argv.slice(2);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const nats = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(nats);
  await manager.streams.add({ name: stream, subjects: [subjects] });
  await manager.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, max_ack_pending: BATCH_SIZE * 8 });
  const messages = await jetstream(nats)
    .consumers.get(stream, durable)
    .then((c) => c.consume({ max_messages: BATCH_SIZE * 2 }));

  const buffer: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
    messages.stop();
    wake?.();
  });
  void (async () => {
    for await (const message of messages) {
      buffer.push(message);
      wake?.();
    }
  })();
  process.send?.({ ready: true });

  while (!stopping) {
    if (buffer.length === 0) {
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    const batch = buffer.splice(0, BATCH_SIZE);
    const events = batch.map((message) => message.json<Record<string, string>>());
    await db.query(
      `INSERT INTO events (source, id, type, subject, time, envelope, transport, received_at)
       SELECT e.source, e.id, e.type, e.subject, e.time, e.envelope, 'nats', $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
         AS e(source, id, type, subject, time, envelope)
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.source),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.subject ?? null),
        events.map((e) => e.time),
        events.map((e) => JSON.stringify(e)),
        new Date(),
      ],
    );
    for (const message of batch) message.ack();
  }
  await nats.drain();
  await db.end();
}

main().catch((error: Error) => {
  process.stderr.write(`bare intake failed: ${error.stack}\n`);
  process.exit(1);
});
