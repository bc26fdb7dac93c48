import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index behind every filter of GET /spawn-log and explain, each ending in the page order
 * (created_at DESC, id DESC), so a filtered page reads its rows in order and stops at the limit,
 * whatever the table's size. The console's migration before this one already made the rule
 * (`task_spawn_log_rule_window`), status and mode indexes; this one adds the triggering event and
 * rule-plus-status ones and drops the two indexes they replace.
 */
export class SpawnLogFilterIndexes1764330100000 implements MigrationInterface {
  name = 'SpawnLogFilterIndexes1764330100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // task_spawn_log_rule_window (source_id, created_at DESC, id DESC) serves the rule filter.
    await queryRunner.query(`DROP INDEX task_spawn_log_source`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_trigger_newest ON task_spawn_log (triggering_event_id, created_at DESC, id DESC)`);
    await queryRunner.query(`DROP INDEX task_spawn_log_trigger`);
    // A rule's failed (or pending) decisions: rare among its rows, so neither index above finds them fast.
    await queryRunner.query(`CREATE INDEX task_spawn_log_source_status_newest ON task_spawn_log (source_id, status, created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_spawn_log_source_status_newest`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_trigger ON task_spawn_log (triggering_event_id)`);
    await queryRunner.query(`DROP INDEX task_spawn_log_trigger_newest`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_source ON task_spawn_log (source_id, created_at DESC)`);
  }
}
