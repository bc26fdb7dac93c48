import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - dead_letter_events.payload becomes bytea: a dead letter holds whatever bytes arrived.
 * - task_spawn_log.status gains `invalid`: a rendered task spec that broke the payload contract.
 * - Event rules' dedupe keys carry the event's source (`<id>[:<key>]@<source>`, see
 *   src/rules/dedupe-key.ts). Rows written before are carried over, each with the source of the
 *   first stored event of its id (the one that made the decision); a row whose event is no longer
 *   stored keeps its key, which never collides with the new form.
 */
export class HostileInput1764300000000 implements MigrationInterface {
  name = 'HostileInput1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dead_letter_events ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8')`);
    await queryRunner.query(`ALTER TABLE task_spawn_log DROP CONSTRAINT IF EXISTS task_spawn_log_status_check`);
    await queryRunner.query(
      `ALTER TABLE task_spawn_log ADD CONSTRAINT task_spawn_log_status_check
         CHECK (status IN ('pending', 'emitted', 'failed', 'suppressed', 'invalid'))`,
    );
    await queryRunner.query(`
      WITH first_source AS (
        SELECT DISTINCT ON (id) id, source FROM events ORDER BY id, received_at, source
      )
      UPDATE task_spawn_log t
      SET dedupe_key = replace(replace(replace(t.triggering_event_id, '%', '%25'), ':', '%3A'), '@', '%40')
        || substr(t.dedupe_key, length(t.triggering_event_id) + 1)
        || '@' || replace(replace(f.source, '%', '%25'), '@', '%40')
      FROM first_source f
      WHERE f.id = t.triggering_event_id
        AND t.evaluation->>'event_id' = t.triggering_event_id
        AND (t.dedupe_key = t.triggering_event_id OR starts_with(t.dedupe_key, t.triggering_event_id || ':'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE task_spawn_log SET status = 'failed', error = coalesce(error, 'invalid task spec') WHERE status = 'invalid'`);
    await queryRunner.query(`ALTER TABLE task_spawn_log DROP CONSTRAINT IF EXISTS task_spawn_log_status_check`);
    await queryRunner.query(
      `ALTER TABLE task_spawn_log ADD CONSTRAINT task_spawn_log_status_check CHECK (status IN ('pending', 'emitted', 'failed', 'suppressed'))`,
    );
    await queryRunner.query(`ALTER TABLE dead_letter_events ALTER COLUMN payload TYPE text USING encode(payload, 'escape')`);
  }
}
