// `npm run bench`: speed as ratios against bare baselines measured in the same run, on this
// machine. Prints a table and writes bench/results.json. `--quick` is a small-N smoke run
// (it checks that the bench works, not the figures).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchResults, FigureInput, formatTable, judge, Machine } from './bench-results';
import { inheritedEnvironment } from '../config/inherited-environment';
import { BenchEnvironment } from './bench-environment';
import { DEFINITIONS } from './bench-fixtures';
import { endToEndFigures, EndToEndSizes, runEndToEnd } from './end-to-end.bench';
import { measureRuleStage } from './rules.bench';
import { benchSpawnKeys } from './spawn-keys.bench';

const RESULTS_FILE = join(__dirname, '..', '..', 'bench', 'results.json');

const FULL: EndToEndSizes & { ruleRoundMs: number } = {
  spawn: { n: 600, latencyN: 100, rounds: 6 },
  intakeN: 60_000,
  intakeRounds: 8,
  ruleRoundMs: 300,
};
const QUICK: typeof FULL = { spawn: { n: 20, latencyN: 10, rounds: 2 }, intakeN: 500, intakeRounds: 2, ruleRoundMs: 30 };

function rulesFigure(roundMs: number): FigureInput {
  const { ceiling, ours, linear } = measureRuleStage(roundMs);
  process.stdout.write(
    `  without the index (every rule evaluated): ${Math.round(linear).toLocaleString('en-US')} events/s; the index is ${(ours / linear).toFixed(0)}x faster\n`,
  );
  return {
    key: 'rules',
    title: `rule stage, one event against ${DEFINITIONS} definitions`,
    ours: { label: 'index + evaluate + task spec', value: ours, unit: 'events/s', n: 5 },
    baseline: { label: 'type lookup + bare CEL of a match', value: ceiling, unit: 'events/s', n: 5 },
    goal: { kind: 'ratio-at-least', value: 0.25 },
  };
}

function machine(loadAtStart: number): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
  };
}

async function main(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const sizes = quick ? QUICK : FULL;
  const started = new Date();
  const loadAtStart = loadavg()[0];
  process.stdout.write(`activity-core bench${quick ? ' (--quick: a smoke run, not figures)' : ''}\n`);

  process.stdout.write('rule stage\n');
  const figures: FigureInput[] = [rulesFigure(sizes.ruleRoundMs)];
  const inherited = inheritedEnvironment();
  const env = new BenchEnvironment(inherited);
  // Ctrl-C still removes the dev server, the children, the databases and the streams.
  process.once('SIGINT', () => void env.tearDown().finally(() => process.exit(130)));
  try {
    process.stdout.write('whole path\n');
    // The service runs with start:prod's Node flags; the bare worker with the SDK's defaults, or
    // with the same flags under --bare-node-flags (the service's own overhead at equal settings).
    const bareWithServiceFlags = args.includes('--bare-node-flags');
    figures.push(...endToEndFigures(await runEndToEnd(env, sizes, inherited, { bareWithServiceFlags })));
  } finally {
    await env.tearDown();
  }

  const results: BenchResults = {
    quick,
    startedAt: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machine(loadAtStart),
    figures: figures.map(judge),
  };
  mkdirSync(join(RESULTS_FILE, '..'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine;
  process.stdout.write(
    `\n${formatTable(results.figures)}\n\n${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, load average ${m.loadAverage.start.toFixed(1)} -> ${m.loadAverage.end.toFixed(1)}; ` +
      `${results.durationS} s; written to bench/results.json\n`,
  );
  process.stdout.write(benchSpawnKeys());
}

// `--scale`: the history-size benchmark, in its own files.
const run = process.argv.includes('--scale') ? import('./scale.bench').then(({ runScaleBench }) => runScaleBench(process.argv)) : main(process.argv.slice(2));
run.catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
