// One decision to spawn a task, and what became of it (SPEC §6). Property names are the column
// names, so the table, the API and the CLI speak one vocabulary. SpawnLogModule registers it; the
// migrations own the table.
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SinkType } from '../common/sink-type';
import type { Evaluation } from '../rules/evaluate';
import type { TaskSpec } from '../rules/task-spec';

export const SPAWN_STATUSES = ['pending', 'emitted', 'failed', 'suppressed', 'invalid'] as const;
export type SpawnStatus = (typeof SPAWN_STATUSES)[number];

@Entity({ name: 'task_spawn_log' })
// Unique per (activity_definition_id, dedupe_key), through a digest of the key (migration
// 1764340000000), so a key of any length stays unique.
export class TaskSpawnLog {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  activity_definition_id: string;

  @Column({ type: 'text' })
  source_type: 'rule';

  @Column({ type: 'text' })
  source_id: string;

  @Column({ type: 'text' })
  triggering_event_id: string;

  @Column({ type: 'text' })
  dedupe_key: string;

  @Column({ type: 'text' })
  condition: string;

  @Column({ type: 'text' })
  definition_hash: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'jsonb' })
  evaluation: Evaluation;

  @Column({ type: 'jsonb' })
  task_spec: TaskSpec;

  @Column({ type: 'text' })
  sink_type: SinkType;

  @Column({ type: 'text', nullable: true })
  task_ref: string | null;

  @Column({ type: 'text', nullable: true })
  task_url: string | null;

  @Column({ type: 'text', nullable: true })
  backend: string | null;

  @Column({ type: 'text' })
  status: SpawnStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text' })
  workflow_id: string;

  @Column({ type: 'timestamptz', nullable: true })
  workflow_started_at: Date | null;

  /** When the sweep last found this pending row's workflow (running, or not). */
  @Column({ type: 'timestamptz', nullable: true })
  workflow_checked_at: Date | null;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  emitted_at: Date | null;
}
