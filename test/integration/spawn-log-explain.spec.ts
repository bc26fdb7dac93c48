// Every query behind GET /spawn-log's filters, explain and replay, with 1,000,000 rows in
// task_spawn_log: EXPLAIN of the exact SQL the repository sends shows no sequential scan.
import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { loadSpawnLog } from '../../src/bench/scale-data';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { SpawnRecoveryRepository } from '../../src/spawn-log/spawn-recovery.repository';
import { createTestDatabase, TestDatabase } from '../support/database';

const ROWS = 1_000_000;
const UNTIL = new Date('2026-11-01T00:00:00Z');

interface SentQuery {
  sql: string;
  parameters: unknown[];
}

/** Keeps every query the data source sends, with its parameters. */
class QueryRecorder extends AbstractLogger {
  readonly sent: SentQuery[] = [];
  override logQuery(query: string, parameters?: unknown[]): void {
    this.sent.push({ sql: query, parameters: parameters ?? [] });
  }
  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('the spawn log at 1,000,000 rows', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let recorder: QueryRecorder;
  let sut: SpawnLogRepository;

  beforeAll(async () => {
    db = await createTestDatabase('spawn_log_explain');
    recorder = new QueryRecorder();
    dataSource = await new DataSource({ ...dataSourceOptions(db.url), logging: ['query'], logger: recorder }).initialize();
    await runMigrations(dataSource);
    await loadSpawnLog(dataSource, ROWS, UNTIL);
    sut = new SpawnLogRepository(dataSource);
  }, 600_000);
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** Runs `work`, then EXPLAINs the last query it sent; returns the plan's nodes. */
  async function planOf(work: () => Promise<unknown>): Promise<PlanNode[]> {
    await work();
    const { sql, parameters } = recorder.sent[recorder.sent.length - 1];
    const [row] = await dataSource.query<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
    return nodes(row['QUERY PLAN'][0].Plan);
  }

  const page = (filters: Omit<Parameters<SpawnLogRepository['list']>[0], 'limit'>) => () => sut.list({ limit: 50, ...filters });
  const cursorAfterFirstPage = async (filters: { source_id?: string; status?: 'failed' }) =>
    (await sut.list({ limit: 50, ...filters })).next_cursor ?? undefined;

  const cases: Array<[string, () => Promise<() => Promise<unknown>>]> = [
    ['newest first, no filter', async () => page({})],
    ['source_id', async () => page({ source_id: 'rule-7' })],
    ['triggering_event_id (explain, the 202 answer)', async () => page({ triggering_event_id: 'e-123456' })],
    ['status', async () => page({ status: 'failed' })],
    ['since', async () => page({ since: new Date(UNTIL.getTime() - 3_600_000) })],
    ['source_id and status', async () => page({ source_id: 'rule-7', status: 'pending' })],
    ['source_id, status and since', async () => page({ source_id: 'rule-7', status: 'failed', since: new Date(UNTIL.getTime() - 86_400_000) })],
    ['the next page of a filter (cursor)', async () => page({ status: 'failed', cursor: await cursorAfterFirstPage({ status: 'failed' }) })],
    ['the next page of everything (cursor)', async () => page({ cursor: await cursorAfterFirstPage({}) })],
    [
      'decisions of a page of events (replay)',
      async () => () =>
        sut.findByEvents([
          { source: 'ci', id: 'e-1' },
          { source: 'ci', id: 'e-500000' },
          { source: 'ci', id: 'e-999999' },
        ]),
    ],
    ['one decision (GET /spawn-log/:id)', async () => () => sut.findById('00000000-0000-4000-8000-000000000000')],
    ['stranded pending decisions (sweep)', async () => () => new SpawnRecoveryRepository(dataSource).findStranded(60_000, 100)],
  ];

  it.each(cases)('%s: no sequential scan', async (_name, build) => {
    const plan = await planOf(await build());
    expect(plan.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name'])).toEqual([]);
    expect(plan.some((node) => /Index/.test(node['Node Type']))).toBe(true);
  });
});
