// Read-only aggregates over task_spawn_log for the console and the backlog gauges. Every query
// here is served by an index (see the console-indexes migration); a test checks with EXPLAIN.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TaskSpawnLog } from './task-spawn-log.entity';

export interface Backlog {
  pending: number;
  oldestPendingAt: Date | null;
  heldLive: number;
  failed: number;
}

export interface StatusCount {
  source_id: string;
  status: string;
  last_24h: number;
  last_7d: number;
}

export interface Bucket {
  bucket: Date;
  sink_type: string;
  status: string;
  count: number;
}

export type ChartRange = '24h' | '7d';

/** The SQL of each console query, by name: the EXPLAIN test runs these very statements. */
export const STATS_SQL = {
  backlog: `SELECT
      (SELECT count(*)::int FROM task_spawn_log WHERE status = 'pending') AS pending,
      (SELECT min(created_at) FROM task_spawn_log WHERE status = 'pending') AS oldest,
      (SELECT count(*)::int FROM task_spawn_log WHERE status = 'pending' AND sink_type = 'rest' AND error IS NOT NULL) AS held_live,
      (SELECT count(*)::int FROM task_spawn_log WHERE status = 'failed') AS failed`,
  countsByRule: `SELECT source_id, status,
      count(*) FILTER (WHERE created_at >= $2)::int AS last_24h, count(*)::int AS last_7d
    FROM task_spawn_log WHERE source_id = ANY($1::text[]) AND created_at >= $3
    GROUP BY source_id, status`,
  chart: `SELECT date_trunc($2, created_at, 'UTC') AS bucket, sink_type, status, count(*)::int AS count
    FROM task_spawn_log WHERE source_id = $1 AND created_at >= $3
    GROUP BY 1, 2, 3`,
  oldestPending: `SELECT * FROM task_spawn_log WHERE status = 'pending' ORDER BY created_at, id LIMIT $1`,
  oldestFailed: `SELECT * FROM task_spawn_log WHERE status = 'failed' ORDER BY created_at, id LIMIT $1`,
} as const;

const HOUR_MS = 3_600_000;

/** The start of the chart's window: the first of 24 whole hours, or of 7 whole UTC days. */
export function chartStart(range: ChartRange, now: Date): Date {
  const unit = range === '24h' ? HOUR_MS : 24 * HOUR_MS;
  const buckets = range === '24h' ? 24 : 7;
  return new Date(Math.floor(now.getTime() / unit) * unit - (buckets - 1) * unit);
}

@Injectable()
export class SpawnLogStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async backlog(): Promise<Backlog> {
    const [row] = await this.dataSource.query<Array<{ pending: number; oldest: Date | null; held_live: number; failed: number }>>(STATS_SQL.backlog);
    return { pending: row.pending, oldestPendingAt: row.oldest ? new Date(row.oldest) : null, heldLive: row.held_live, failed: row.failed };
  }

  /** Per rule and status: decisions in the last 24 hours and 7 days. */
  countsByRule(keys: string[], now: Date): Promise<StatusCount[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.dataSource.query(STATS_SQL.countsByRule, [keys, new Date(now.getTime() - 24 * HOUR_MS), new Date(now.getTime() - 7 * 24 * HOUR_MS)]);
  }

  /** One rule's decisions per hour (24h) or per UTC day (7d), by mode and status. */
  async chart(key: string, range: ChartRange, now: Date): Promise<Bucket[]> {
    const rows = await this.dataSource.query<Bucket[]>(STATS_SQL.chart, [key, range === '24h' ? 'hour' : 'day', chartStart(range, now)]);
    return rows.map((row) => ({ ...row, bucket: new Date(row.bucket) }));
  }

  /** What is waiting (pending, held ones with their reason) and what failed, each oldest first. */
  async heldAndFailed(limit: number): Promise<{ pending: TaskSpawnLog[]; failed: TaskSpawnLog[] }> {
    const [pending, failed] = await Promise.all([
      this.dataSource.query<TaskSpawnLog[]>(STATS_SQL.oldestPending, [limit]),
      this.dataSource.query<TaskSpawnLog[]>(STATS_SQL.oldestFailed, [limit]),
    ]);
    return { pending, failed };
  }
}
