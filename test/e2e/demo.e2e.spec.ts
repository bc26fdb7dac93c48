// `npm run demo -- --once` end to end, as a newcomer runs it: it exits 0, and the decisions it
// prints (with their null- references) are the ones in the spawn log.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { uniqueTaskQueue } from '../factories/config';
import { createTestDatabase, TestDatabase } from '../support/database';
import { freePort } from '../support/temporal-server';

const ROOT = join(__dirname, '..', '..');

function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'demo', '--', '--once'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('demo');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('exits 0 and prints the tick’s decisions, which are in the spawn log', async () => {
    const port = await freePort();
    const { code, output } = await runDemo({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS as string,
      TEMPORAL_NAMESPACE: 'ac-demo',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('demo'),
      NATS_URL: '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DEV_SKIP_SETUP: '1', // built by the run's global setup; never install under a running suite
    });
    expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(output).toContain(`See them in the console: http://localhost:${port}/console`);
    const printed = [...output.matchAll(/^ {2}(\S+) +emitted +(null-[0-9a-f]+) +id ([0-9a-f-]{36})$/gm)].map((m) => ({ repo: m[1], ref: m[2], id: m[3] }));
    // The two stale SBOMs match; the two fresh ones do not.
    expect(printed.map((p) => p.repo).sort()).toEqual(['acme-api', 'acme-web']);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT id, task_ref, status, sink_type, source_id FROM task_spawn_log ORDER BY id`);
      expect(rows.map((r) => ({ id: r.id, ref: r.task_ref })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        printed.map((p) => ({ id: p.id, ref: p.ref })).sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(rows.every((r) => r.status === 'emitted' && r.sink_type === 'null' && r.source_id === 'flag-stale-sbom')).toBe(true);
    } finally {
      await client.end();
    }
  }, 600_000);
});
