// The whole path, each side in its own child process on the one dev server, Postgres and NATS:
// the bare worker, the dry-run service and the live service (against a loopback issue-core) are
// all up, and take their spawn bursts in turns; then the service's intake and the bare intake take
// theirs in turns. Event ids differ per phase, so workflow ids never collide.
import type { FigureInput, Measurement } from './bench-results';
import { BenchEnvironment } from './bench-environment';
import { DEFINITIONS, writeDefinitions } from './bench-fixtures';
import { BareIntake, IntakeRun, measureIntake } from './intake.bench';
import { LoopbackIssueCore } from './loopback-issue-core';
import { serviceNodeFlags } from './bench-process';
import { ServiceUnderBench } from './service-under-bench';
import { BareSpawns, bundleBareWorkflow, measureSpawnsInTurns, ServiceSpawns, SpawnRun } from './spawn.bench';

export interface EndToEndSizes {
  spawn: { n: number; latencyN: number; rounds: number };
  intakeN: number;
  intakeRounds: number;
}

export interface EndToEndRuns {
  bare: SpawnRun;
  dryRun: SpawnRun;
  live: SpawnRun;
  intake: IntakeRun;
  bareIntake: IntakeRun;
  /** The Node flags each side ran with: start:prod's for the services; none for the bare worker (the SDK's defaults) unless `--bare-node-flags`. */
  nodeFlags: { service: string[]; bare: string[] };
}

export async function runEndToEnd(
  env: BenchEnvironment,
  sizes: EndToEndSizes,
  inherited: NodeJS.ProcessEnv,
  options: { bareWithServiceFlags?: boolean } = {},
): Promise<EndToEndRuns> {
  const began = Date.now();
  const serviceFlags = serviceNodeFlags();
  const nodeFlags = { service: serviceFlags, bare: options.bareWithServiceFlags ? serviceFlags : [] };
  const log = (line: string) => process.stdout.write(`  [${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
  log('starting a Temporal dev server; bundling the bare workflow');
  const [bundlePath] = await Promise.all([bundleBareWorkflow(env), env.startTemporal()]);
  const definitionsDir = writeDefinitions(env.tempDir('definitions'));
  const databaseUrl = await env.createDatabase('service');
  const issueCore = await LoopbackIssueCore.start();
  const [dryNats, liveNats] = [env.stream('dry'), env.stream('live')];

  log(`starting the bare worker, the dry-run service and the live service (${DEFINITIONS} definitions each)`);
  const [bareSide, dryService, liveService] = await Promise.all([
    BareSpawns.start(env, bundlePath, nodeFlags.bare),
    ServiceUnderBench.start(
      env,
      { role: 'dry-run', databaseUrl, definitionsDir, taskQueue: `bench-dry-${env.runId}`, nats: dryNats, nodeFlags: serviceFlags },
      inherited,
    ),
    ServiceUnderBench.start(
      env,
      { role: 'live', databaseUrl, definitionsDir, taskQueue: `bench-live-${env.runId}`, nats: liveNats, issueCoreUrl: issueCore.url, nodeFlags: serviceFlags },
      inherited,
    ),
  ]);
  const drySide = await ServiceSpawns.start(dryService, `${dryNats.prefix}.spawn`, `dry-${env.runId}`);
  const liveSide = await ServiceSpawns.start(liveService, `${liveNats.prefix}.spawn`, `live-${env.runId}`);
  try {
    const { n, latencyN, rounds } = sizes.spawn;
    log(`spawns: ${n} each in ${rounds} bursts taken in turns (bare, dry-run, live), then ${latencyN} each paced`);
    const [bare, dryRun, live] = await measureSpawnsInTurns(env, [bareSide, drySide, liveSide], sizes.spawn);
    if (issueCore.issues.size !== live.n + latencyN) {
      throw new Error(`the loopback issue-core holds ${issueCore.issues.size} issues, expected ${live.n + latencyN}`);
    }
    await Promise.all([bareSide.stop(), liveService.stop()]);

    log(`no-match intake: ${sizes.intakeN} events each in ${sizes.intakeRounds} rounds taken in turns (bare, service)`);
    const bareIntake = await BareIntake.start(env);
    const perRound = Math.ceil(sizes.intakeN / sizes.intakeRounds);
    const bareRuns: IntakeRun[] = [];
    const ourRuns: IntakeRun[] = [];
    const bareRound = (round: number) =>
      measureIntake(bareIntake.child, bareIntake.databaseUrl, bareIntake.subject, `bench-intake-bare-${env.runId}-${round}`, perRound);
    const ourRound = (round: number) =>
      measureIntake(dryService.child, databaseUrl, `${dryNats.prefix}.intake`, `bench-intake-${env.runId}-${round}`, perRound);
    for (let round = 0; round < sizes.intakeRounds; round++) {
      // Bare first, then service first: neither always runs after the other's writes.
      if (round % 2 === 0) {
        bareRuns.push(await bareRound(round));
        ourRuns.push(await ourRound(round));
      } else {
        ourRuns.push(await ourRound(round));
        bareRuns.push(await bareRound(round));
      }
    }
    await bareIntake.stop();
    log('done');
    return { bare, dryRun, live, intake: combineIntake(ourRuns), bareIntake: combineIntake(bareRuns), nodeFlags };
  } finally {
    // Some are stopped already; stopping again is harmless, and one failure must not keep the others.
    const quietly = (stop: Promise<void>) => stop.catch(() => undefined);
    await Promise.all([drySide, liveSide, dryService, liveService, bareSide, issueCore].map((part) => quietly(part.stop())));
  }
}

/** Rounds of one side as one run: all the items over all the time. */
function combineIntake(runs: IntakeRun[]): IntakeRun {
  const n = runs.reduce((sum, run) => sum + run.n, 0);
  const seconds = runs.reduce((sum, run) => sum + run.n / run.perSecond, 0);
  const publishSeconds = runs.reduce((sum, run) => sum + run.n / run.publishedPerSecond, 0);
  return { n, perSecond: n / seconds, publishedPerSecond: n / publishSeconds };
}

function spawnMeasurement(label: string, run: SpawnRun): Measurement {
  return {
    label,
    value: run.perSecond,
    unit: 'spawns/s',
    n: run.n,
    p50Ms: run.latency.p50Ms,
    p99Ms: run.latency.p99Ms,
    rounds: run.roundsPerSecond,
    costPerItem: run.costPerSpawn,
  };
}

function p99Measurement(label: string, run: SpawnRun): Measurement {
  return { label, value: run.latency.p99Ms, unit: 'ms p99', n: run.latency.n, p50Ms: run.latency.p50Ms, p99Ms: run.latency.p99Ms };
}

export function endToEndFigures(runs: EndToEndRuns): FigureInput[] {
  const { bare, dryRun, live, intake, bareIntake, nodeFlags } = runs;
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
      ours: { label: `service (node ${nodeFlags.service.join(' ')})`, value: dryRun.peakRssMb, unit: 'MB', n: dryRun.n + dryRun.latency.n },
      baseline: {
        label: nodeFlags.bare.length > 0 ? `bare worker (node ${nodeFlags.bare.join(' ')})` : 'bare worker',
        value: bare.peakRssMb,
        unit: 'MB',
        n: bare.n + bare.latency.n,
      },
      goal: { kind: 'difference-at-most', value: 100 },
    },
  ];
}
