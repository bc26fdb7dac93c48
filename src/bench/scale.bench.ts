// `npm run bench -- --scale [--quick]`: the costs that must follow the work, not the history, with
// 10,000,000 stored events (1,000 subjects, 30 daily partitions) and 1,000,000 spawn-log rows
// generated in Postgres. Two scratch databases (one with that history, one empty) are created
// next to DATABASE_URL's and dropped at the end. Intake is a ratio between them in the same run.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';
import { EventPartitionsRepository, partitionName } from '../events/event-partitions.repository';
import { EventsRepository } from '../events/events.repository';
import type { SpawnLogQuery } from '../spawn-log/spawn-log-page';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { loadEventHistory, loadSpawnLog } from './scale-data';
import { DISTINCT_ON_SCAN, SKIP_SCAN, summarise, timeOnce, timeRuns, Timings } from './scale-queries';

const FULL = { events: 10_000_000, subjects: 1_000, days: 30, spawnLog: 1_000_000, intakeBatches: 40, runs: 30 };
const QUICK = { events: 100_000, subjects: 1_000, days: 10, spawnLog: 50_000, intakeBatches: 8, runs: 10 };
const TYPE = 'sbom.generated';
const BATCH = 256;
const DAY_MS = 86_400_000;

const ms = (n: number | null) => (n === null ? 'timed out' : n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n).toLocaleString('en-US')} ms`);
const count = (n: number) => n.toLocaleString('en-US');

async function withScratchDatabases<T>(work: (history: DataSource, empty: DataSource) => Promise<T>): Promise<T> {
  const adminUrl = new URL(loadConfig().database.url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const suffix = randomBytes(3).toString('hex');
  const names = [`ac_bench_scale_${suffix}`, `ac_bench_empty_${suffix}`];
  const sources: DataSource[] = [];
  try {
    for (const name of names) {
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const source = await new DataSource(dataSourceOptions(url.toString())).initialize();
      sources.push(source);
      await runMigrations(source);
    }
    return await work(sources[0], sources[1]);
  } finally {
    for (const source of sources) await source.destroy().catch(() => undefined);
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** No-match intake as the service stores a batch: one transaction, one statement for the events. */
async function intakeRate(dataSource: DataSource, batches: number, label: string, subjects: number): Promise<number> {
  const events = new EventsRepository(dataSource);
  const start = performance.now();
  for (let b = 0; b < batches; b++) {
    const batch = Array.from({ length: BATCH }, (_, i) => ({
      specversion: '1.0' as const,
      id: `intake-${label}-${b}-${i}`,
      source: 'bench://ci',
      type: TYPE,
      subject: `repo-${(b * BATCH + i) % subjects}`,
      time: new Date().toISOString(),
      data: { format: 'cyclonedx', components: i },
    }));
    await dataSource.transaction((manager) => events.insertEvents(batch, 'test', manager));
  }
  return (batches * BATCH) / ((performance.now() - start) / 1000);
}

/** Postgres's own execution time of the one query `work` sends (EXPLAIN ANALYZE of the same SQL). */
async function serverTime(dataSource: DataSource, work: () => Promise<unknown>): Promise<number> {
  const runner = dataSource.createQueryRunner();
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  const query = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, params: unknown[]) => (sent.push({ sql, params }), query(sql, params))) as DataSource['query'];
  try {
    await work();
  } finally {
    dataSource.query = query;
  }
  try {
    const [row] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sent[0].sql}`, sent[0].params)) as Array<{
      'QUERY PLAN': Array<{ 'Execution Time': number }>;
    }>;
    return row['QUERY PLAN'][0]['Execution Time'];
  } finally {
    await runner.release();
  }
}

export async function runScaleBench(argv: string[]): Promise<void> {
  const size = argv.includes('--quick') ? QUICK : FULL;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(
    `scale benchmark${size === QUICK ? ' (--quick)' : ''}: ${count(size.events)} events, ${size.subjects} subjects, ${size.days} daily partitions, ${count(size.spawnLog)} spawn-log rows`,
  );
  await withScratchDatabases(async (history, empty) => {
    const now = new Date();
    const until = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    let start = performance.now();
    await loadEventHistory(history, { events: size.events, subjects: size.subjects, days: size.days, type: TYPE, until });
    await loadSpawnLog(history, size.spawnLog, now);
    await new EventPartitionsRepository(empty).ensureAhead(new Date(until.getTime() - size.days * DAY_MS), size.days + 1);
    out(`  loaded with generate_series in ${ms(performance.now() - start)}`);

    // The tick's scope query, and the two ways without latest_events.
    const events = new EventsRepository(history);
    const tick = await timeRuns(size.runs, () => events.latestOfType(TYPE, now));
    const subjects = (await events.latestOfType(TYPE, now)).length;
    const server = await serverTime(history, () => events.latestOfType(TYPE, now));
    const skip = await timeRuns(Math.max(3, size.runs / 6), () => history.query(SKIP_SCAN, [TYPE, now]));
    const scan = await timeOnce(history, DISTINCT_ON_SCAN, [TYPE, now], 600_000);
    out(`  tick scope query (latest_of, ${subjects} subjects): median ${ms(tick.median)}, p99 ${ms(tick.p99)} (goal < 100 ms)`);
    out(`    of which Postgres executing it: ${ms(server)} (EXPLAIN ANALYZE); the rest is moving and parsing the rows`);
    out(`    skip scan over the partitioned index instead:  median ${ms(skip.median)} = ${(skip.median / tick.median).toFixed(0)}x`);
    out(`    DISTINCT ON over every event instead (once):   ${ms(scan)}${scan ? ` = ${(scan / tick.median).toFixed(0)}x` : ''}`);

    // No-match intake with that history, against the same into an empty table, rounds interleaved.
    let withHistory = 0;
    let intoEmpty = 0;
    for (let round = 0; round < 4; round++) {
      intoEmpty += await intakeRate(empty, size.intakeBatches / 2, `empty-${round}`, size.subjects);
      withHistory += await intakeRate(history, size.intakeBatches / 2, `history-${round}`, size.subjects);
    }
    out(
      `  no-match intake, batches of ${BATCH}: ${count(Math.round(withHistory / 4))} events/s with the history, ${count(Math.round(intoEmpty / 4))} into an empty table`,
    );
    out(`    = ${((withHistory / intoEmpty) * 100).toFixed(0)}% of intake into an empty table (goal >= 90%)`);

    // GET /spawn-log's query with its filters.
    const spawnLog = new SpawnLogRepository(history);
    const filters: Array<Omit<SpawnLogQuery, 'limit'>> = [
      {},
      { source_id: 'rule-7' },
      { status: 'failed' },
      { source_id: 'rule-7', status: 'failed' },
      { triggering_event_id: `e-${Math.floor(size.spawnLog / 2)}` },
      { since: new Date(now.getTime() - 3_600_000) },
    ];
    const firstPage = await spawnLog.list({ limit: 50, status: 'failed' });
    filters.push({ status: 'failed', cursor: firstPage.next_cursor ?? undefined });
    const latencies: number[] = [];
    for (const filter of filters) latencies.push(...(await timeRuns(size.runs, () => spawnLog.list({ limit: 50, ...filter }))).samples);
    const pages: Timings = summarise(latencies);
    out(`  GET /spawn-log's query, ${filters.length} filter combinations x ${size.runs}: median ${ms(pages.median)}, p99 ${ms(pages.p99)} (goal < 50 ms)`);

    // Retention: the oldest day dropped whole, against deleting the next day's rows one by one.
    const partitions = new EventPartitionsRepository(history);
    const oldest = new Date(until.getTime() - size.days * DAY_MS);
    start = performance.now();
    const dropped = await partitions.dropPartitionsBefore(new Date(oldest.getTime() + DAY_MS));
    const drop = performance.now() - start;
    start = performance.now();
    const keys = await partitions.deleteKeysBefore(new Date(oldest.getTime() + DAY_MS));
    const keyDelete = performance.now() - start;
    start = performance.now();
    const [, deletedRows] = await history.query<[unknown, number]>(`DELETE FROM ${partitionName(new Date(oldest.getTime() + DAY_MS))}`);
    const rowDelete = performance.now() - start;
    out(`  prune of one day: DROP of ${dropped.join(', ')} in ${ms(drop)} (goal < 1 s)`);
    out(`    its ${count(keys)} dedupe keys, deleted in chunks: ${ms(keyDelete)}`);
    out(`    the next day's ${count(deletedRows)} rows by DELETE instead: ${ms(rowDelete)} = ${(rowDelete / drop).toFixed(0)}x the DROP`);
  });
}
