import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NewDecision, SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { SpawnRecoveryRepository } from '../../src/spawn-log/spawn-recovery.repository';
import { aDecision } from '../factories/decision';
import { aTaskSpec } from '../factories/task-spec';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';

describe('SpawnLogRepository on the real Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: SpawnLogRepository;

  beforeAll(async () => {
    db = await createTestDatabase('spawn_log');
    dataSource = await openMigratedDataSource(db);
    sut = new SpawnLogRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const count = async (dedupeKey: string) =>
    Number((await dataSource.query('SELECT count(*) FROM task_spawn_log WHERE dedupe_key = $1', [dedupeKey]))[0].count);

  it('records a decision once: a second call returns the existing row', async () => {
    const first = await sut.recordDecision(aDecision({ dedupe_key: 'once' }));
    const second = await sut.recordDecision(aDecision({ dedupe_key: 'once', reason: 'something else' }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.row.id).toBe(first.row.id);
    expect(second.row.reason).toBe('condition_matched');
    expect(first.row.status).toBe('pending');
    expect(first.row.attempts).toBe(0);
    expect(first.row.evaluation).toMatchObject({ event_id: 'evt-1', result: true });
    expect(await count('once')).toBe(1);
  });

  it('leaves exactly one row after 20 concurrent record calls with one key', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => sut.recordDecision(aDecision({ dedupe_key: 'concurrent' }))));
    expect(await count('concurrent')).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.row.id)).size).toBe(1);
  });

  it('records a batch in one call, repeating keys resolved to one row', async () => {
    await sut.recordDecision(aDecision({ dedupe_key: 'batch-old' }));
    const results = await sut.recordDecisions([
      aDecision({ dedupe_key: 'batch-a' }),
      aDecision({ dedupe_key: 'batch-old' }),
      aDecision({ dedupe_key: 'batch-a' }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, false, false]);
    expect(results[2].row.id).toBe(results[0].row.id);
    expect(await count('batch-a')).toBe(1);
  });

  it('two batches recording shared keys in opposite orders, each in its own transaction, never deadlock', async () => {
    // Each row of an insert waits for a concurrent insert of its key to commit: unless both batches
    // take their keys in one order, each ends up holding a key the other waits for (SQLSTATE 40P01).
    for (let round = 0; round < 10; round++) {
      const keys = Array.from({ length: 200 }, (_, i) => `opposite-${round}-${String(i).padStart(3, '0')}`);
      const record = (ordered: string[]) =>
        dataSource.transaction((manager) =>
          sut.recordDecisions(
            ordered.map((key) => aDecision({ dedupe_key: key })),
            manager,
          ),
        );
      const [forward, backward] = await Promise.all([record(keys), record([...keys].reverse())]);
      expect(forward.filter((r) => r.created).length + backward.filter((r) => r.created).length).toBe(200);
      expect(forward.map((r) => r.row.dedupe_key)).toEqual(keys);
      expect(backward.map((r) => r.row.dedupe_key)).toEqual([...keys].reverse());
    }
    // Out of the way of the pending-row queries below.
    await dataSource.query(`DELETE FROM task_spawn_log WHERE dedupe_key LIKE 'opposite-%'`);
  });

  it('keeps keys of thousands of characters unique, past what a b-tree entry holds', async () => {
    // Two 20,000-byte keys that differ only in their last character, each recorded twice, concurrently.
    // Random hex does not compress, so the text stays far past a b-tree entry's 2704 bytes (a key
    // that compresses, like one character repeated, would fit the old unique constraint).
    const stem = randomBytes(10_000).toString('hex');
    const long = (last: string) => `${stem}${last}`;
    const results = await Promise.all(['a', 'b', 'a', 'b'].map((last) => sut.recordDecision(aDecision({ dedupe_key: long(last) }))));
    expect(results.map((r) => r.created).sort()).toEqual([false, false, true, true]);
    expect(results[2].row.id).toBe(results[0].row.id);
    expect(results[3].row.id).toBe(results[1].row.id);
    expect(results[0].row.id).not.toBe(results[1].row.id);
    expect(await count(long('a'))).toBe(1);
    expect(await count(long('b'))).toBe(1);
    // A batch that repeats one of them returns the existing row, found through the digest index.
    const [again] = await sut.recordDecisions([aDecision({ dedupe_key: long('b') })]);
    expect(again).toMatchObject({ created: false, row: { id: results[1].row.id, dedupe_key: long('b') } });
  });

  it('records 10,000 decisions of one tick in one call', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => aDecision({ dedupe_key: `tick:${i}`, task_spec: aTaskSpec({ target_repo: `repo-${i}` }) }));
    const results = await sut.recordDecisions(many);
    expect(results.filter((r) => r.created)).toHaveLength(10_000);
    expect(results[9_999].row).toMatchObject({ dedupe_key: 'tick:9999', task_spec: expect.objectContaining({ target_repo: 'repo-9999' }) });
    expect(Number((await dataSource.query(`SELECT count(*) FROM task_spawn_log WHERE dedupe_key LIKE 'tick:%'`))[0].count)).toBe(10_000);
    await dataSource.query(`DELETE FROM task_spawn_log WHERE dedupe_key LIKE 'tick:%'`);
  });

  it('moves pending → emitted once, keeping the first reference', async () => {
    const { row } = await sut.recordDecision(aDecision({ dedupe_key: 'emit', sink_type: 'rest' }));
    // The mode is the decision's: a dry-run reference never completes a live decision.
    expect(await sut.markEmitted(row.id, { taskRef: 'null-0123', taskUrl: null, backend: null }, 'null', 1)).toBeNull();
    const emitted = await sut.markEmitted(row.id, { taskRef: 'ISS-1', taskUrl: 'http://x/ISS-1', backend: 'jira' }, 'rest', 2);
    expect(emitted).toMatchObject({
      status: 'emitted',
      task_ref: 'ISS-1',
      task_url: 'http://x/ISS-1',
      backend: 'jira',
      sink_type: 'rest',
      attempts: 2,
      error: null,
    });
    expect(emitted?.emitted_at).toBeInstanceOf(Date);
    expect(await sut.markEmitted(row.id, { taskRef: 'ISS-2', taskUrl: null, backend: null }, 'rest', 3)).toBeNull();
    expect(await sut.markFailed(row.id, 'late failure', 4)).toBeNull();
    expect((await sut.findById(row.id))?.task_ref).toBe('ISS-1');
  });

  it('records attempt failures on a pending row, then marks it failed', async () => {
    const { row } = await sut.recordDecision(aDecision({ dedupe_key: 'fail' }));
    expect(await sut.recordAttemptFailure(row.id, 'issue-core answered 503', 1)).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: 'issue-core answered 503',
    });
    const failed = await sut.markFailed(row.id, 'issue-core answered 422: bad', 2);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error: 'issue-core answered 422: bad' });
  });

  it('records a suppressed decision as such', async () => {
    const { row } = await sut.recordDecision(aDecision({ dedupe_key: 'suppressed', status: 'suppressed', reason: 'rate_limited' }));
    expect(row).toMatchObject({ status: 'suppressed', reason: 'rate_limited' });
  });

  it('counts what a rule has spent of its budget in the window: suppressed, invalid and older decisions spend none', async () => {
    const rule = '3d1f8a52-6d5e-4b3e-9c1a-0f1e2d3c4b5a';
    const decision = (dedupe_key: string, status: NewDecision['status'] = 'pending') => aDecision({ activity_definition_id: rule, dedupe_key, status });
    await sut.recordDecisions([
      decision('budget-1'),
      decision('budget-2'),
      decision('budget-held', 'suppressed'),
      decision('budget-bad', 'invalid'),
      decision('budget-old'),
    ]);
    await dataSource.query(`UPDATE task_spawn_log SET created_at = now() - interval '2 hours' WHERE dedupe_key = 'budget-old'`);
    expect(await dataSource.transaction((manager) => sut.lockAndCountBudgetSpent(rule, 3_600_000, manager))).toBe(2);
    expect(await dataSource.transaction((manager) => sut.lockAndCountBudgetSpent(rule, 3 * 3_600_000, manager))).toBe(3);
  });

  it('finds pending rows whose workflow was never started', async () => {
    const { row } = await sut.recordDecision(aDecision({ dedupe_key: 'stranded' }));
    const { row: started } = await sut.recordDecision(aDecision({ dedupe_key: 'started' }));
    await sut.markWorkflowsStarted([started.id]);
    const stranded = await new SpawnRecoveryRepository(dataSource).findStranded(0, 1000);
    expect(stranded.map((r) => r.id)).toContain(row.id);
    expect(stranded.map((r) => r.id)).not.toContain(started.id);
  });

  describe('queries', () => {
    beforeAll(async () => {
      await dataSource.query('DELETE FROM task_spawn_log');
      for (let i = 0; i < 7; i++) {
        await sut.recordDecision(aDecision({ dedupe_key: `q-${i}`, source_id: i % 2 ? 'odd-rule' : 'even-rule', triggering_event_id: `evt-${i}` }));
      }
      await dataSource.query(`UPDATE task_spawn_log SET created_at = now() - interval '2 days' WHERE dedupe_key = 'q-0'`);
    });

    it('pages newest first without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await sut.list({ limit: 3, cursor });
        seen.push(...page.items.map((r) => r.dedupe_key));
        cursor = page.next_cursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      expect(seen[6]).toBe('q-0');
    });

    it('filters by source_id, triggering_event_id, status and since', async () => {
      expect((await sut.list({ limit: 50, source_id: 'odd-rule' })).items).toHaveLength(3);
      expect((await sut.list({ limit: 50, triggering_event_id: 'evt-4' })).items.map((r) => r.dedupe_key)).toEqual(['q-4']);
      expect((await sut.list({ limit: 50, status: 'emitted' })).items).toHaveLength(0);
      expect((await sut.list({ limit: 50, status: 'pending' })).items).toHaveLength(7);
      const recent = await sut.list({ limit: 50, since: new Date(Date.now() - 24 * 3600 * 1000) });
      expect(recent.items.map((r) => r.dedupe_key)).not.toContain('q-0');
      expect(recent.items).toHaveLength(6);
    });
  });
});
