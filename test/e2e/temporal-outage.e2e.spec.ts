// Temporal down at boot, and lost while running: the service stays honest about it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { jsonOf } from '../support/http';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';
import { freePort, startTemporalDevServer, TemporalDevServer } from '../support/temporal-server';

describe('Temporal outages', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let server: TemporalDevServer | undefined;
  let port: number;
  const dbFile = join(mkdtempSync(join(tmpdir(), 'ac-outage-')), 'temporal.db');

  beforeAll(async () => {
    db = await createTestDatabase('temporal_outage');
    port = await freePort();
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    await db.drop();
  });

  const ready = async () => {
    const response = await fetch(`${app.url}/health/ready`);
    return { status: response.status, body: await jsonOf(response) };
  };

  it('boots while the dev server is down, records decisions, and turns ready once it starts', async () => {
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
        TEMPORAL_NAMESPACE: 'ac-boot',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('boot'),
      }),
    );
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.error.temporal.status).toBe('down');
    expect(down.body.error.temporal.reason).toMatch(/^Temporal connecting/);
    expect(down.body.details.postgres.status).toBe('up');

    // A decision taken now is recorded and waits; it is not lost.
    const harness = new SpawnHarness(app.app);
    const row = await harness.recordDecision('boot-rule', 'while-down');
    expect(await harness.spawns.requestSpawns([row])).toBe(0);
    expect((await harness.spawnLog.findById(row.id))?.status).toBe('pending');

    server = await startTemporalDevServer({ port, dbFile });
    const up = await eventually(
      async () => {
        const answer = await ready();
        return answer.status === 200 ? answer : undefined;
      },
      'readiness once Temporal starts',
      30_000,
      200,
    );
    expect(up.body.details.temporal).toMatchObject({ status: 'up', worker: 'RUNNING', namespace: 'ac-boot' });

    expect(await harness.spawns.requestStranded(0)).toBe(1);
    const emitted = await harness.waitForStatus(row.id, 'emitted');
    expect(emitted.task_ref).toMatch(/^null-/);
  });

  it('loses Temporal while running: readiness says so, and decisions flow again once it is back', async () => {
    await server?.stop();
    const down = await eventually(async () => {
      const answer = await ready();
      return answer.status === 503 ? answer : undefined;
    }, 'readiness to notice Temporal is gone');
    expect(down.body.error.temporal.reason).toMatch(/Temporal/);

    server = await startTemporalDevServer({ port, dbFile });
    await eventually(async () => (await ready()).status === 200, 'readiness once Temporal is back', 30_000, 200);
    const harness = new SpawnHarness(app.app);
    const row = await harness.recordDecision('boot-rule', 'after-restart');
    await harness.spawns.requestSpawn(row);
    expect((await harness.waitForStatus(row.id, 'emitted')).task_ref).toMatch(/^null-/);
  });
});
