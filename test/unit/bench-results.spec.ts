import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceNodeFlags } from '../../src/bench/bench-process';
import { FigureInput, formatRatio, formatTable, judge, Measurement, percentile, perSecond } from '../../src/bench/bench-results';

const measurement = (value: number, extra: Partial<Measurement> = {}): Measurement => ({
  label: 'bare',
  value,
  unit: 'spawns/s',
  n: 1_000,
  ...extra,
});

const figure = (ours: number, baseline: number, goal: FigureInput['goal'], unit = 'spawns/s'): FigureInput => ({
  key: 'k',
  title: 'a figure',
  ours: measurement(ours, { label: 'ours', unit }),
  baseline: measurement(baseline, { unit }),
  goal,
});

describe('bench results: percentiles and rates', () => {
  it.each([
    [[5], 50, 5],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
    [Array.from({ length: 200 }, (_, i) => 200 - i), 99, 198],
  ])('percentile(%j, %d) is %d (nearest rank)', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('percentile of nothing is NaN, not a made-up number', () => {
    expect(percentile([], 99)).toBeNaN();
  });

  it("does not reorder the caller's list", () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([
    [1_000, 2_000, 500],
    [20_000, 2_500, 8_000],
    [5, 0, 0],
  ])('%d items in %d ms is %d per second', (n, ms, expected) => {
    expect(perSecond(n, ms)).toBe(expected);
  });
});

describe('bench results: ratios against the baseline and goals', () => {
  it.each([
    // throughput: ours / baseline at least the goal
    [27.1, 30.6, { kind: 'ratio-at-least', value: 0.9 }, 27.1 / 30.6, false],
    [28, 30, { kind: 'ratio-at-least', value: 0.9 }, 28 / 30, true],
    [27, 30, { kind: 'ratio-at-least', value: 0.9 }, 0.9, true],
    [444_000, 2_690_000, { kind: 'ratio-at-least', value: 0.25 }, 444_000 / 2_690_000, false],
    // latency: ours / baseline at most the goal
    [150, 100, { kind: 'ratio-at-most', value: 1.5 }, 1.5, true],
    [151, 100, { kind: 'ratio-at-most', value: 1.5 }, 1.51, false],
  ] as const)('%d against %d with %j: ratio %d, met %s', (ours, baseline, goal, ratio, met) => {
    const judged = judge(figure(ours, baseline, goal));
    expect(judged.ratio).toBeCloseTo(ratio, 10);
    expect(judged.met).toBe(met);
    expect(judged.difference).toBeCloseTo(ours - baseline, 10);
  });

  it.each([
    [210, 120, true, '+90 MB'],
    [220, 120, true, '+100 MB'],
    [220.5, 120, false, '+101 MB'],
    [100, 120, true, '-20 MB'],
  ])('memory %d MB against a bare %d MB, goal bare + 100 MB: met %s, shown %s', (ours, baseline, met, shown) => {
    const judged = judge(figure(ours, baseline, { kind: 'difference-at-most', value: 100 }, 'MB'));
    expect(judged.met).toBe(met);
    expect(formatRatio(judged)).toBe(shown);
  });

  it('a zero baseline gives no ratio and never meets a ratio goal', () => {
    const judged = judge(figure(10, 0, { kind: 'ratio-at-least', value: 0.9 }));
    expect(judged.ratio).toBeNull();
    expect(judged.met).toBe(false);
    expect(formatRatio(judged)).toBe('n/a');
  });

  it('formats throughput ratios as percentages and latency ratios as multiples', () => {
    expect(formatRatio(judge(figure(27.1, 30.6, { kind: 'ratio-at-least', value: 0.9 })))).toBe('88.6%');
    expect(formatRatio(judge(figure(180, 120, { kind: 'ratio-at-most', value: 1.5 })))).toBe('1.50x');
  });
});

describe('bench results: the table', () => {
  it('has one row per figure with both sides, N, latencies, the ratio, the goal and the verdict', () => {
    const spawn = judge({
      key: 'spawn',
      title: 'dry-run spawns',
      ours: measurement(27.1, { label: 'dry-run spawns', p50Ms: 41.25, p99Ms: 130 }),
      baseline: measurement(30.6, { label: 'one-no-op-activity workflow', p50Ms: 30, p99Ms: 95.5 }),
      goal: { kind: 'ratio-at-least', value: 0.9 },
    });
    const memory = judge(figure(180, 120, { kind: 'difference-at-most', value: 100 }, 'MB'));
    const lines = formatTable([spawn, memory]).split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| figure +\| this project +\| bare baseline, same run +\| ratio +\| goal +\| +\|$/);
    expect(lines[1]).toMatch(/^\|[-| ]+\|$/);
    expect(lines[2]).toContain('27.1 spawns/s (p50 41.3 ms, p99 130 ms), N=1000');
    expect(lines[2]).toContain('one-no-op-activity workflow: 30.6 spawns/s (p50 30 ms, p99 95.5 ms), N=1000');
    expect(lines[2]).toMatch(/\| 88\.6% +\| >= 90% +\| SHORT \|$/);
    expect(lines[3]).toMatch(/\| \+60 MB +\| <= \+100 MB +\| met +\|$/);
    // Columns line up: every row is as wide as the header.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});

describe('the Node flags the service runs with', () => {
  it('are package.json config.node_flags, which start:prod passes to node', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      config: { node_flags: string };
      scripts: Record<string, string>;
    };
    expect(serviceNodeFlags()).toEqual(manifest.config.node_flags.split(' '));
    expect(serviceNodeFlags()).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
    expect(manifest.scripts['start:prod']).toBe('node $npm_package_config_node_flags dist/main.js');
  });

  it('are flags this Node accepts (an unknown one would stop the service from starting)', () => {
    const run = spawnSync(process.execPath, [...serviceNodeFlags(), '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: 'ok', stderr: '' });
    const unknown = spawnSync(process.execPath, ['--heap-growing-percentage=50', '-e', '0'], { encoding: 'utf8' });
    expect(unknown.status).not.toBe(0);
  });

  it('reads none from a package.json without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ac-flags-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    expect(serviceNodeFlags(join(dir, 'package.json'))).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});
