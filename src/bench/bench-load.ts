// How the bench applies load and watches it: a JetStream publisher, a paced sender for latency,
// and a sampler of a child's resident memory.
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { mapBounded } from '../spawn/spawn.service';
import { BenchEnvironment, NATS_URL } from './bench-environment';
import { cpuMs, rssMb } from './bench-process';

/** Publishes in flight at once: enough that the publisher is never what is measured. */
const PUBLISH_CONCURRENCY = 256;
const FLUSH_EVERY = 1_000;

export class Publisher {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
  ) {}

  static async open(): Promise<Publisher> {
    const connection = await connect({ servers: NATS_URL });
    return new Publisher(connection, jetstream(connection));
  }

  async publish(subject: string, event: Record<string, unknown>): Promise<void> {
    await this.js.publish(subject, JSON.stringify(event), { msgID: `${String(event.source)}/${String(event.id)}` });
  }

  /** Publishes every event, many in flight; fails if any publish failed. */
  async publishAll(subject: string, events: Array<Record<string, unknown>>): Promise<void> {
    const results = await mapBounded(events, PUBLISH_CONCURRENCY, (event) => this.publish(subject, event));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new Error(`publishing to ${subject} failed: ${(failed.reason as Error).message}`);
  }

  /**
   * Publishes every event as a plain NATS message on the stream's subject (the stream stores it
   * the same way) with a flush every chunk: the fastest way in, so that an intake, and not the
   * publisher's wait for each JetStream ack, is what gets measured.
   */
  async publishFast(subject: string, events: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < events.length; i++) {
      this.connection.publish(subject, JSON.stringify(events[i]));
      if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await this.connection.flush();
    }
    await this.connection.flush();
  }

  async close(): Promise<void> {
    await this.connection.drain();
  }
}

/**
 * Sends `count` items at `ratePerSecond`, each without waiting for the previous one; returns
 * when each was sent (epoch ms), once every send has settled.
 */
export async function sendPaced(count: number, ratePerSecond: number, send: (i: number) => Promise<unknown>): Promise<number[]> {
  const start = Date.now();
  const sentAt: number[] = [];
  const sends: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.push(Date.now());
    sends.push(send(i));
  }
  await Promise.all(sends);
  return sentAt;
}

/** The peak resident memory of a process while the load runs, sampled every 250 ms. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, rssMb(this.pid));
    } catch {
      // the process has gone; the peak so far stands
    }
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/**
 * What each item of a phase cost: CPU time of each named process (ms) and the dev server's
 * persistence requests, between construction and perItem(), divided by the items.
 */
export class CostMeter {
  private constructor(
    private readonly env: BenchEnvironment,
    private readonly pids: Record<string, number>,
    private readonly startCpu: Record<string, number>,
    private readonly startRequests: number,
  ) {}

  static async start(env: BenchEnvironment, pids: Record<string, number>): Promise<CostMeter> {
    const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
    return new CostMeter(env, pids, cpu, await env.temporalPersistenceRequests());
  }

  async perItem(items: number): Promise<Record<string, number>> {
    const round = (value: number) => Math.round((value / items) * 100) / 100;
    const cost: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) cost[`${name} cpu ms`] = round(cpuMs(pid) - this.startCpu[name]);
    cost['temporal persistence requests'] = round((await this.env.temporalPersistenceRequests()) - this.startRequests);
    return cost;
  }
}
