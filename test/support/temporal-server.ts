// A real Temporal dev server (SQLite inside), started from the CLI that .ci/run builds.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devServerArgs, findTemporalCli as findCli } from '../../src/temporal/dev-server';
import { TEST_NAMESPACES } from './namespaces';
import { eventually } from './poll';

export function findTemporalCli(): string {
  return findCli(process.env);
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
  const child = spawn(findTemporalCli(), devServerArgs({ port, dbFile, namespaces: TEST_NAMESPACES }), { stdio: ['ignore', 'ignore', 'pipe'] });
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
