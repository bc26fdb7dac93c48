// Synthetic history for the scale benchmark and the EXPLAIN checks, generated inside Postgres with
// generate_series (nothing crosses the wire): events spread over daily partitions, their keys and
// latest events, and spawn-log rows over 50 rules and every status.
import type { DataSource } from 'typeorm';
import { EventPartitionsRepository, partitionName } from '../events/event-partitions.repository';

const DAY_MS = 86_400_000;

export interface EventHistory {
  events: number;
  subjects: number;
  days: number;
  type: string;
  /** Received on the days before this one; the newest day is the day before. */
  until: Date;
}

/** Loads `events` rows spread evenly over `days` daily partitions, then their keys and latest events. */
export async function loadEventHistory(dataSource: DataSource, history: EventHistory): Promise<void> {
  const first = new Date(history.until.getTime() - history.days * DAY_MS);
  await new EventPartitionsRepository(dataSource).ensureAhead(first, history.days + 1);
  const perDay = Math.ceil(history.events / history.days);
  for (let day = 0; day < history.days; day++) {
    const from = day * perDay;
    const to = Math.min(history.events, from + perDay) - 1;
    const start = new Date(first.getTime() + day * DAY_MS);
    // Straight into the day's partition; each event's time is its arrival minus a minute.
    await dataSource.query(
      `INSERT INTO ${partitionName(start)} (source, id, type, subject, time, envelope, transport, received_at)
       SELECT 'bench://ci', 'e-' || n, $1::text, 'repo-' || (n % $2::int),
              $3::timestamptz + (n - $4) * ($5::float8 / ($6 - $4 + 1)) * interval '1 millisecond' - interval '1 minute',
              jsonb_build_object('specversion', '1.0', 'id', 'e-' || n, 'source', 'bench://ci', 'type', $1,
                'subject', 'repo-' || (n % $2::int), 'data', jsonb_build_object('format', 'cyclonedx', 'components', n % 500)),
              'test', $3::timestamptz + (n - $4) * ($5::float8 / ($6 - $4 + 1)) * interval '1 millisecond'
       FROM generate_series($4::int, $6::int) AS n`,
      [history.type, history.subjects, start, from, DAY_MS, to],
    );
  }
  await dataSource.query(`INSERT INTO event_keys (id, source, received_at) SELECT id, source, received_at FROM events`);
  // One index probe per subject: the latest event of each, as intake would have kept it.
  await dataSource.query(
    `INSERT INTO latest_events (type, subject, source, id, time, envelope, transport, received_at)
     SELECT e.* FROM generate_series(0, $2::int - 1) AS s CROSS JOIN LATERAL (
       SELECT type, subject, source, id, time, envelope, transport, received_at FROM events
       WHERE type = $1 AND subject = 'repo-' || s ORDER BY time DESC, received_at DESC, source DESC, id DESC LIMIT 1
     ) e`,
    [history.type, history.subjects],
  );
  await dataSource.query(`ANALYZE events; ANALYZE event_keys; ANALYZE latest_events`);
}

export const SPAWN_LOG_RULES = 50;

/**
 * Loads `rows` decisions over 50 rules, created one per second up to `until`: 1% failed, 2% pending,
 * 5% suppressed, the rest emitted. Into a scratch table: every index, the primary key's included, is
 * dropped for the load and built again after it (about twice as fast as keeping them up to date row
 * by row; the random uuid keys alone cost a third of the insert), and the rows are generated in two
 * halves at once (generating them is CPU-bound).
 */
export async function loadSpawnLog(dataSource: DataSource, rows: number, until: Date): Promise<void> {
  const indexes: Array<{ name: string; definition: string }> = await dataSource.query(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'task_spawn_log' AND indexname <> 'task_spawn_log_pkey'`,
  );
  await dataSource.query(`ALTER TABLE task_spawn_log DROP CONSTRAINT task_spawn_log_pkey`);
  for (const { name } of indexes) await dataSource.query(`DROP INDEX ${name}`);
  const half = Math.ceil(rows / 2);
  await Promise.all(
    [
      [1, half],
      [half + 1, rows],
    ]
      .filter(([from, to]) => from <= to)
      .map(([from, to]) => insertSpawnLogRows(dataSource, from, to, rows, until)),
  );
  await dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await manager.query(`ALTER TABLE task_spawn_log ADD CONSTRAINT task_spawn_log_pkey PRIMARY KEY (id)`);
    for (const { definition } of indexes) await manager.query(definition);
  });
  await dataSource.query(`ANALYZE task_spawn_log`);
}

/** Rows number `from` to `to` of `rows`. */
function insertSpawnLogRows(dataSource: DataSource, from: number, to: number, rows: number, until: Date): Promise<unknown> {
  return dataSource.query(
    `INSERT INTO task_spawn_log (activity_definition_id, source_id, triggering_event_id, dedupe_key, condition,
       definition_hash, reason, evaluation, task_spec, sink_type, status, task_ref, workflow_id, created_at, emitted_at)
     SELECT md5('rule-' || (n % ${SPAWN_LOG_RULES}))::uuid, 'rule-' || (n % ${SPAWN_LOG_RULES}), 'e-' || n, 'e-' || n || ':repo-' || (n % 1000),
       'event.data.severity == "high"', 'sha256:bench', CASE WHEN n % 20 = 3 THEN 'rate_limited' ELSE 'condition_matched' END,
       jsonb_build_object('event_id', 'e-' || n, 'subject', 'repo-' || (n % 1000), 'result', true),
       jsonb_build_object('title', 'Fix repo-' || (n % 1000), 'target_repo', 'repo-' || (n % 1000), 'priority', 'medium'),
       'null', s.status, CASE WHEN s.status = 'emitted' THEN 'null-' || md5('e-' || n) END, 'wf-' || n,
       $2::timestamptz - ($1 - n) * interval '1 second', CASE WHEN s.status = 'emitted' THEN $2::timestamptz - ($1 - n) * interval '1 second' END
     FROM generate_series($3::int, $4::int) AS n
     CROSS JOIN LATERAL (SELECT CASE WHEN n % 100 = 7 THEN 'failed' WHEN n % 50 = 1 THEN 'pending'
                                     WHEN n % 20 = 3 THEN 'suppressed' ELSE 'emitted' END AS status) s`,
    [rows, until, from, to],
  );
}
