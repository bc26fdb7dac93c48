// The built service (dist/main.js) as a child of the bench, started and configured the way a
// deployment would be, plus the Postgres queries that tell when its work is done.
import { join } from 'node:path';
import { Client } from 'pg';
import { BenchEnvironment, NATS_URL } from './bench-environment';
import { BenchChild, freePort, waitFor } from './bench-process';

export interface ServiceOptions {
  role: string;
  databaseUrl: string;
  definitionsDir: string;
  taskQueue: string;
  nats: { stream: string; subjects: string; durable: string };
  /** Live mode against this issue-core; dry-run when absent. */
  issueCoreUrl?: string;
  /** Before the script, as `npm run start:prod` passes them (serviceNodeFlags()). */
  nodeFlags: string[];
}

export class ServiceUnderBench {
  private constructor(
    readonly child: BenchChild,
    readonly url: string,
    private readonly db: Client,
  ) {}

  static async start(env: BenchEnvironment, options: ServiceOptions, inherited: NodeJS.ProcessEnv): Promise<ServiceUnderBench> {
    const port = await freePort();
    const child = env.spawnChild(`service (${options.role})`, process.execPath, [...options.nodeFlags, join(__dirname, '..', 'main.js')], {
      env: {
        PATH: inherited.PATH ?? '',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_URL: options.databaseUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_TASK_QUEUE: options.taskQueue,
        NATS_URL,
        NATS_STREAM: options.nats.stream,
        NATS_SUBJECTS: options.nats.subjects,
        NATS_DURABLE: options.nats.durable,
        DEFINITIONS_DIR: options.definitionsDir,
        ...(options.issueCoreUrl ? { ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: options.issueCoreUrl } : { ISSUE_SINK_TYPE: 'null' }),
      },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`the ${child.name} to be ready`, async () => (child.assertAlive(), (await fetch(`${url}/health/ready`)).status === 200), 120_000, 200);
    const db = new Client({ connectionString: options.databaseUrl });
    await db.connect();
    return new ServiceUnderBench(child, url, db);
  }

  /** How many decisions triggered by ids starting with `prefix` are emitted. */
  async emittedCount(prefix: string): Promise<number> {
    const [row] = (
      await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM task_spawn_log WHERE status = 'emitted' AND triggering_event_id LIKE $1`, [
        `${prefix}%`,
      ])
    ).rows;
    return row.n;
  }

  /** When each decision of `prefix` was emitted (epoch ms), by triggering event id. */
  async emittedAt(prefix: string): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ id: string; at: number }>(
      `SELECT triggering_event_id AS id, (extract(epoch from emitted_at) * 1000)::float8 AS at
       FROM task_spawn_log WHERE status = 'emitted' AND triggering_event_id LIKE $1`,
      [`${prefix}%`],
    );
    return new Map(rows.map((row: { id: string; at: number }) => [row.id, row.at]));
  }

  async stop(): Promise<void> {
    await this.db.end().catch(() => undefined);
    await this.child.stop();
  }
}

/** Rows in `events` from `source`: the intake's progress, for the service and the bare pipeline alike. */
export async function storedCount(db: Client, source: string): Promise<number> {
  const [row] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE source = $1`, [source])).rows;
  return row.n;
}
