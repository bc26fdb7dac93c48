// Every query the console runs, EXPLAINed over 100,000 rows: none reads task_spawn_log whole.
// (Timings are printed for the record, never asserted: speed belongs to benchmarks.)
import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { chartStart, STATS_SQL } from '../../src/spawn-log/spawn-log-stats.repository';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { createTestDatabase, TestDatabase } from '../support/database';

const ROWS = 100_000;
const RULES = Array.from({ length: 20 }, (_, i) => `rule-${i}`);

/** Keeps the SQL the data source sends, so the test EXPLAINs exactly what the API runs. */
class CapturingLogger extends AbstractLogger {
  readonly queries: Array<{ sql: string; params: unknown[] }> = [];
  protected writeLog(): void {}
  override logQuery(query: string, parameters?: unknown[]): void {
    if (/FROM "?task_spawn_log"?/.test(query) && !query.startsWith('EXPLAIN')) this.queries.push({ sql: query, params: parameters ?? [] });
  }
  override log(_level: 'log' | 'info' | 'warn', _message: unknown): void {}
  protected override isLogEnabledFor(_type?: LogLevel): boolean {
    return true;
  }
  protected override prepareLogMessages(): LogMessage[] {
    return [];
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('console queries over 100,000 decisions', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const logger = new CapturingLogger();
  const now = new Date();

  async function explain(sql: string, params: unknown[]): Promise<{ scans: string[]; ms: number }> {
    const [
      {
        'QUERY PLAN': [result],
      },
    ] = await dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const all = nodes(result.Plan as PlanNode).filter((n) => n['Relation Name'] === 'task_spawn_log');
    return { scans: all.map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`), ms: result['Execution Time'] };
  }

  beforeAll(async () => {
    db = await createTestDatabase('console_queries');
    dataSource = await new DataSource({ ...dataSourceOptions(db.url), logging: ['query'], logger }).initialize();
    await runMigrations(dataSource);
    // 20 rules over the last 10 days; mostly emitted, some pending, failed and suppressed, both modes.
    await dataSource.query(
      `INSERT INTO task_spawn_log (activity_definition_id, source_id, triggering_event_id, dedupe_key, condition,
         definition_hash, reason, evaluation, task_spec, sink_type, status, error, workflow_id, created_at)
       SELECT gen_random_uuid(), ($2::text[])[1 + i % 20], 'evt-' || i, 'key-' || i, 'true', 'sha256:x', 'condition_matched',
         '{"now": "2026-11-27T00:00:00Z", "result": true}', '{"title": "t"}',
         CASE WHEN i % 3 = 0 THEN 'rest' ELSE 'null' END,
         CASE WHEN i % 503 = 0 THEN 'failed' WHEN i % 701 = 0 THEN 'pending' WHEN i % 53 = 0 THEN 'suppressed' ELSE 'emitted' END,
         CASE WHEN i % 503 = 0 THEN 'issue-core answered 422' END,
         'spawn/x/' || i, now() - (i * interval '8.64 seconds')
       FROM generate_series(1, $1::int) AS i`,
      [ROWS, RULES],
    );
    await dataSource.query('VACUUM ANALYZE task_spawn_log');
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await db.drop();
  });

  const day = 86_400_000;
  const cases: Array<[string, () => [string, unknown[]]]> = [
    ['backlog gauges', () => [STATS_SQL.backlog, []]],
    ['counts by rule, 24 h and 7 days', () => [STATS_SQL.countsByRule, [RULES, new Date(now.getTime() - day), new Date(now.getTime() - 7 * day)]]],
    ['chart, 24 hours', () => [STATS_SQL.chart, ['rule-3', 'hour', chartStart('24h', now)]]],
    ['chart, 7 days', () => [STATS_SQL.chart, ['rule-3', 'day', chartStart('7d', now)]]],
    ['held, oldest first', () => [STATS_SQL.oldestPending, [50]]],
    ['failed, oldest first', () => [STATS_SQL.oldestFailed, [50]]],
  ];

  it.each(cases)('%s reads through an index', async (_name, query) => {
    const [sql, params] = query();
    const { scans, ms } = await explain(sql, params);
    process.stdout.write(`  ${_name}: ${ms.toFixed(1)} ms (${scans.join(', ')})\n`);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((scan) => scan.startsWith('Seq Scan'))).toEqual([]);
  });

  const filters: Array<[string, Parameters<SpawnLogRepository['list']>[0]]> = [
    ['no filter', { limit: 26 }],
    ['rule', { limit: 26, source_id: 'rule-7' }],
    ['status', { limit: 26, status: 'failed' }],
    ['mode', { limit: 26, sink_type: 'rest' }],
    ['rule and status', { limit: 26, source_id: 'rule-7', status: 'pending' }],
    ['rule, status and mode', { limit: 26, source_id: 'rule-7', status: 'emitted', sink_type: 'null' }],
    ['status and mode', { limit: 26, status: 'suppressed', sink_type: 'rest' }],
  ];

  it.each(filters)('the decisions list filtered by %s reads through an index, on every page', async (_name, query) => {
    const sut = new SpawnLogRepository(dataSource);
    logger.queries.length = 0;
    const first = await sut.list(query);
    expect(first.items.length).toBeGreaterThan(0);
    if (first.next_cursor) await sut.list({ ...query, cursor: first.next_cursor });
    expect(logger.queries.length).toBeGreaterThan(0);
    for (const { sql, params } of [...logger.queries]) {
      const { scans, ms } = await explain(sql, params);
      process.stdout.write(`  list by ${_name}: ${ms.toFixed(1)} ms (${scans.join(', ')})\n`);
      expect(scans.filter((scan) => scan.startsWith('Seq Scan'))).toEqual([]);
    }
  });
});
