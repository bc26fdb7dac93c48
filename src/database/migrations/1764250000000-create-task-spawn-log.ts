import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTaskSpawnLog1764250000000 implements MigrationInterface {
  name = 'CreateTaskSpawnLog1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE task_spawn_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        activity_definition_id uuid NOT NULL,
        source_type text NOT NULL DEFAULT 'rule',
        source_id text NOT NULL,
        triggering_event_id text NOT NULL,
        dedupe_key text NOT NULL,
        condition text NOT NULL,
        definition_hash text NOT NULL,
        reason text NOT NULL,
        evaluation jsonb NOT NULL,
        task_spec jsonb NOT NULL,
        sink_type text NOT NULL CHECK (sink_type IN ('null', 'rest')),
        task_ref text,
        task_url text,
        backend text,
        status text NOT NULL CHECK (status IN ('pending', 'emitted', 'failed', 'suppressed')),
        error text,
        attempts integer NOT NULL DEFAULT 0,
        workflow_id text NOT NULL,
        workflow_started_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        emitted_at timestamptz(3),
        CONSTRAINT task_spawn_log_decision_key UNIQUE (activity_definition_id, dedupe_key)
      )`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_newest ON task_spawn_log (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_source ON task_spawn_log (source_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_trigger ON task_spawn_log (triggering_event_id)`);
    await queryRunner.query(`CREATE INDEX task_spawn_log_pending ON task_spawn_log (created_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE task_spawn_log`);
  }
}
