// latest_of read from `latest_events` equals the DISTINCT ON query over every stored event, on
// generated histories (ties in time and arrival, duplicates, other sources, events after `now`,
// subjects missing) in the real Postgres.
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { EventsRepository, StoredEvent } from '../../src/events/events.repository';
import { anEvent } from '../factories/definition';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';

const BASE = Date.UTC(2030, 2, 1);
const HOUR = 3_600_000;
const TYPES = ['sbom.generated', 'ci.finished'];

// The query latest_of ran before `latest_events`, with (source, id) appended: it left a full tie on
// (time, received_at) to chance, and the new query settles it that way.
const SCAN_EVERY_EVENT = `
  SELECT DISTINCT ON (subject) source, id, type, subject, time, envelope, transport, received_at FROM events
  WHERE type = $1 AND time <= $2 AND subject IS NOT NULL
  ORDER BY subject, time DESC, received_at DESC, source DESC, id DESC`;

const generatedEvent = fc.record({
  source: fc.constantFrom('ci://a', 'ci://b'),
  id: fc.integer({ min: 1, max: 40 }).map(String),
  type: fc.constantFrom(...TYPES),
  subject: fc.option(fc.constantFrom('api', 'web', 'db', 'a:b', ''), { freq: 8 }),
  // Few distinct instants, so ties are common; up to 3 days of spread across partitions.
  hour: fc.integer({ min: 0, max: 72 }).map((h) => h - (h % 6)),
});
const batch = fc.record({ events: fc.array(generatedEvent, { minLength: 1, maxLength: 12 }), receivedHour: fc.constantFrom(0, 6, 30, 54, 80) });

function comparable(rows: StoredEvent[]) {
  return rows.map((row) => ({
    source: row.source,
    id: row.id,
    subject: row.subject,
    time: new Date(row.time).toISOString(),
    received_at: new Date(row.received_at).toISOString(),
    envelope: row.envelope,
  }));
}

describe('latest_of (property)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: EventsRepository;

  beforeAll(async () => {
    db = await createTestDatabase('latest_of_property');
    dataSource = await openMigratedDataSource(db);
    sut = new EventsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('equals the DISTINCT ON query over every stored event, for every type and any now', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(batch, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: -1, max: 80 }), { minLength: 1, maxLength: 4 }),
        async (batches, nowHours) => {
          // DELETE, not TRUNCATE: a few rows, and no file work on every partition.
          await dataSource.query(`DELETE FROM events; DELETE FROM event_keys; DELETE FROM latest_events`);
          for (const { events, receivedHour } of batches) {
            const cloudEvents = events.map((e) =>
              anEvent({ source: e.source, id: e.id, type: e.type, subject: e.subject ?? undefined, time: new Date(BASE + e.hour * HOUR).toISOString() }),
            );
            await sut.insertEvents(cloudEvents, 'test', undefined, new Date(BASE + receivedHour * HOUR));
          }
          for (const type of TYPES) {
            for (const hour of nowHours) {
              const now = new Date(BASE + hour * HOUR);
              const expected: StoredEvent[] = await dataSource.query(SCAN_EVERY_EVENT, [type, now]);
              expect(comparable(await sut.latestOfType(type, now))).toEqual(comparable(expected));
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  }, 240_000);
});
