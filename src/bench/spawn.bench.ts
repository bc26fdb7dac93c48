// Spawns, end to end. Each side takes bursts (throughput: items over the time from the first
// request to the last completion) and a paced run (latency: each item from the moment it was
// sent to the moment it was done, at half the bare throughput so that nothing queues).
//   ours = CloudEvents published to JetStream until their rows are `emitted` (dry-run or live);
//   bare = a workflow with one no-op activity per item, started with the service's concurrency.
// The sides take their bursts in turns, so a change of load on a shared machine falls on all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { mapBounded, START_CONCURRENCY } from '../spawn/spawn.service';
import { percentile } from './bench-results';
import { BenchEnvironment } from './bench-environment';
import { BenchChild, waitFor } from './bench-process';
import { benchEvent } from './bench-fixtures';
import { CostMeter, Publisher, RssSampler, sendPaced } from './bench-load';
import { ServiceUnderBench } from './service-under-bench';

/** One side of a spawn comparison: sends items and tells when each was done (epoch ms). */
export interface SpawnSide {
  /** Names its process in the costs: `worker` or `service`. */
  readonly role: string;
  readonly pid: number;
  /** Sends `count` items tagged `tag` at once; resolves when all are done, with when each was. */
  burst(tag: string, count: number): Promise<number[]>;
  /** Sends `count` items tagged `tag` at `rate`; resolves with when each was sent and done. */
  paced(tag: string, count: number, rate: number): Promise<{ sentAt: number[]; doneAt: number[] }>;
  stop(): Promise<void>;
}

export interface SpawnRun {
  n: number;
  perSecond: number;
  latency: { n: number; ratePerSecond: number; p50Ms: number; p99Ms: number };
  peakRssMb: number;
  /** Spawns per second of each burst. */
  roundsPerSecond: number[];
  /** What a spawn of the bursts cost: CPU by process, the dev server's persistence requests. */
  costPerSpawn: Record<string, number>;
}

function assertAllFulfilled(results: PromiseSettledResult<unknown>[], what: string): void {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw new Error(`${what} failed: ${(failed.reason as Error).message}`);
}

/** The bare workflow, bundled once here so that the bare worker loads it as the service loads its own. */
export async function bundleBareWorkflow(env: BenchEnvironment): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./bare.workflow'), logger: new DefaultLogger('WARN') });
  const path = join(env.tempDir('bundle'), 'bare-workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

export class BareSpawns implements SpawnSide {
  readonly role = 'worker';
  private readonly doneAt = new Map<string, number>();

  private constructor(
    private readonly worker: BenchChild,
    private readonly connection: Connection,
    private readonly taskQueue: string,
  ) {
    worker.process.on('message', (message: { done?: string; at?: number }) => {
      if (message.done !== undefined) this.doneAt.set(message.done, message.at as number);
    });
  }

  /** `nodeFlags`: none for the SDK's defaults, or the service's to compare at equal Node settings. */
  static async start(env: BenchEnvironment, bundlePath: string, nodeFlags: string[] = []): Promise<BareSpawns> {
    const taskQueue = `bench-bare-${env.runId}`;
    const worker = env.spawnChild(
      'bare worker',
      process.execPath,
      [...nodeFlags, join(__dirname, 'bare-worker.js'), env.temporalAddress, taskQueue, bundlePath],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    let ready = false;
    worker.process.on('message', (message: { ready?: boolean }) => (ready = ready || Boolean(message.ready)));
    await waitFor('the bare worker to poll', async () => (worker.assertAlive(), ready), 120_000);
    return new BareSpawns(worker, await Connection.connect({ address: env.temporalAddress }), taskQueue);
  }

  get pid(): number {
    return this.worker.pid;
  }

  private start(id: string): Promise<unknown> {
    return new Client({ connection: this.connection }).workflow.start('bareWorkflow', { taskQueue: this.taskQueue, workflowId: id, args: [id] });
  }

  private async waitDone(ids: string[]): Promise<number[]> {
    await waitFor(`${ids.length} bare workflows`, async () => (this.worker.assertAlive(), ids.every((id) => this.doneAt.has(id))), 900_000, 20);
    return ids.map((id) => this.doneAt.get(id) as number);
  }

  async burst(tag: string, count: number): Promise<number[]> {
    const ids = Array.from({ length: count }, (_, i) => `bare-${tag}-${i}`);
    assertAllFulfilled(await mapBounded(ids, START_CONCURRENCY, (id) => this.start(id)), 'starting bare workflows');
    return this.waitDone(ids);
  }

  async paced(tag: string, count: number, rate: number): Promise<{ sentAt: number[]; doneAt: number[] }> {
    const ids = Array.from({ length: count }, (_, i) => `bare-${tag}-${i}`);
    const sentAt = await sendPaced(count, rate, (i) => this.start(ids[i]));
    return { sentAt, doneAt: await this.waitDone(ids) };
  }

  async stop(): Promise<void> {
    await this.connection.close();
    await this.worker.stop();
  }
}

export class ServiceSpawns implements SpawnSide {
  readonly role = 'service';

  private constructor(
    private readonly service: ServiceUnderBench,
    private readonly publisher: Publisher,
    private readonly subject: string,
    private readonly idPrefix: string,
  ) {}

  static async start(service: ServiceUnderBench, subject: string, idPrefix: string): Promise<ServiceSpawns> {
    return new ServiceSpawns(service, await Publisher.open(), subject, idPrefix);
  }

  get pid(): number {
    return this.service.child.pid;
  }

  private event(prefix: string, i: number): Record<string, unknown> {
    return benchEvent(`bench-${this.idPrefix}`, `${prefix}${i}`, 'high');
  }

  private async waitEmitted(prefix: string, count: number): Promise<number[]> {
    await waitFor(
      `${count} decisions ${prefix}* emitted`,
      async () => (this.service.child.assertAlive(), (await this.service.emittedCount(prefix)) >= count),
      900_000,
      50,
    );
    const emittedAt = await this.service.emittedAt(prefix);
    return Array.from({ length: count }, (_, i) => emittedAt.get(`${prefix}${i}`) as number);
  }

  async burst(tag: string, count: number): Promise<number[]> {
    const prefix = `${this.idPrefix}-${tag}-`;
    await this.publisher.publishAll(
      this.subject,
      Array.from({ length: count }, (_, i) => this.event(prefix, i)),
    );
    return this.waitEmitted(prefix, count);
  }

  async paced(tag: string, count: number, rate: number): Promise<{ sentAt: number[]; doneAt: number[] }> {
    const prefix = `${this.idPrefix}-${tag}-`;
    const sentAt = await sendPaced(count, rate, (i) => this.publisher.publish(this.subject, this.event(prefix, i)));
    return { sentAt, doneAt: await this.waitEmitted(prefix, count) };
  }

  async stop(): Promise<void> {
    await this.publisher.close();
  }
}

/** Bursts and paced runs of several sides, taken in turns; one SpawnRun per side. */
export async function measureSpawnsInTurns(
  env: BenchEnvironment,
  sides: SpawnSide[],
  sizes: { n: number; latencyN: number; rounds: number },
): Promise<SpawnRun[]> {
  const samplers = sides.map((side) => new RssSampler(side.pid));
  const tallies = sides.map((): { n: number; elapsedMs: number; rounds: number[]; cost: Record<string, number> } => ({
    n: 0,
    elapsedMs: 0,
    rounds: [],
    cost: {},
  }));
  const perRound = Math.ceil(sizes.n / sizes.rounds);
  try {
    for (let round = 0; round < sizes.rounds; round++) {
      // The order turns round every round (A B C, C B A, ...), so no side always runs after another.
      const order = [...sides.entries()];
      if (round % 2 === 1) order.reverse();
      for (const [s, side] of order) {
        const cost = await CostMeter.start(env, { temporal: env.temporalPid, [side.role]: side.pid });
        const begin = Date.now();
        const doneAt = await side.burst(`b${round}`, perRound);
        const elapsedMs = Math.max(...doneAt) - begin;
        tallies[s].elapsedMs += elapsedMs;
        tallies[s].rounds.push(Math.round(((perRound * 1000) / elapsedMs) * 100) / 100);
        tallies[s].n += perRound;
        for (const [key, value] of Object.entries(await cost.perItem(1))) tallies[s].cost[key] = (tallies[s].cost[key] ?? 0) + value;
      }
    }
    // Paced at half of what the first side (the bare baseline) sustained.
    const rate = (tallies[0].n * 1000) / tallies[0].elapsedMs / 2;
    const runs: SpawnRun[] = [];
    for (const [s, side] of sides.entries()) {
      const { sentAt, doneAt } = await side.paced('l', sizes.latencyN, rate);
      const latencies = sentAt.map((sent, i) => doneAt[i] - sent);
      const { n, elapsedMs, rounds, cost } = tallies[s];
      runs.push({
        n,
        perSecond: (n * 1000) / elapsedMs,
        latency: { n: sizes.latencyN, ratePerSecond: rate, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) },
        peakRssMb: samplers[s].stop(),
        roundsPerSecond: rounds,
        costPerSpawn: Object.fromEntries(Object.entries(cost).map(([key, value]) => [key, Math.round((value / n) * 100) / 100])),
      });
    }
    return runs;
  } finally {
    for (const sampler of samplers) sampler.stop();
  }
}
