// Intake under faults: Postgres cut mid-stream, and the service SIGKILLed mid-batch.
import { DataSource } from 'typeorm';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';
import { ServiceProcess } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';
import { freePort } from '../support/temporal-server';

const dir = new DefinitionsDir().write('sbom-failed.yaml', EVENT_RULE);
afterAll(() => dir.cleanup());

async function exactlyOnce(sql: DataSource, prefix: string, total: number, matching: number): Promise<void> {
  const stored = await sql.query(`SELECT id, count(*)::int AS n FROM events WHERE id LIKE $1 GROUP BY id`, [`${prefix}%`]);
  expect(stored).toHaveLength(total);
  expect(stored.every((row: { n: number }) => row.n === 1)).toBe(true);
  const decided = await sql.query(`SELECT triggering_event_id, count(*)::int AS n FROM task_spawn_log WHERE triggering_event_id LIKE $1 GROUP BY 1`, [
    `${prefix}%`,
  ]);
  expect(decided).toHaveLength(matching);
  expect(decided.every((row: { n: number }) => row.n === 1)).toBe(true);
}

/** Events stored whose id starts with `prefix`. */
const storedCount = async (sql: DataSource, prefix: string) =>
  Number((await sql.query(`SELECT count(*) FROM events WHERE id LIKE $1`, [`${prefix}%`]))[0].count);

/**
 * `n` events, one in `matchEvery` matching the rule. The bursts that a kill must land in the middle
 * of are long; one decision in ten keeps their workflows (the dev server's CPU) in proportion.
 */
const burst = (prefix: string, n: number, matchEvery = 2) =>
  Array.from({ length: n }, (_, i) => anEvent({ id: `${prefix}${i}`, subject: `repo-${i}`, data: { severity: i % matchEvery === 1 ? 'high' : 'low' } }));

describe('Postgres unreachable in the middle of a stream', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: DataSource;
  const proxy = new TcpProxy('127.0.0.1', 5432);
  const nats = new TestStream();

  beforeAll(async () => {
    db = await createTestDatabase('intake_pg_cut');
    await proxy.start();
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    app = await startApp(
      testConfig({
        DATABASE_URL: proxied.toString(),
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-intake-faults',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('pg-cut'),
        ...nats.env,
      }),
    );
    sql = await openMigratedDataSource(db);
    await nats.open();
    await eventually(() => nats.streamExists(), 'the stream');
  });
  afterAll(async () => {
    await app.close();
    await sql.destroy();
    await nats.close();
    await proxy.stop();
    await db.drop();
  });

  it('stores and evaluates every event exactly once, none lost', async () => {
    const events = burst('pg-', 60);
    for (const event of events.slice(0, 20)) await nats.publish(event);
    await eventually(async () => (await storedCount(sql, 'pg-')) === 20, 'the first 20');
    proxy.cut();
    for (const event of events.slice(20)) await nats.publish(event);
    // While Postgres is away the batches are naked, and readiness says so.
    await eventually(async () => (await fetch(`${app.url}/health/ready`)).status === 503, 'readiness to report Postgres down');
    proxy.restore();
    await eventually(async () => (await storedCount(sql, 'pg-')) === 60, 'all 60 after Postgres returns', 45_000);
    await exactlyOnce(sql, 'pg-', 60, 30);
  });
});

describe('the service killed with SIGKILL in the middle of a batch', () => {
  let db: TestDatabase;
  let sql: DataSource;
  const nats = new TestStream();
  let env: Record<string, string>;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('intake_kill');
    sql = await openMigratedDataSource(db);
    env = {
      DATABASE_URL: db.url,
      DEFINITIONS_DIR: dir.path,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS as string,
      TEMPORAL_NAMESPACE: 'ac-intake-faults',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('intake-kill'),
      LOG_LEVEL: 'warn',
      ...nats.env,
    };
    await nats.open();
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await sql.destroy();
    await nats.close();
    await db.drop();
  });

  const start = async (overrides: Record<string, string> = {}) => {
    const service = new ServiceProcess({ ...env, ...overrides }, await freePort()).start();
    services.push(service);
    await service.waitReady();
    return service;
  };

  it('SIGTERM stops pulling, finishes and acks what is in flight, and exits', async () => {
    const service = await start();
    // Events keep coming until the service has exited, so that the signal lands in the middle of
    // the stream, whatever the machine's speed (a fixed burst could be all stored before it).
    // Chunk by chunk, and 30,000 events at most.
    let published = 0;
    let publishing = true;
    const publisher = (async () => {
      for (let chunk = 0; publishing && chunk < 300; chunk++) {
        await Promise.all(burst(`term-${chunk}-`, 100, 10).map((event) => nats.publish(event)));
        published += 100;
      }
    })();
    try {
      await eventually(async () => (await storedCount(sql, 'term-')) > 0, 'intake to begin', 20_000, 5);
      service.kill('SIGTERM');
      expect(await service.exited()).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      publishing = false;
      await publisher;
    }
    const state = await nats.consumerState();
    expect(state.ackWaitMs).toBe(30_000); // the default NATS_ACK_WAIT_MS
    // Acked after storing, not naked back because a connection closed under it.
    expect(service.output).not.toContain('not stored');
    expect(state.redelivered).toBe(0);
    const stored = await storedCount(sql, 'term-');
    expect(stored).toBeGreaterThan(0);
    expect(state.pending).toBeGreaterThan(0); // the stream went on after the service stopped pulling
    expect(stored + state.pending + state.ackPending).toBe(published);
    // Nothing it was sent waits out the 30 s ack wait: not a message dropped on the way out. (The
    // server may still hold back one it could not deliver once the pull had ended, as undelivered,
    // for the next pull at once.) The next instance stores every remaining event well within it.
    services.splice(0);
    const next = await start();
    await eventually(async () => (await storedCount(sql, 'term-')) === published, 'the rest, taken by the next instance at once', 15_000);
    await next.stop();
    services.splice(0);
  });

  it('after a restart every event is stored and evaluated exactly once', async () => {
    // A killed instance's messages come back after the ack wait: 3 s here, not the default 30 s.
    const quickRedelivery = { NATS_ACK_WAIT_MS: '3000' };
    const first = await start(quickRedelivery);
    expect((await nats.consumerState()).ackWaitMs).toBe(3_000);
    const events = burst('kill-', 2000, 10);
    await Promise.all(events.map((event) => nats.publish(event)));
    await eventually(async () => (await storedCount(sql, 'kill-')) > 0, 'intake to begin', 20_000, 5);
    first.kill('SIGKILL');
    await first.exited();
    const partial = await storedCount(sql, 'kill-');
    expect(partial).toBeLessThan(2000);

    await start(quickRedelivery);
    await eventually(async () => (await storedCount(sql, 'kill-')) === 2000, 'all 2000 after the restart', 90_000);
    await exactlyOnce(sql, 'kill-', 2000, 200);
    // Two boots, and the killed instance's messages come back only after the ack wait (NATS_ACK_WAIT_MS).
  }, 150_000);
});
