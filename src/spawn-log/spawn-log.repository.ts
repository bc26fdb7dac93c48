// Narrow access to task_spawn_log: record once (within a rule's budget), move through statuses, query
// for the audit API. SQL through the DataSource throughout, so a bare DataSource needs no entity metadata.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inKeyOrder } from '../common/key-order';
import type { TaskReference } from '../emission/sink.interface';
import { EventIdentity, isKeyOfEvent } from '../rules/dedupe-key';
import { pageStatement, SpawnLogPage, SpawnLogQuery, toPage } from './spawn-log-page';
import type { SpawnStatus, TaskSpawnLog } from './task-spawn-log.entity';

export type NewDecision = Pick<
  TaskSpawnLog,
  | 'activity_definition_id'
  | 'source_id'
  | 'triggering_event_id'
  | 'dedupe_key'
  | 'condition'
  | 'definition_hash'
  | 'reason'
  | 'evaluation'
  | 'task_spec'
  | 'sink_type'
  | 'workflow_id'
> & { status: Extract<SpawnStatus, 'pending' | 'suppressed' | 'invalid'>; error?: string | null };

export interface RecordedDecision {
  row: TaskSpawnLog;
  /** false when the decision was already recorded: nothing new was written. */
  created: boolean;
}

// The columns a decision is recorded with, in insert order, and the type of the array each is sent as.
const COLUMN_TYPES: Record<keyof NewDecision, string> = {
  activity_definition_id: 'uuid',
  source_id: 'text',
  triggering_event_id: 'text',
  dedupe_key: 'text',
  condition: 'text',
  definition_hash: 'text',
  reason: 'text',
  evaluation: 'jsonb',
  task_spec: 'jsonb',
  sink_type: 'text',
  workflow_id: 'text',
  status: 'text',
  error: 'text',
};
const COLUMNS = Object.keys(COLUMN_TYPES) as ReadonlyArray<keyof NewDecision>;

@Injectable()
export class SpawnLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordDecision(decision: NewDecision, manager?: EntityManager): Promise<RecordedDecision> {
    const [recorded] = await this.recordDecisions([decision], manager);
    return recorded;
  }

  /**
   * Inserts each decision once, keyed by (activity_definition_id, dedupe_key) (unique through a
   * digest of the key, so any length fits the index), in at most two
   * statements whatever the batch size. A decision already present (or inserted concurrently) comes back as
   * the existing row with created=false.
   */
  async recordDecisions(decisions: NewDecision[], manager?: EntityManager): Promise<RecordedDecision[]> {
    if (decisions.length === 0) return [];
    const db = manager ?? this.dataSource.manager;
    const key = (row: Pick<TaskSpawnLog, 'activity_definition_id' | 'dedupe_key'>) => `${row.activity_definition_id}\u0000${row.dedupe_key}`;
    // Rows go in in key order, so two batches (or replicas) that record shared keys lock them in one
    // order and never deadlock. One array parameter per column: any number of rows in one
    // statement, with no parameter-count limit (a tick over 10,000 subjects is one insert).
    const ordered = inKeyOrder(decisions.map((decision) => [key(decision), decision] as const));
    const columns = COLUMNS.map((column) =>
      ordered.map((decision) => {
        const value = decision[column] ?? null;
        return column === 'evaluation' || column === 'task_spec' ? JSON.stringify(value) : value;
      }),
    );
    const inserted: TaskSpawnLog[] = await db.query(
      `INSERT INTO task_spawn_log (${COLUMNS.join(', ')})
       SELECT * FROM unnest(${COLUMNS.map((column, i) => `$${i + 1}::${COLUMN_TYPES[column]}[]`).join(', ')})
       ON CONFLICT (activity_definition_id, dedupe_key_digest(dedupe_key)) DO NOTHING RETURNING *`,
      columns,
    );
    const byKey = new Map(inserted.map((row) => [key(row), row]));
    const missing = decisions.filter((decision) => !byKey.has(key(decision)));
    const existing: TaskSpawnLog[] = missing.length
      ? await db.query(
          `SELECT t.* FROM task_spawn_log t
           JOIN unnest($1::uuid[], $2::text[]) AS k(definition_id, dedupe_key)
             ON t.activity_definition_id = k.definition_id
            AND dedupe_key_digest(t.dedupe_key) = dedupe_key_digest(k.dedupe_key)
            AND t.dedupe_key = k.dedupe_key`,
          [missing.map((d) => d.activity_definition_id), missing.map((d) => d.dedupe_key)],
        )
      : [];
    const existingByKey = new Map(existing.map((row) => [key(row), row]));
    return decisions.map((decision) => {
      const fresh = byKey.get(key(decision));
      // The same key twice in one batch: the first is created, the second is the same row.
      if (fresh) {
        byKey.delete(key(decision));
        existingByKey.set(key(decision), fresh);
        return { row: fresh, created: true };
      }
      return { row: existingByKey.get(key(decision)) as TaskSpawnLog, created: false };
    });
  }

  /**
   * How many of a rule's decisions spend its budget (all but suppressed and invalid ones) within the
   * last `windowMs`. Takes the rule's advisory lock first, held until the caller's transaction ends,
   * so concurrent intakes count and record that rule's decisions one after another.
   */
  async lockAndCountBudgetSpent(definitionId: string, windowMs: number, manager: EntityManager): Promise<number> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [definitionId]);
    const [{ count }] = await manager.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM task_spawn_log
       WHERE activity_definition_id = $1 AND status NOT IN ('suppressed', 'invalid')
         AND created_at > now() - ($2::bigint * interval '1 millisecond')`,
      [definitionId, windowMs],
    );
    return count;
  }

  async findById(id: string): Promise<TaskSpawnLog | null> {
    const [row]: TaskSpawnLog[] = await this.dataSource.query(`SELECT * FROM task_spawn_log WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Every decision of these events, by (source, id) (explain shows them, replay compares them). */
  async findByEvents(events: EventIdentity[]): Promise<TaskSpawnLog[]> {
    if (events.length === 0) return [];
    const rows: TaskSpawnLog[] = await this.dataSource.query(
      `SELECT * FROM task_spawn_log WHERE triggering_event_id = ANY($1::text[]) ORDER BY created_at, id`,
      [[...new Set(events.map((e) => e.id))]],
    );
    // The key says which source's event a row belongs to (two sources may share an id).
    const byId = new Map<string, EventIdentity[]>();
    for (const event of events) byId.set(event.id, [...(byId.get(event.id) ?? []), event]);
    return rows.filter((row) => (byId.get(row.triggering_event_id) ?? []).some((event) => isKeyOfEvent(row.dedupe_key, event)));
  }

  /** Decisions of these rules whose evaluation read this event (a schedule tick's, for explain). */
  findByEvaluatedEvent(eventId: string, definitionIds: string[]): Promise<TaskSpawnLog[]> {
    if (definitionIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT * FROM task_spawn_log WHERE activity_definition_id = ANY($1::uuid[]) AND evaluation->>'event_id' = $2
       ORDER BY created_at DESC, id DESC`,
      [definitionIds, eventId],
    );
  }

  /**
   * Marks a decision emitted; a row already emitted keeps its first reference. Only in the mode it
   * was recorded in (sink_type is never rewritten): a reference of the other mode is refused.
   */
  async markEmitted(id: string, ref: TaskReference, sinkType: TaskSpawnLog['sink_type'], attempts: number) {
    return this.updateOne(
      `UPDATE task_spawn_log SET status = 'emitted', task_ref = $2, task_url = $3, backend = $4,
         attempts = $6, error = NULL, emitted_at = now()
       WHERE id = $1 AND status IN ('pending', 'failed') AND sink_type = $5 RETURNING *`,
      [id, ref.taskRef, ref.taskUrl, ref.backend, sinkType, attempts],
    );
  }

  /** Records a failed attempt that will be retried: the row stays pending. */
  async recordAttemptFailure(id: string, error: string, attempts: number) {
    return this.updateOne(
      `UPDATE task_spawn_log SET error = $2, attempts = GREATEST(attempts, $3)
       WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, error, attempts],
    );
  }

  /** Retrying has ended (or cannot help): the row is failed with the last error. */
  async markFailed(id: string, error: string, attempts: number) {
    return this.updateOne(
      `UPDATE task_spawn_log SET status = 'failed', error = $2, attempts = GREATEST(attempts, $3)
       WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, error, attempts],
    );
  }

  async markWorkflowsStarted(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE task_spawn_log SET workflow_started_at = now() WHERE id = ANY($1::uuid[]) AND workflow_started_at IS NULL`, [ids]);
  }

  /** Newest first, keyset-paginated on (created_at, id), filtered as asked. */
  async list(query: SpawnLogQuery): Promise<SpawnLogPage> {
    const { sql, params } = pageStatement(query);
    return toPage(await this.dataSource.query(sql, params), query.limit);
  }

  private async updateOne(sql: string, params: unknown[]): Promise<TaskSpawnLog | null> {
    const [rows] = await this.dataSource.query<[TaskSpawnLog[], number]>(sql, params);
    return rows[0] ?? null;
  }
}
