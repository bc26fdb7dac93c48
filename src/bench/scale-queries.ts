// What the scale benchmark times besides the service's own queries: the two ways latest_of was or
// could be answered without `latest_events`, kept here so docs/scaling.md's comparison can be rerun.
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';

/** latest_of before `latest_events`: every event of the type, sorted by subject. */
export const DISTINCT_ON_SCAN = `
  SELECT DISTINCT ON (subject) * FROM events
  WHERE type = $1 AND time <= $2 AND subject IS NOT NULL
  ORDER BY subject, time DESC, received_at DESC`;

/** A skip scan: walk the distinct subjects through (type, subject, time DESC), then the latest of each. */
export const SKIP_SCAN = `
  WITH RECURSIVE subjects AS (
    (SELECT subject FROM events WHERE type = $1 AND subject IS NOT NULL ORDER BY subject LIMIT 1)
    UNION ALL
    SELECT (SELECT e.subject FROM events e WHERE e.type = $1 AND e.subject > s.subject ORDER BY e.subject LIMIT 1)
    FROM subjects s WHERE s.subject IS NOT NULL
  )
  SELECT l.* FROM subjects s CROSS JOIN LATERAL (
    SELECT * FROM events WHERE type = $1 AND subject = s.subject AND time <= $2
    ORDER BY time DESC, received_at DESC LIMIT 1
  ) l`;

export interface Timings {
  /** Milliseconds, in the order measured. */
  samples: number[];
  median: number;
  p99: number;
}

export function summarise(samples: number[]): Timings {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { samples, median: at(0.5), p99: at(0.99) };
}

/** Runs `work` `times` times after one warm-up run; the milliseconds of each. */
export async function timeRuns(times: number, work: () => Promise<unknown>): Promise<Timings> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return summarise(samples);
}

/** One run of `sql` under a statement timeout; null when it ran out of time. */
export async function timeOnce(dataSource: DataSource, sql: string, params: unknown[], timeoutMs: number): Promise<number | null> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
    const start = performance.now();
    try {
      await manager.query(sql, params);
      return performance.now() - start;
    } catch (error) {
      if ((error as { code?: string }).code === '57014') return null;
      throw error;
    }
  });
}
