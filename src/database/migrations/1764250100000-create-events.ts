import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEvents1764250100000 implements MigrationInterface {
  name = 'CreateEvents1764250100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per CloudEvent, keyed by (source, id): a redelivered event is recognised here.
    await queryRunner.query(`
      CREATE TABLE events (
        source text NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        subject text,
        time timestamptz(3) NOT NULL,
        envelope jsonb NOT NULL,
        transport text NOT NULL CHECK (transport IN ('http', 'nats', 'test')),
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (source, id)
      )`);
    // latest_of: per subject, the newest event of a type not after `now`.
    await queryRunner.query(`CREATE INDEX events_latest_of ON events (type, subject, time DESC)`);
    await queryRunner.query(`CREATE INDEX events_id ON events (id)`);
    await queryRunner.query(`CREATE INDEX events_received ON events (received_at)`);
    await queryRunner.query(`
      CREATE TABLE dead_letter_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transport text NOT NULL,
        subject text,
        reason text NOT NULL,
        payload text NOT NULL,
        payload_bytes integer NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_events_received ON dead_letter_events (received_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letter_events`);
    await queryRunner.query(`DROP TABLE events`);
  }
}
