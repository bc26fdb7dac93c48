// The spawn log as the sweep and the operator see it: rows never started, started rows to check on,
// starts that failed, failed rows to send again, live decisions a dry-run instance holds.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TaskSpawnLog } from './task-spawn-log.entity';

@Injectable()
export class SpawnRecoveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Pending decisions whose workflow was never started (a crash between commit and start), past the grace period. */
  findStranded(olderThanMs: number, limit: number): Promise<TaskSpawnLog[]> {
    return this.dataSource.query(
      `SELECT * FROM task_spawn_log
       WHERE status = 'pending' AND workflow_started_at IS NULL
         AND created_at <= now() - ($1::int * interval '1 millisecond')
       ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  /** Pending decisions whose workflow was started, least recently checked first (the sweep checks them). */
  findStartedPending(olderThanMs: number, limit: number): Promise<TaskSpawnLog[]> {
    return this.dataSource.query(
      `SELECT * FROM task_spawn_log
       WHERE status = 'pending' AND workflow_started_at IS NOT NULL
         AND COALESCE(workflow_checked_at, workflow_started_at) <= now() - ($1::int * interval '1 millisecond')
       ORDER BY COALESCE(workflow_checked_at, workflow_started_at) LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  async markWorkflowsChecked(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE task_spawn_log SET workflow_checked_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * A start Temporal refused, or a workflow id already taken by another decision's completed run:
   * the row is failed with the reason (never retried in a loop), under the workflow id it is to be
   * sent again with.
   */
  async markStartFailed(id: string, reason: string, workflowId?: string) {
    const [rows] = await this.dataSource.query<[TaskSpawnLog[], number]>(
      `UPDATE task_spawn_log SET status = 'failed', error = $2, workflow_id = COALESCE($3, workflow_id),
         workflow_started_at = NULL
       WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, reason, workflowId ?? null],
    );
    return rows[0] ?? null;
  }

  /** Failed rows to send again: by id, or every one created since. */
  findFailed(filter: { ids?: string[]; since?: Date }): Promise<TaskSpawnLog[]> {
    return this.dataSource.query(
      `SELECT * FROM task_spawn_log WHERE status = 'failed'
         AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) AND ($2::timestamptz IS NULL OR created_at >= $2)
       ORDER BY created_at`,
      [filter.ids ?? null, filter.since ?? null],
    );
  }

  /** An operator sends failed rows again: pending, to be started under the same workflow id. */
  async reopenFailed(ids: string[]): Promise<TaskSpawnLog[]> {
    if (ids.length === 0) return [];
    const [rows] = await this.dataSource.query<[TaskSpawnLog[], number]>(
      `UPDATE task_spawn_log SET status = 'pending', workflow_started_at = NULL, workflow_checked_at = NULL,
         error = 'sent again by an operator; last error: ' || COALESCE(error, 'none')
       WHERE id = ANY($1::uuid[]) AND status = 'failed' RETURNING *`,
      [ids],
    );
    return rows;
  }

  /** Pending decisions of one mode (a dry-run instance holds the live ones). */
  async countPending(sinkType: TaskSpawnLog['sink_type']): Promise<number> {
    const [{ count }] = await this.dataSource.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM task_spawn_log WHERE status = 'pending' AND sink_type = $1`,
      [sinkType],
    );
    return count;
  }
}
