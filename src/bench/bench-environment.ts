// What one bench run stands on: one Temporal dev server it starts (SQLite with the WAL pragmas),
// databases of its own on the Postgres, streams of its own on the NATS, and the child processes
// it measures. Everything is removed at the end.
import { spawn, SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { devServerArgs, findTemporalCli } from '../temporal/dev-server';
import { BenchChild, freePort, portAnswers, waitFor } from './bench-process';

export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = 'nats://127.0.0.1:4222';

export class BenchEnvironment {
  readonly runId = randomBytes(3).toString('hex');
  readonly children: BenchChild[] = [];
  private readonly databases: string[] = [];
  private readonly streams: string[] = [];
  private readonly dirs: string[] = [];
  temporalAddress = '';
  temporalPid = 0;
  private temporalMetricsPort = 0;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** A temporary directory removed at the end. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `ac-bench-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** The dev server the way the tests run it: SQLite in WAL mode with synchronous=normal. */
  async startTemporal(): Promise<void> {
    const port = await freePort();
    this.temporalMetricsPort = await freePort();
    const db = join(this.tempDir('temporal'), 'temporal.db');
    const cli = findTemporalCli(this.env);
    const args = devServerArgs({ port, dbFile: db, metricsPort: this.temporalMetricsPort });
    const server = this.spawnChild('temporal dev server', cli, args);
    await waitFor('the Temporal dev server to listen', async () => (server.assertAlive(), portAnswers(port)));
    this.temporalAddress = `127.0.0.1:${port}`;
    this.temporalPid = server.pid;
    await waitFor(
      'the default namespace',
      () =>
        new Promise<boolean>((resolve) => {
          const probe = spawn(cli, ['operator', 'namespace', 'describe', '--address', this.temporalAddress, '-n', 'default'], { stdio: 'ignore' });
          probe.once('exit', (code) => resolve(code === 0));
          probe.once('error', () => resolve(false));
        }),
      60_000,
      250,
    );
  }

  /** The dev server's persistence requests so far (its own Prometheus counter), summed over operations. */
  async temporalPersistenceRequests(): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.temporalMetricsPort}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) if (line.startsWith('persistence_requests{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    return total;
  }

  /** A fresh database; its URL. */
  async createDatabase(role: string): Promise<string> {
    const name = `ac_bench_${this.runId}_${role}`;
    await this.admin((client) => client.query(`CREATE DATABASE ${name}`));
    this.databases.push(name);
    return `postgres://postgres@127.0.0.1:5432/${name}`;
  }

  /** Names for a stream of this run; the stream itself is created by whoever consumes it. */
  stream(role: string): { stream: string; subjects: string; prefix: string; durable: string } {
    const stream = `AC_BENCH_${this.runId}_${role.toUpperCase()}`;
    this.streams.push(stream);
    const prefix = `bench${this.runId}.${role}`;
    return { stream, prefix, subjects: `${prefix}.>`, durable: `ac-bench-${role}` };
  }

  spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): BenchChild {
    const child = new BenchChild(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
    this.children.push(child);
    return child;
  }

  /** Removes everything the run made; each step on its own, so one failure does not leave the rest. */
  async tearDown(): Promise<void> {
    for (const child of [...this.children].reverse()) await child.stop().catch(() => undefined);
    const connection = await connect({ servers: NATS_URL }).catch(() => undefined);
    if (connection) {
      const manager = await jetstreamManager(connection);
      for (const stream of this.streams) await manager.streams.delete(stream).catch(() => undefined);
      await connection.close();
    }
    for (const name of this.databases) {
      await this.admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    }
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private async admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
