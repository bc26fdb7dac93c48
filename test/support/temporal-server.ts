// A real Temporal dev server (SQLite inside), started from the CLI that .ci/run builds.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_NAMESPACES } from './namespaces';
import { eventually } from './poll';

export function findTemporalCli(): string {
  const candidates = [
    process.env.TEMPORAL_CLI,
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'temporal')),
    join(homedir(), 'go', 'bin', 'temporal'),
  ].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error('temporal CLI not found: run scripts/ensure-temporal.sh (go install ...cli/cmd/temporal@v1.5.1)');
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TemporalDevServer {
  address: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: { port?: number; dbFile?: string } = {}): Promise<TemporalDevServer> {
  const port = options.port ?? (await freePort());
  const dbFile = options.dbFile ?? join(mkdtempSync(join(tmpdir(), 'ac-temporal-')), 'temporal.db');
  const child = spawn(
    findTemporalCli(),
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--db-filename',
      dbFile,
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
      '--log-level',
      'error',
      ...TEST_NAMESPACES.flatMap((namespace) => ['--namespace', namespace]),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(
    () =>
      new Promise<boolean>((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error(`temporal exited ${child.exitCode}: ${stderr}`));
        const socket = createConnection({ host: '127.0.0.1', port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    `the Temporal dev server to listen on ${address}`,
    60_000,
    100,
  );
  // Probed with the CLI rather than a gRPC client of this process: a client closed here could
  // leave a retry timer behind that fires on its closed channel in a later test.
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const namespaces = ['default', ...TEST_NAMESPACES];
        const probe = spawn(findTemporalCli(), ['operator', 'namespace', 'describe', '--address', address, '-n', namespaces[namespaces.length - 1]], {
          stdio: 'ignore',
        });
        probe.once('exit', (code) => resolve(code === 0));
        probe.once('error', () => resolve(false));
      }),
    `the namespaces of the Temporal dev server on ${address}`,
    60_000,
    200,
  );
  return {
    address,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
