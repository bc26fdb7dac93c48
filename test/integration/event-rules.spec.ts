// Event rules against the real Postgres: decisions per matching rule, limits, disabled rules.
import { DataSource } from 'typeorm';
import { EventEvaluationService } from '../../src/rules/event-evaluation.service';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';

describe('event rules', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sut: EventEvaluationService;
  let spawnLog: SpawnLogRepository;
  const dir = new DefinitionsDir()
    .write('sbom-failed.yaml', EVENT_RULE)
    .write('limited.yaml', `${EVENT_RULE.replace('key: sbom-failed', 'key: limited')}\nlimits: { max_spawns: 2, per: 1h }\n`)
    .write('roomy.yaml', `${EVENT_RULE.replace('key: sbom-failed', 'key: roomy')}\nlimits: { max_spawns: 1000, per: 1h }\n`)
    .write('disabled.yaml', EVENT_RULE.replace('key: sbom-failed', 'key: disabled\nenabled: false'));

  beforeAll(async () => {
    db = await createTestDatabase('event_rules');
    app = await startApp(testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: dir.path, TEMPORAL_TASK_QUEUE: uniqueTaskQueue('event-rules') }));
    sut = app.app.get(EventEvaluationService);
    spawnLog = app.app.get(SpawnLogRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    dir.cleanup();
  });

  const record = (events: ReturnType<typeof anEvent>[], { reversed = false } = {}) =>
    app.app.get(DataSource).transaction((manager) => {
      const drafts = sut.draftDecisions(events, new Date()).flatMap((d) => d.drafts);
      return sut.recordDrafts(reversed ? drafts.reverse() : drafts, manager);
    });

  it('evaluates only the rules for the event type, and says which are disabled', () => {
    const outcomes = sut.evaluate(anEvent(), new Date());
    expect(outcomes.map((o) => [o.definition.key, o.outcome.matched])).toEqual([
      ['disabled', false],
      ['limited', true],
      ['roomy', true],
      ['sbom-failed', true],
    ]);
    expect(outcomes[0].outcome).toMatchObject({ reason: 'disabled' });
    expect(sut.evaluate(anEvent({ type: 'deploy.done' }), new Date())).toEqual([]);
  });

  it('suppresses decisions over a rule’s limits with the reason, and records the rest pending', async () => {
    const recorded = await record([1, 2, 3, 4].map((n) => anEvent({ id: `burst-${n}` })));
    const limited = recorded.filter((r) => r.row.source_id === 'limited').map((r) => r.row);
    expect(limited.map((r) => r.status)).toEqual(['pending', 'pending', 'suppressed', 'suppressed']);
    expect(limited[2]).toMatchObject({ reason: 'rate_limited', evaluation: expect.objectContaining({ limit: '2 per 1h' }) });
    const unlimited = recorded.filter((r) => r.row.source_id === 'sbom-failed');
    expect(unlimited.map((r) => r.row.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(recorded.some((r) => r.row.source_id === 'disabled')).toBe(false);
    // The budget holds across batches.
    const later = await record([anEvent({ id: 'burst-5' })]);
    expect(later.find((r) => r.row.source_id === 'limited')?.row.status).toBe('suppressed');
  });

  it('records nothing twice for a repeated event', async () => {
    await record([anEvent({ id: 'repeat-1' })]);
    const again = await record([anEvent({ id: 'repeat-1' })]);
    expect(again.every((r) => !r.created)).toBe(true);
    expect((await spawnLog.list({ limit: 50, triggering_event_id: 'repeat-1' })).items).toHaveLength(3);
  });

  it('two batches meeting the same limited rules in opposite orders never deadlock', async () => {
    // Each limited rule's budget is locked for the rest of the transaction: unless both batches
    // take the locks in one order, each ends up holding a rule the other waits for (SQLSTATE 40P01).
    for (let round = 0; round < 10; round++) {
      const [forward, backward] = await Promise.all([
        record([anEvent({ id: `order-${round}-a` })]),
        record([anEvent({ id: `order-${round}-b` })], { reversed: true }),
      ]);
      expect(forward.map((r) => r.row.source_id)).toEqual(['limited', 'roomy', 'sbom-failed']);
      expect(backward.map((r) => r.row.source_id)).toEqual(['sbom-failed', 'roomy', 'limited']);
      expect([...forward, ...backward].find((r) => r.row.source_id === 'roomy' && r.row.status !== 'pending')).toBeUndefined();
    }
  });
});
