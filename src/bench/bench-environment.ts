// What one bench run stands on: one Temporal dev server it starts (SQLite with the WAL pragmas),
// databases of its own on the Postgres, streams of its own on the NATS, and the child processes
// it measures. Everything is removed at the end.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';

export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = 'nats://127.0.0.1:4222';

/** Polls `check` until it is truthy; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A child process of the bench; its output is kept (tail) to explain a failure. */
export class BenchChild {
  output = '';
  private readonly exit: Promise<number | null>;

  constructor(readonly name: string, readonly process: ChildProcess) {
    const collect = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8_000));
    process.stdout?.on('data', collect);
    process.stderr?.on('data', collect);
    this.exit = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.process.pid as number;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  assertAlive(): void {
    if (!this.alive) throw new Error(`${this.name} exited (${this.process.exitCode ?? this.process.signalCode}): ${this.output.slice(-2_000)}`);
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.process.kill('SIGTERM');
    const killed = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await this.exit;
    clearTimeout(killed);
  }
}

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

  temporalCli(): string {
    const candidates = [this.env.TEMPORAL_CLI, ...(this.env.PATH ?? '').split(':').map((dir) => join(dir, 'temporal')), join(homedir(), 'go', 'bin', 'temporal')];
    const found = candidates.find((path): path is string => Boolean(path) && existsSync(path as string));
    if (!found) throw new Error('temporal CLI not found: run scripts/ensure-temporal.sh, or set TEMPORAL_CLI');
    return found;
  }

  /** The dev server the way the tests run it: SQLite in WAL mode with synchronous=normal. */
  async startTemporal(): Promise<void> {
    const port = await freePort();
    this.temporalMetricsPort = await freePort();
    const db = join(this.tempDir('temporal'), 'temporal.db');
    const cli = this.temporalCli();
    const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', db,
      '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal', '--log-level', 'error',
      '--metrics-port', String(this.temporalMetricsPort)];
    const server = this.spawnChild('temporal dev server', cli, args);
    await waitFor('the Temporal dev server to listen', async () => (server.assertAlive(), portAnswers(port)));
    this.temporalAddress = `127.0.0.1:${port}`;
    this.temporalPid = server.pid;
    await waitFor('the default namespace', () =>
      new Promise<boolean>((resolve) => {
        const probe = spawn(cli, ['operator', 'namespace', 'describe', '--address', this.temporalAddress, '-n', 'default'], { stdio: 'ignore' });
        probe.once('exit', (code) => resolve(code === 0));
        probe.once('error', () => resolve(false));
      }), 60_000, 250);
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
