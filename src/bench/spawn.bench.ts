// Spawns, end to end. Two phases on each side: a burst of N at once (throughput: N over the time
// from the first request to the last completion) and a paced run (latency: each item from the
// moment it was sent to the moment it was done, at half the bare throughput so nothing queues).
//   ours = CloudEvents published to JetStream until their rows are `emitted` (dry-run or live);
//   bare = a workflow with one no-op activity per item, started with the service's concurrency.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { mapBounded, START_CONCURRENCY } from '../spawn/spawn.service';
import { percentile, perSecond } from './bench-results';
import { BenchEnvironment, waitFor } from './bench-environment';
import { benchEvent } from './bench-fixtures';
import { CpuMeter, Publisher, RssSampler, sendPaced } from './bench-load';
import { ServiceUnderBench } from './service-under-bench';

export interface SpawnSizes {
  n: number;
  latencyN: number;
}

export interface SpawnRun {
  n: number;
  perSecond: number;
  latency: { n: number; ratePerSecond: number; p50Ms: number; p99Ms: number };
  peakRssMb: number;
  /** CPU per spawn of the burst, by process: the dev server, and the worker or service measured. */
  cpuMsPerSpawn: Record<string, number>;
}

function latencies(sentAt: number[], doneAt: (i: number) => number): { p50Ms: number; p99Ms: number } {
  const values = sentAt.map((sent, i) => doneAt(i) - sent);
  return { p50Ms: percentile(values, 50), p99Ms: percentile(values, 99) };
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

export async function measureBareSpawns(env: BenchEnvironment, bundlePath: string, sizes: SpawnSizes): Promise<SpawnRun> {
  const taskQueue = `bench-bare-${env.runId}`;
  const worker = env.spawnChild('bare worker', process.execPath, [join(__dirname, 'bare-worker.js'), env.temporalAddress, taskQueue, bundlePath], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const doneAt = new Map<number, number>();
  let ready = false;
  worker.process.on('message', (message: { ready?: boolean; done?: number; at?: number }) => {
    if (message.ready) ready = true;
    if (message.done !== undefined) doneAt.set(message.done, message.at as number);
  });
  await waitFor('the bare worker to poll', async () => (worker.assertAlive(), ready), 120_000);
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection });
  const start = (i: number) =>
    client.workflow.start('bareWorkflow', { taskQueue, workflowId: `bare-${env.runId}-${i}`, args: [i] });
  const waitDone = (from: number, count: number) =>
    waitFor(`${count} bare workflows`, async () => {
      worker.assertAlive();
      for (let i = from; i < from + count; i++) if (!doneAt.has(i)) return false;
      return true;
    }, 600_000, 20);
  const sampler = new RssSampler(worker.pid);
  try {
    const cpu = new CpuMeter({ temporal: env.temporalPid, worker: worker.pid });
    const begin = Date.now();
    const indexes = Array.from({ length: sizes.n }, (_, i) => i);
    assertAllFulfilled(await mapBounded(indexes, START_CONCURRENCY, start), 'starting bare workflows');
    await waitDone(0, sizes.n);
    const throughput = perSecond(sizes.n, Math.max(...indexes.map((i) => doneAt.get(i) as number)) - begin);
    const cpuMsPerSpawn = cpu.perItem(sizes.n);

    const rate = throughput / 2;
    const sentAt = await sendPaced(sizes.latencyN, rate, (i) => start(sizes.n + i));
    await waitDone(sizes.n, sizes.latencyN);
    const latency = latencies(sentAt, (i) => doneAt.get(sizes.n + i) as number);
    return { n: sizes.n, perSecond: throughput, latency: { n: sizes.latencyN, ratePerSecond: rate, ...latency }, peakRssMb: sampler.stop(), cpuMsPerSpawn };
  } finally {
    sampler.stop();
    await connection.close();
    await worker.stop();
  }
}

/** The service's spawns, from events published to rows emitted; `rate` paces the latency phase. */
export async function measureServiceSpawns(
  env: BenchEnvironment,
  service: ServiceUnderBench,
  subject: string,
  idPrefix: string,
  sizes: SpawnSizes,
  latencyRate: number,
): Promise<SpawnRun> {
  const publisher = await Publisher.open();
  const sampler = new RssSampler(service.child.pid);
  const source = `bench-${idPrefix}`;
  const waitEmitted = (prefix: string, count: number) =>
    waitFor(`${count} decisions ${prefix}* emitted`, async () => (service.child.assertAlive(), (await service.emittedCount(prefix)) >= count), 600_000, 50);
  try {
    const burst = `${idPrefix}-b-`;
    const cpu = new CpuMeter({ temporal: env.temporalPid, service: service.child.pid });
    const begin = Date.now();
    await publisher.publishAll(subject, Array.from({ length: sizes.n }, (_, i) => benchEvent(source, `${burst}${i}`, 'high')));
    await waitEmitted(burst, sizes.n);
    const end = Math.max(...(await service.emittedAt(burst)).values());
    const throughput = perSecond(sizes.n, end - begin);
    const cpuMsPerSpawn = cpu.perItem(sizes.n);

    const paced = `${idPrefix}-l-`;
    const sentAt = await sendPaced(sizes.latencyN, latencyRate, (i) => publisher.publish(subject, benchEvent(source, `${paced}${i}`, 'high')));
    await waitEmitted(paced, sizes.latencyN);
    const emittedAt = await service.emittedAt(paced);
    const latency = latencies(sentAt, (i) => emittedAt.get(`${paced}${i}`) as number);
    return { n: sizes.n, perSecond: throughput, latency: { n: sizes.latencyN, ratePerSecond: latencyRate, ...latency }, peakRssMb: sampler.stop(), cpuMsPerSpawn };
  } finally {
    sampler.stop();
    await publisher.close();
  }
}
