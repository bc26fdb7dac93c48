import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind the console's filters and aggregates, so none of its queries reads the whole
 * table: per-rule counts and charts (index-only, covering status and mode), the status and mode
 * filters of the decisions list (newest first), and failed decisions oldest first.
 */
export class ConsoleIndexes1764320000000 implements MigrationInterface {
  name = 'ConsoleIndexes1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS task_spawn_log_rule_window ON task_spawn_log (source_id, created_at DESC, id DESC) INCLUDE (status, sink_type)`,
    );
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS task_spawn_log_status_newest ON task_spawn_log (status, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS task_spawn_log_mode_newest ON task_spawn_log (sink_type, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS task_spawn_log_failed ON task_spawn_log (created_at, id) WHERE status = 'failed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['task_spawn_log_failed', 'task_spawn_log_mode_newest', 'task_spawn_log_status_newest', 'task_spawn_log_rule_window']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
