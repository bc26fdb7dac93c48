import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweep also checks on started workflows (one that was terminated or lost is requested again):
 * `workflow_checked_at` rotates that check over the pending rows. Rows never started whose workflow
 * id Temporal would refuse (over 255 bytes, control characters) take the fixed encoding of it, as
 * new decisions do (src/rules/workflow-id.ts); no key was ever sent for them.
 */
export class SpawnLogWorkflowChecks1764310000000 implements MigrationInterface {
  name = 'SpawnLogWorkflowChecks1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_spawn_log ADD COLUMN workflow_checked_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX task_spawn_log_started_pending ON task_spawn_log ((COALESCE(workflow_checked_at, workflow_started_at)))
       WHERE status = 'pending' AND workflow_started_at IS NOT NULL`,
    );
    await queryRunner.query(`
      UPDATE task_spawn_log
      SET workflow_id = 'spawn-sha256/' || encode(sha256(convert_to(workflow_id, 'UTF8')), 'hex')
      WHERE workflow_started_at IS NULL AND status IN ('pending', 'failed')
        AND workflow_id NOT LIKE 'spawn-sha256/%'
        AND (octet_length(workflow_id) > 255 OR workflow_id ~ '[\\x01-\\x1f\\x7f-\\x9f]')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_spawn_log_started_pending`);
    await queryRunner.query(`ALTER TABLE task_spawn_log DROP COLUMN workflow_checked_at`);
  }
}
