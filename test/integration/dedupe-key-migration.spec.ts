// Decisions recorded before event identity carried the source keep working: the migration carries
// their keys over, so a replayed or explained event finds its own row, and nothing is decided twice.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { HostileInput1764300000000 } from '../../src/database/migrations/1764300000000-hostile-input';
import { runMigrations } from '../../src/database/migrate';
import { eventDedupeKey } from '../../src/rules/dedupe-key';
import { aDecision } from '../factories/decision';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('the dedupe key migration on the real Postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('dedupe_migration');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('rewrites event decisions to <id>[:<key>]@<source>, keeps tick keys, and the old rows are found again', async () => {
    const before = await new DataSource({ ...dataSourceOptions(db.url), migrations: MIGRATIONS.filter((m) => m !== HostileInput1764300000000) }).initialize();
    await runMigrations(before);
    const old = new SpawnLogRepository(before);
    await before.query(
      `INSERT INTO events (source, id, type, time, envelope, transport, received_at) VALUES
         ('ci://a', 'e:1', 't', now(), '{}', 'test', now() - interval '2 minutes'),
         ('ci://b', 'e:1', 't', now(), '{}', 'test', now() - interval '1 minute'),
         ('ci@x', 'plain', 't', now(), '{}', 'test', now())`,
    );
    const evaluation = (id: string) => ({ event_id: id, subject: null, time: null, now: new Date().toISOString(), result: true });
    await old.recordDecisions([
      aDecision({ triggering_event_id: 'e:1', dedupe_key: 'e:1', evaluation: evaluation('e:1') }),
      aDecision({ triggering_event_id: 'plain', dedupe_key: 'plain:k:v', evaluation: evaluation('plain') }),
      aDecision({ triggering_event_id: 'gone', dedupe_key: 'gone', evaluation: evaluation('gone') }),
      aDecision({
        triggering_event_id: 'schedule:r:2026-11-23T06:00:00.000Z',
        dedupe_key: 'schedule:r:2026-11-23T06:00:00.000Z:acme',
        evaluation: evaluation('sbom-1'),
      }),
    ]);
    await before.destroy();

    const after = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      await runMigrations(after);
      const keys = (await after.query(`SELECT triggering_event_id, dedupe_key FROM task_spawn_log ORDER BY 1`)).map(
        (r: { dedupe_key: string }) => r.dedupe_key,
      );
      expect(keys).toEqual([
        eventDedupeKey({ source: 'ci://a', id: 'e:1' }), // the first source to send it made the decision
        'gone', // its event is no longer stored: kept as it was
        eventDedupeKey({ source: 'ci@x', id: 'plain' }, 'k:v'),
        'schedule:r:2026-11-23T06:00:00.000Z:acme',
      ]);
      const sut = new SpawnLogRepository(after);
      expect((await sut.findByEvents([{ source: 'ci://a', id: 'e:1' }])).map((r) => r.dedupe_key)).toEqual(['e%3A1@ci://a']);
      expect(await sut.findByEvents([{ source: 'ci://b', id: 'e:1' }])).toEqual([]);
      // The status contract now holds `invalid`.
      await expect(sut.recordDecision(aDecision({ dedupe_key: 'x', status: 'invalid', error: 'title renders empty' }))).resolves.toMatchObject({
        created: true,
      });
    } finally {
      await after.destroy();
    }
  });
});
