// No-match intake, end to end: N CloudEvents that a rule is evaluated against and does not match,
// published to JetStream, timed from the first publish until N rows are stored.
//   ours = the service's intake (validation, store once, evaluation, transaction, ack after commit);
//   bare = a JetStream batch pull, one multi-row INSERT ... ON CONFLICT DO NOTHING per batch, ack
//          after commit (bare-intake.ts), into the same `events` table in a database of its own.
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';
import { perSecond } from './bench-results';
import { BenchEnvironment } from './bench-environment';
import { BenchChild, waitFor } from './bench-process';
import { benchEvent } from './bench-fixtures';
import { Publisher } from './bench-load';
import { storedCount } from './service-under-bench';

export interface IntakeRun {
  n: number;
  perSecond: number;
  /** How fast the publisher went: far above perSecond, or the publisher was what got measured. */
  publishedPerSecond: number;
}

/** Publishes N non-matching events to `subject` and waits for N rows of their source in `databaseUrl`. */
export async function measureIntake(consumer: BenchChild, databaseUrl: string, subject: string, source: string, n: number): Promise<IntakeRun> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const publisher = await Publisher.open();
  try {
    const events = Array.from({ length: n }, (_, i) => benchEvent(source, `${source}-${i}`, 'low'));
    const begin = Date.now();
    await publisher.publishFast(subject, events);
    const published = Date.now();
    await waitFor(`${n} events of ${source} stored`, async () => (consumer.assertAlive(), (await storedCount(db, source)) >= n), 600_000, 20);
    const end = Date.now();
    return { n, perSecond: perSecond(n, end - begin), publishedPerSecond: perSecond(n, published - begin) };
  } finally {
    await publisher.close();
    await db.end();
  }
}

/** The bare pipeline as a child process, consuming a stream of its own into a database of its own. */
export class BareIntake {
  private constructor(
    readonly child: BenchChild,
    readonly databaseUrl: string,
    readonly subject: string,
  ) {}

  static async start(env: BenchEnvironment): Promise<BareIntake> {
    const databaseUrl = await env.createDatabase('bare');
    const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    const nats = env.stream('bare');
    const child = env.spawnChild('bare intake', process.execPath, [join(__dirname, 'bare-intake.js'), nats.stream, nats.subjects, nats.durable, databaseUrl], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let ready = false;
    child.process.on('message', (message: { ready?: boolean }) => (ready = ready || Boolean(message.ready)));
    await waitFor('the bare intake to consume', async () => (child.assertAlive(), ready), 60_000);
    return new BareIntake(child, databaseUrl, `${nats.prefix}.intake`);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
