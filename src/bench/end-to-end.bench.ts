// The whole path, each side in its own child process on the one dev server, Postgres and NATS:
// bare spawns, then the dry-run service (spawns, memory, intake), the bare intake, then the live
// service against a loopback issue-core. Event ids differ per phase, so workflow ids never collide.
import type { FigureInput, Measurement } from './bench-results';
import { BenchEnvironment } from './bench-environment';
import { DEFINITIONS, writeDefinitions } from './bench-fixtures';
import { IntakeRun, measureBareIntake, measureIntake } from './intake.bench';
import { LoopbackIssueCore } from './loopback-issue-core';
import { ServiceUnderBench } from './service-under-bench';
import { bundleBareWorkflow, measureBareSpawns, measureServiceSpawns, SpawnRun, SpawnSizes } from './spawn.bench';

export interface EndToEndSizes {
  spawn: SpawnSizes;
  intakeN: number;
}

export interface EndToEndRuns {
  bare: SpawnRun;
  dryRun: SpawnRun;
  live: SpawnRun;
  intake: IntakeRun;
  bareIntake: IntakeRun;
}

export async function runEndToEnd(env: BenchEnvironment, sizes: EndToEndSizes, inherited: NodeJS.ProcessEnv): Promise<EndToEndRuns> {
  const began = Date.now();
  const log = (line: string) => process.stdout.write(`  [${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
  log('starting a Temporal dev server; bundling the bare workflow');
  const [bundlePath] = await Promise.all([bundleBareWorkflow(env), env.startTemporal()]);
  const definitionsDir = writeDefinitions(env.tempDir('definitions'));
  const databaseUrl = await env.createDatabase('service');

  log(`bare spawns: ${sizes.spawn.n} workflows with one no-op activity, then ${sizes.spawn.latencyN} paced`);
  const bare = await measureBareSpawns(env, bundlePath, sizes.spawn);

  const dryNats = env.stream('dry');
  log(`dry-run service with ${DEFINITIONS} definitions: ${sizes.spawn.n} matching events, then ${sizes.spawn.latencyN} paced, then ${sizes.intakeN} non-matching`);
  const dryService = await ServiceUnderBench.start(
    env,
    { role: 'dry-run', databaseUrl, definitionsDir, taskQueue: `bench-dry-${env.runId}`, nats: dryNats },
    inherited,
  );
  let dryRun: SpawnRun;
  let intake: IntakeRun;
  try {
    dryRun = await measureServiceSpawns(env, dryService, `${dryNats.prefix}.spawn`, `dry-${env.runId}`, sizes.spawn, bare.latency.ratePerSecond);
    intake = await measureIntake(dryService.child, databaseUrl, `${dryNats.prefix}.intake`, `bench-intake-${env.runId}`, sizes.intakeN);
  } finally {
    await dryService.stop();
  }

  log(`bare intake: ${sizes.intakeN} events`);
  const bareIntake = await measureBareIntake(env, sizes.intakeN);

  log(`live service against a loopback issue-core: ${sizes.spawn.n} matching events, then ${sizes.spawn.latencyN} paced`);
  const issueCore = await LoopbackIssueCore.start();
  const liveNats = env.stream('live');
  let live: SpawnRun;
  try {
    const liveService = await ServiceUnderBench.start(
      env,
      { role: 'live', databaseUrl, definitionsDir, taskQueue: `bench-live-${env.runId}`, nats: liveNats, issueCoreUrl: issueCore.url },
      inherited,
    );
    try {
      live = await measureServiceSpawns(env, liveService, `${liveNats.prefix}.spawn`, `live-${env.runId}`, sizes.spawn, bare.latency.ratePerSecond);
    } finally {
      await liveService.stop();
    }
    if (issueCore.issues.size !== sizes.spawn.n + sizes.spawn.latencyN) {
      throw new Error(`the loopback issue-core holds ${issueCore.issues.size} issues, expected ${sizes.spawn.n + sizes.spawn.latencyN}`);
    }
  } finally {
    await issueCore.stop();
  }
  log('done');
  return { bare, dryRun, live, intake, bareIntake };
}

function spawnMeasurement(label: string, run: SpawnRun): Measurement {
  return { label, value: run.perSecond, unit: 'spawns/s', n: run.n, p50Ms: run.latency.p50Ms, p99Ms: run.latency.p99Ms, cpuMsPerItem: run.cpuMsPerSpawn };
}

function p99Measurement(label: string, run: SpawnRun): Measurement {
  return { label, value: run.latency.p99Ms, unit: 'ms p99', n: run.latency.n, p50Ms: run.latency.p50Ms, p99Ms: run.latency.p99Ms };
}

export function endToEndFigures(runs: EndToEndRuns): FigureInput[] {
  const { bare, dryRun, live, intake, bareIntake } = runs;
  const bareLabel = 'one-no-op-activity workflow';
  return [
    {
      key: 'spawn',
      title: 'dry-run spawns, events over NATS -> emitted rows',
      ours: spawnMeasurement('dry-run spawns', dryRun),
      baseline: spawnMeasurement(bareLabel, bare),
      goal: { kind: 'ratio-at-least', value: 0.9 },
    },
    {
      key: 'spawn_p99',
      title: `spawn latency at ${Math.round(bare.latency.ratePerSecond)}/s, published -> emitted`,
      ours: p99Measurement('dry-run spawns', dryRun),
      baseline: p99Measurement(bareLabel, bare),
      goal: { kind: 'ratio-at-most', value: 1.5 },
    },
    {
      key: 'intake',
      title: 'no-match intake, events over NATS -> stored rows',
      ours: { label: 'service intake', value: intake.perSecond, unit: 'events/s', n: intake.n },
      baseline: { label: 'JetStream batch pull + one multi-row insert + ack', value: bareIntake.perSecond, unit: 'events/s', n: bareIntake.n },
      goal: { kind: 'ratio-at-least', value: 0.8 },
    },
    {
      key: 'live',
      title: 'live spawns against a loopback issue-core',
      ours: spawnMeasurement('live spawns', live),
      baseline: spawnMeasurement('dry-run spawns', dryRun),
      goal: { kind: 'ratio-at-least', value: 0.9 },
    },
    {
      key: 'memory',
      title: `service RSS at steady load, ${DEFINITIONS} definitions`,
      ours: { label: 'service', value: dryRun.peakRssMb, unit: 'MB', n: dryRun.n + dryRun.latency.n },
      baseline: { label: 'bare worker', value: bare.peakRssMb, unit: 'MB', n: bare.n + bare.latency.n },
      goal: { kind: 'difference-at-most', value: 100 },
    },
  ];
}
