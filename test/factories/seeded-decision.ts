import type { DataSource } from 'typeorm';
import { deriveWorkflowId } from '../../src/rules/workflow-id';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import type { SpawnStatus, TaskSpawnLog } from '../../src/spawn-log/task-spawn-log.entity';
import { uuidV5 } from '../../src/rules/uuid-v5';
import { aDecision } from './decision';
import { aTaskSpec } from './task-spec';

export interface SeededDecision {
  rule: string;
  key: string;
  status: SpawnStatus;
  sink: 'null' | 'rest';
  hoursAgo: number;
  error?: string;
}

/**
 * A decision in a given state and age, as the pipeline would have left it. Its workflow is
 * marked started, so the sweep leaves it alone.
 */
export async function seedDecision(dataSource: DataSource, spawnLog: SpawnLogRepository, seed: SeededDecision): Promise<TaskSpawnLog> {
  const { row } = await spawnLog.recordDecision(
    aDecision({
      activity_definition_id: uuidV5(seed.rule),
      source_id: seed.rule,
      dedupe_key: seed.key,
      triggering_event_id: seed.key,
      workflow_id: deriveWorkflowId(seed.rule, seed.key),
      sink_type: seed.sink,
      status: seed.status === 'suppressed' ? 'suppressed' : 'pending',
      reason: seed.status === 'suppressed' ? 'rate_limited' : 'condition_matched',
      task_spec: aTaskSpec({ source_id: seed.rule, triggering_event_id: seed.key, title: `Task for ${seed.key}`, activity_definition_id: uuidV5(seed.rule) }),
    }),
  );
  const emitted = seed.status === 'emitted';
  const ref = emitted ? (seed.sink === 'rest' ? `ISS-${seed.key}` : `null-${seed.key}`) : null;
  const [[updated]] = await dataSource.query(
    `UPDATE task_spawn_log SET status = $2, error = $3, task_ref = $4, task_url = $5,
       created_at = now() - ($6::float8 * interval '1 hour'), emitted_at = CASE WHEN $7 THEN now() ELSE NULL END,
       attempts = CASE WHEN $2 = 'suppressed' THEN 0 ELSE 1 END, workflow_started_at = now()
     WHERE id = $1 RETURNING *`,
    [row.id, seed.status, seed.error ?? null, ref, emitted && seed.sink === 'rest' ? `https://issues.example/${ref}` : null, seed.hoursAgo, emitted],
  );
  return updated;
}
