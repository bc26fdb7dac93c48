// A rule's decisions over time as a fixed row of buckets (24 hours or 7 UTC days), dry-run and
// live counted apart, failed, held (pending) and suppressed marked. Pure.
import { Bucket, chartStart, ChartRange } from '../spawn-log/spawn-log-stats.repository';

export interface ChartBar {
  start: string;
  dry_run: number;
  live: number;
  /** Counts by status (emitted, pending, failed, suppressed, ...), both modes together. */
  by_status: Record<string, number>;
}

export function chartBars(rows: Bucket[], range: ChartRange, now: Date): ChartBar[] {
  const unit = range === '24h' ? 3_600_000 : 86_400_000;
  const first = chartStart(range, now).getTime();
  const bars: ChartBar[] = Array.from({ length: range === '24h' ? 24 : 7 }, (_, i) => ({
    start: new Date(first + i * unit).toISOString(),
    dry_run: 0,
    live: 0,
    by_status: {},
  }));
  for (const row of rows) {
    const bar = bars[Math.floor((row.bucket.getTime() - first) / unit)];
    if (!bar) continue;
    if (row.sink_type === 'rest') bar.live += row.count;
    else bar.dry_run += row.count;
    bar.by_status[row.status] = (bar.by_status[row.status] ?? 0) + row.count;
  }
  return bars;
}
