// The processes a bench run measures, and the few things it asks of them: wait for a condition,
// a free port, resident memory and CPU time (Linux /proc), a child whose output explains a failure.
import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

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

export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** The Node flags the service runs with: package.json `config.node_flags`, as `npm run start:prod` passes them. */
export function serviceNodeFlags(packageJson = join(__dirname, '..', '..', 'package.json')): string[] {
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { config?: { node_flags?: string } };
  return (manifest.config?.node_flags ?? '').split(/\s+/).filter(Boolean);
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

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
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
