// The Temporal dev server as the tests and the bench run it (pure): where the CLI is, and its
// arguments, SQLite in WAL mode with synchronous=normal (2.5 times the workflows/s of the default).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The temporal CLI: $TEMPORAL_CLI, then $PATH, then where `go install` puts it. */
export function findTemporalCli(env: { TEMPORAL_CLI?: string; PATH?: string }): string {
  const candidates = [env.TEMPORAL_CLI, ...(env.PATH ?? '').split(':').map((dir) => join(dir, 'temporal')), join(homedir(), 'go', 'bin', 'temporal')];
  const found = candidates.find((path): path is string => Boolean(path) && existsSync(path as string));
  if (!found) throw new Error('temporal CLI not found: run scripts/ensure-temporal.sh (go install ...cli/cmd/temporal@v1.5.1), or set TEMPORAL_CLI');
  return found;
}

export interface DevServerOptions {
  port: number;
  dbFile: string;
  /** Namespaces created at start, besides `default`. */
  namespaces?: readonly string[];
  /** Where the server serves its own Prometheus metrics. */
  metricsPort?: number;
}

export function devServerArgs(options: DevServerOptions): string[] {
  return [
    ...['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(options.port), '--db-filename', options.dbFile],
    ...['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal', '--log-level', 'error'],
    ...(options.namespaces ?? []).flatMap((namespace) => ['--namespace', namespace]),
    ...(options.metricsPort === undefined ? [] : ['--metrics-port', String(options.metricsPort)]),
  ];
}
