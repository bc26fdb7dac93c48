import { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartitionSql, PARTITIONS_AHEAD_DAYS } from '../../events/event-partitions.repository';

/**
 * Costs that follow the work, not the history:
 * - `events` becomes partitioned by day of `received_at`, so retention drops whole partitions;
 * - `event_keys` keeps (source, id) unique across every partition (a unique constraint on a
 *   partitioned table must include the partition key, which would let a redelivery on another day in);
 * - `latest_events` holds, per (type, subject), the latest event, so `latest_of` reads one row per
 *   subject and keeps the stalest subjects past retention.
 * Existing rows are carried over.
 */
// The columns of `events`, the same before and after.
const EVENT_COLUMNS = `source text NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        subject text,
        time timestamptz(3) NOT NULL,
        envelope jsonb NOT NULL,
        transport text NOT NULL CHECK (transport IN ('http', 'nats', 'test')),
        received_at timestamptz(3) NOT NULL DEFAULT now()`;

export class PartitionEvents1764330000000 implements MigrationInterface {
  name = 'PartitionEvents1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events RENAME TO events_unpartitioned`);
    await queryRunner.query(`ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey`);
    await queryRunner.query(`ALTER INDEX events_latest_of RENAME TO events_unpartitioned_latest_of`);
    await queryRunner.query(`ALTER INDEX events_id RENAME TO events_unpartitioned_id`);
    await queryRunner.query(`ALTER INDEX events_received RENAME TO events_unpartitioned_received`);
    await queryRunner.query(`
      CREATE TABLE events (
        ${EVENT_COLUMNS},
        PRIMARY KEY (received_at, source, id)
      ) PARTITION BY RANGE (received_at)`);
    // Per subject, the newest event of a type: the fallback of latest_of for a `now` in the past.
    await queryRunner.query(`CREATE INDEX events_latest_of ON events (type, subject, time DESC)`);
    // Rows outside every daily partition land here; the partition job moves them out.
    await queryRunner.query(`CREATE TABLE events_default PARTITION OF events DEFAULT`);

    // A daily partition for each day that holds rows, and the days ahead.
    const days = (await queryRunner.query(
      `
      SELECT DISTINCT date_trunc('day', received_at, 'UTC') AS day FROM events_unpartitioned
      UNION
      SELECT date_trunc('day', now(), 'UTC') + make_interval(days => n) FROM generate_series(0, $1::int) AS n
      ORDER BY 1`,
      [PARTITIONS_AHEAD_DAYS],
    )) as Array<{ day: Date }>;
    for (const { day } of days) for (const sql of createPartitionSql(day)) await queryRunner.query(sql);
    await queryRunner.query(`INSERT INTO events SELECT source, id, type, subject, time, envelope, transport, received_at FROM events_unpartitioned`);

    await queryRunner.query(`
      CREATE TABLE event_keys (
        id text NOT NULL,
        source text NOT NULL,
        received_at timestamptz(3) NOT NULL,
        PRIMARY KEY (id, source)
      )`);
    await queryRunner.query(`CREATE INDEX event_keys_received ON event_keys (received_at)`);
    await queryRunner.query(`INSERT INTO event_keys SELECT id, source, received_at FROM events_unpartitioned`);

    await queryRunner.query(`
      CREATE TABLE latest_events (
        type text NOT NULL,
        subject text NOT NULL,
        source text NOT NULL,
        id text NOT NULL,
        time timestamptz(3) NOT NULL,
        envelope jsonb NOT NULL,
        transport text NOT NULL,
        received_at timestamptz(3) NOT NULL,
        PRIMARY KEY (type, subject)
      )`);
    await queryRunner.query(`CREATE INDEX latest_events_received ON latest_events (received_at)`);
    await queryRunner.query(`
      INSERT INTO latest_events (type, subject, source, id, time, envelope, transport, received_at)
      SELECT DISTINCT ON (type, subject) type, subject, source, id, time, envelope, transport, received_at
      FROM events_unpartitioned WHERE subject IS NOT NULL
      ORDER BY type, subject, time DESC, received_at DESC, source DESC, id DESC`);
    await queryRunner.query(`DROP TABLE events_unpartitioned`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE latest_events`);
    await queryRunner.query(`DROP TABLE event_keys`);
    await queryRunner.query(`ALTER TABLE events RENAME TO events_partitioned`);
    await queryRunner.query(`ALTER TABLE events_partitioned RENAME CONSTRAINT events_pkey TO events_partitioned_pkey`);
    await queryRunner.query(`ALTER INDEX events_latest_of RENAME TO events_partitioned_latest_of`);
    await queryRunner.query(`
      CREATE TABLE events (
        ${EVENT_COLUMNS},
        PRIMARY KEY (source, id)
      )`);
    await queryRunner.query(`INSERT INTO events SELECT * FROM events_partitioned ON CONFLICT DO NOTHING`);
    await queryRunner.query(`DROP TABLE events_partitioned`);
    await queryRunner.query(`CREATE INDEX events_latest_of ON events (type, subject, time DESC)`);
    await queryRunner.query(`CREATE INDEX events_id ON events (id)`);
    await queryRunner.query(`CREATE INDEX events_received ON events (received_at)`);
  }
}
