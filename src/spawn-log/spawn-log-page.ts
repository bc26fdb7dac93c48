// GET /spawn-log's page as one statement: newest first, keyset-paginated on (created_at, id), each
// filter a bound parameter, so every combination reads through an index (a test EXPLAINs them).
// Built here from the query, run by SpawnLogRepository.list.
import { decodeCursor, encodeCursor } from './cursor';
import type { SpawnStatus, TaskSpawnLog } from './task-spawn-log.entity';

export interface SpawnLogQuery {
  source_id?: string;
  triggering_event_id?: string;
  status?: SpawnStatus;
  sink_type?: TaskSpawnLog['sink_type'];
  since?: Date;
  limit: number;
  cursor?: string;
}

export interface SpawnLogPage {
  items: TaskSpawnLog[];
  next_cursor: string | null;
}

/** The statement of one page; it asks for one row more than the limit, to know whether another follows. */
export function pageStatement(query: SpawnLogQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.source_id) where.push(`source_id = ${bind(query.source_id)}`);
  if (query.triggering_event_id) where.push(`triggering_event_id = ${bind(query.triggering_event_id)}`);
  if (query.status) where.push(`status = ${bind(query.status)}`);
  if (query.sink_type) where.push(`sink_type = ${bind(query.sink_type)}`);
  if (query.since) where.push(`created_at >= ${bind(query.since)}`);
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    where.push(`(created_at, id) < (${bind(after.createdAt)}, ${bind(after.id)})`);
  }
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT * FROM task_spawn_log${filter} ORDER BY created_at DESC, id DESC LIMIT ${bind(query.limit + 1)}`, params };
}

/** The page of the rows `pageStatement` returned: at most `limit` of them, and the cursor to the next. */
export function toPage(rows: TaskSpawnLog[], limit: number): SpawnLogPage {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null };
}
