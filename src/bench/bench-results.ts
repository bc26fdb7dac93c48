// The results of `npm run bench`: each figure next to its baseline from the same run, the ratio
// and whether it meets its goal; the table printed and the JSON written. Pure: no I/O, no clock.

/** One side of a comparison: what was measured, how many, and its latencies where there are any. */
export interface Measurement {
  label: string;
  value: number;
  unit: string;
  n: number;
  p50Ms?: number;
  p99Ms?: number;
  /** The figure of each round, when the sides took turns: how much the shared machine moved. */
  rounds?: number[];
  /** What one item cost, where it was measured: CPU ms by process, the dev server's persistence requests. */
  costPerItem?: Record<string, number>;
}

/**
 * How a figure is judged: `ratio-at-least` (ours / baseline >= goal, for throughput),
 * `ratio-at-most` (ours / baseline <= goal, for latency), `difference-at-most`
 * (ours - baseline <= goal, in the unit of the figure, for memory).
 */
export type Goal = { kind: 'ratio-at-least'; value: number } | { kind: 'ratio-at-most'; value: number } | { kind: 'difference-at-most'; value: number };

export interface FigureInput {
  key: string;
  title: string;
  ours: Measurement;
  baseline: Measurement;
  goal: Goal;
}

export interface Figure extends FigureInput {
  /** ours / baseline (null when the baseline is zero: nothing to compare with). */
  ratio: number | null;
  /** ours - baseline, in the unit of the figure. */
  difference: number;
  met: boolean;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  node: string;
  /** 1-minute load average at the start and the end of the run: how shared the machine was. */
  loadAverage: { start: number; end: number };
}

export interface BenchResults {
  quick: boolean;
  startedAt: string;
  durationS: number;
  machine: Machine;
  figures: Figure[];
}

/** Nearest-rank percentile (p in 0..100) of a list of values; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Throughput of `n` items done in `elapsedMs`, per second. */
export function perSecond(n: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (n * 1000) / elapsedMs : 0;
}

export function judge(input: FigureInput): Figure {
  const ratio = input.baseline.value === 0 ? null : input.ours.value / input.baseline.value;
  const difference = input.ours.value - input.baseline.value;
  const { goal } = input;
  const met =
    goal.kind === 'difference-at-most'
      ? difference <= goal.value
      : ratio !== null && (goal.kind === 'ratio-at-least' ? ratio >= goal.value : ratio <= goal.value);
  return { ...input, ratio, difference, met };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatMeasurement(m: Measurement): string {
  const latency = m.p50Ms !== undefined && m.p99Ms !== undefined ? ` (p50 ${formatNumber(m.p50Ms)} ms, p99 ${formatNumber(m.p99Ms)} ms)` : '';
  return `${formatNumber(m.value)} ${m.unit}${latency}`;
}

export function formatRatio(figure: Figure): string {
  if (figure.goal.kind === 'difference-at-most') {
    return `${figure.difference >= 0 ? '+' : ''}${formatNumber(figure.difference)} ${figure.ours.unit}`;
  }
  if (figure.ratio === null) return 'n/a';
  return figure.goal.kind === 'ratio-at-most' ? `${figure.ratio.toFixed(2)}x` : `${(figure.ratio * 100).toFixed(1)}%`;
}

export function formatGoal(figure: Figure): string {
  const { goal } = figure;
  if (goal.kind === 'difference-at-most') return `<= +${formatNumber(goal.value)} ${figure.ours.unit}`;
  if (goal.kind === 'ratio-at-most') return `<= ${goal.value}x`;
  return `>= ${Math.round(goal.value * 100)}%`;
}

/** The table printed at the end of a run: one row per figure. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'this project', 'bare baseline, same run', 'ratio', 'goal', ''];
  const rows = figures.map((f) => [
    f.title,
    `${formatMeasurement(f.ours)}, N=${f.ours.n}`,
    `${f.baseline.label}: ${formatMeasurement(f.baseline)}, N=${f.baseline.n}`,
    formatRatio(f),
    formatGoal(f),
    f.met ? 'met' : 'SHORT',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
