// Retention by daily partition against the real Postgres: old days dropped whole, the latest event of
// each scoped (type, subject) kept, intake across a partition boundary, duplicates recognised across days.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { MIGRATIONS } from '../../src/database/migrations';
import { EventPartitionsRepository, partitionName } from '../../src/events/event-partitions.repository';
import { eventKey, EventsRepository } from '../../src/events/events.repository';
import { RetentionActivities } from '../../src/intake/retention.activities';
import { MetricsService } from '../../src/metrics/metrics.service';
import { DefinitionsMetrics } from '../../src/rules/definitions.metrics';
import { DefinitionsService } from '../../src/rules/definitions.service';
import { evaluateRule, scheduleTriggerId } from '../../src/rules/evaluate';
import { testConfig } from '../factories/config';
import { anEvent } from '../factories/definition';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';
import { SHIPPED_DEFINITIONS } from '../support/definitions-dir';

const DAY = 86_400_000;

describe('events partitioned by day', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let events: EventsRepository;
  let partitions: EventPartitionsRepository;
  let definitions: DefinitionsService;

  beforeAll(async () => {
    db = await createTestDatabase('event_partitions');
    dataSource = await openMigratedDataSource(db);
    events = new EventsRepository(dataSource);
    partitions = new EventPartitionsRepository(dataSource);
    const config = testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: SHIPPED_DEFINITIONS, EVENT_RETENTION_DAYS: '30' });
    definitions = new DefinitionsService(config.definitions, config.sink, new DefinitionsMetrics(new MetricsService()));
    definitions.reload();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const partitionOf = async (source: string, id: string): Promise<string | null> => {
    const rows: Array<{ p: string }> = await dataSource.query(`SELECT tableoid::regclass::text AS p FROM events WHERE source = $1 AND id = $2`, [source, id]);
    return rows[0]?.p ?? null;
  };

  it('intake works across a partition boundary, and a duplicate is recognised on the next day', async () => {
    const midnight = new Date(Date.UTC(2031, 0, 10));
    await partitions.ensureAhead(new Date(midnight.getTime() - DAY), 1);
    const before = anEvent({ id: 'boundary-1', source: 'ci://a' });
    const after = anEvent({ id: 'boundary-2', source: 'ci://a' });
    expect(await events.insertEvents([before], 'test', undefined, new Date(midnight.getTime() - 1))).toEqual(new Set([eventKey(before)]));
    expect(await events.insertEvents([after, before], 'test', undefined, midnight)).toEqual(new Set([eventKey(after)]));
    expect(await partitionOf('ci://a', 'boundary-1')).toBe(partitionName(new Date(midnight.getTime() - DAY)));
    expect(await partitionOf('ci://a', 'boundary-2')).toBe(partitionName(midnight));
    // The same id from another source is another event.
    const otherSource = anEvent({ id: 'boundary-1', source: 'ci://b' });
    expect(await events.insertEvents([otherSource], 'test', undefined, midnight)).toEqual(new Set([eventKey(otherSource)]));
    expect((await events.findById('boundary-1', 'ci://a'))[0].received_at).toEqual(new Date(midnight.getTime() - 1));
  });

  it('two replicas storing batches that share keys and subjects in opposite orders never deadlock', async () => {
    // Each statement locks event keys and latest-event rows as it goes: unless every batch takes them
    // in one order, two batches that meet from opposite ends wait on each other (SQLSTATE 40P01).
    const batch = (round: number, side: string, order: 'forward' | 'backward') => {
      const items = Array.from({ length: 256 }, (_, i) =>
        anEvent({
          // Keys both sides send (a redelivery) and keys of their own, over the same 128 subjects.
          id: i % 2 === 0 ? `shared-${round}-${i}` : `${side}-${round}-${i}`,
          source: 'ci://replicas',
          type: 'replica.checked',
          subject: `repo-${i % 128}`,
          time: new Date(Date.UTC(2026, 10, 1) + round * 1000 + i).toISOString(),
        }),
      );
      return order === 'forward' ? items : items.reverse();
    };
    for (let round = 0; round < 20; round++) {
      const [a, b] = await Promise.all([events.insertEvents(batch(round, 'a', 'forward'), 'test'), events.insertEvents(batch(round, 'b', 'backward'), 'test')]);
      // Every shared key stored once, by one side or the other.
      const shared = [...a, ...b].filter((key) => key.includes('shared-'));
      expect(new Set(shared).size).toBe(128);
      expect(shared).toHaveLength(128);
    }
  });

  it('a row outside every daily partition waits in the default one and moves when its day is created', async () => {
    const day = new Date(Date.UTC(2032, 5, 1, 12));
    await events.insertEvents([anEvent({ id: 'early', source: 'ci://early' })], 'test', undefined, day);
    expect(await partitionOf('ci://early', 'early')).toBe('events_default');
    expect(await partitions.ensureAhead(day, 0)).toEqual([partitionName(day)]);
    expect(await partitionOf('ci://early', 'early')).toBe(partitionName(day));
  });

  it('retention keeps the latest scoped event: old days dropped whole, the stalest SBOM still flagged', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY);
    await partitions.ensureAhead(new Date(now.getTime() - 45 * DAY), 46);
    const sbom = (repo: string, id: string, receivedAt: Date) =>
      events.insertEvents(
        [anEvent({ id, source: 'sbom-service', type: 'sbom.generated', subject: repo, time: receivedAt.toISOString() })],
        'test',
        undefined,
        receivedAt,
      );
    await sbom('stale-repo', 'stale-1', new Date(old.getTime() - DAY));
    await sbom('stale-repo', 'stale-2', old);
    await sbom('fresh-repo', 'fresh-old', old);
    await sbom('fresh-repo', 'fresh-new', new Date(now.getTime() - DAY));
    await events.insertEvents([anEvent({ id: 'ci-old', type: 'ci.finished', subject: 'gone-repo' })], 'test', undefined, old);

    const sut = new RetentionActivities(events, partitions, definitions, testConfig({ EVENT_RETENTION_DAYS: '30' }).events);
    const result = await sut.pruneEvents();

    expect(result.dropped).toEqual(expect.arrayContaining([partitionName(old), partitionName(new Date(old.getTime() - DAY))]));
    expect(result.deletedRows).toBe(0);
    expect(await partitions.list()).not.toContain(partitionName(old));
    expect(await partitions.list()).toContain(partitionName(new Date(now.getTime() + 7 * DAY)));
    const remaining: Array<{ id: string }> = await dataSource.query(
      `SELECT id FROM events WHERE id IN ('stale-1', 'stale-2', 'fresh-old', 'fresh-new', 'ci-old') ORDER BY id`,
    );
    expect(remaining.map((r) => r.id)).toEqual(['fresh-new']);
    const keys: Array<{ id: string }> = await dataSource.query(`SELECT id FROM event_keys WHERE id IN ('stale-2', 'ci-old', 'fresh-new')`);
    expect(keys.map((k) => k.id)).toEqual(['fresh-new']);

    // The scoped type keeps its latest per subject; the unscoped one is forgotten.
    const latest = await events.latestOfType('sbom.generated', now);
    expect(latest.map((e) => [e.subject, e.id])).toEqual([
      ['fresh-repo', 'fresh-new'],
      ['stale-repo', 'stale-2'],
    ]);
    expect(await events.latestOfType('ci.finished', now)).toEqual([]);

    const rule = definitions.get('flag-stale-sbom');
    if (!rule) throw new Error('flag-stale-sbom is not shipped');
    const flagged = latest
      .map((stored) => evaluateRule(rule, { event: stored.envelope, now, triggeringEventId: scheduleTriggerId(rule.key, now) }))
      .filter((outcome) => outcome.matched);
    expect(flagged.map((outcome) => outcome.matched && outcome.decision.taskSpec.target_repo)).toEqual(['stale-repo']);
  });
});

describe('the migration to daily partitions', () => {
  it('carries the stored events over: into their day, with their keys and the latest of each subject', async () => {
    const db = await createTestDatabase('partition_migration');
    const before = await new DataSource({ ...dataSourceOptions(db.url), migrations: MIGRATIONS.slice(0, 2) }).initialize();
    await runMigrations(before);
    const insert = (id: string, subject: string, time: string, receivedAt: string) =>
      before.query(
        `INSERT INTO events (source, id, type, subject, time, envelope, transport, received_at) VALUES ('ci://a', $1, 'sbom.generated', $2, $3, $4, 'http', $5)`,
        [id, subject, time, JSON.stringify(anEvent({ id, source: 'ci://a', type: 'sbom.generated', subject, time })), receivedAt],
      );
    await insert('old', 'api', '2026-10-01T06:00:00.000Z', '2026-10-01T06:00:01.000Z');
    await insert('new', 'api', '2026-10-03T06:00:00.000Z', '2026-10-03T06:00:01.000Z');
    await insert('web-1', 'web', '2026-10-02T06:00:00.000Z', '2026-10-02T06:00:01.000Z');
    await before.destroy();

    const sut = await openMigratedDataSource(db);
    try {
      const rows: Array<{ id: string; p: string }> = await sut.query(`SELECT id, tableoid::regclass::text AS p FROM events ORDER BY id`);
      expect(rows).toEqual([
        { id: 'new', p: 'events_p20261003' },
        { id: 'old', p: 'events_p20261001' },
        { id: 'web-1', p: 'events_p20261002' },
      ]);
      const repository = new EventsRepository(sut);
      expect(await repository.insertEvents([anEvent({ id: 'old', source: 'ci://a' })], 'test')).toEqual(new Set());
      const latest = await repository.latestOfType('sbom.generated', new Date('2026-11-01T00:00:00Z'));
      expect(latest.map((e) => [e.subject, e.id])).toEqual([
        ['api', 'new'],
        ['web', 'web-1'],
      ]);
      expect(await new EventPartitionsRepository(sut).list()).toContain(partitionName(new Date()));
    } finally {
      await sut.destroy();
      await db.drop();
    }
  });
});
