// Rule schedules in a rolling deploy: each schedule reconciled on its own, and an instance with
// older definitions never deleting what a newer one needs.
import { execFile } from 'node:child_process';
import { ScheduleReconciler } from '../../src/rules/schedule-reconciler.service';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { BUILT_CLI } from '../support/build';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';
import { eventually } from '../support/poll';

const scheduleRule = (key: string, cron: string, timezone = 'UTC') => `
key: ${key}
trigger: { schedule: { cron: "${cron}", timezone: ${timezone} } }
condition: 'false'
task: { title: "t", target_repo: "r" }
`;

describe('rule schedules in a rolling deploy', () => {
  let db: TestDatabase;
  const older = new DefinitionsDir().write('a.yaml', scheduleRule('rollout-a', '0 6 * * 1'));
  const newer = new DefinitionsDir()
    .write('a.yaml', scheduleRule('rollout-a', '0 6 * * 1'))
    .write('b.yaml', scheduleRule('rollout-b', '0 7 * * 1'))
    .write('c.yaml', scheduleRule('rollout-c', '0 8 * * 1'));
  const taskQueue = uniqueTaskQueue('rollout');
  let env: Record<string, string>;
  let app: RunningApp | undefined;

  async function boot(dir: DefinitionsDir): Promise<RunningApp> {
    await app?.close();
    app = await startApp(testConfig({ ...env, DEFINITIONS_DIR: dir.path }));
    await app.app.get(TemporalClientService).whenConnected();
    await app.app.get(ScheduleReconciler).settled();
    return app;
  }
  const scheduleIds = async () => {
    const ids: string[] = [];
    for await (const summary of (app as RunningApp).app.get(TemporalClientService).client.schedule.list()) {
      if (summary.scheduleId.startsWith('activity-core/rollout-')) ids.push(summary.scheduleId);
    }
    return ids.sort();
  };
  // The schedule list comes from Temporal's visibility store, which may lag a moment behind.
  const expectScheduleIds = async (expected: string[]) => {
    let ids: string[] = [];
    await eventually(
      async () => {
        ids = await scheduleIds();
        return ids.join() === expected.join();
      },
      `schedules ${expected.join(', ')}`,
    ).catch(() => undefined);
    expect(ids).toEqual(expected);
  };

  beforeAll(async () => {
    db = await createTestDatabase('rollout');
    env = { DATABASE_URL: db.url, TEMPORAL_NAMESPACE: 'ac-rollout', TEMPORAL_TASK_QUEUE: taskQueue, NATS_URL: '' };
  });
  afterAll(async () => {
    await app?.close();
    await db.drop();
    older.cleanup();
    newer.cleanup();
  });

  it('a schedule Temporal refuses is logged and shown on GET /definitions; the others are still created', async () => {
    // A zone Node's ICU knows and the load check so accepts, but Temporal's time zone database
    // lacks: what only Temporal can refuse.
    newer.write('bad.yaml', scheduleRule('rollout-bad', '0 6 * * 1', 'SystemV/EST5'));
    const running = await boot(newer);
    await expectScheduleIds(['activity-core/rollout-a', 'activity-core/rollout-b', 'activity-core/rollout-c']);
    const body = await jsonOf(await fetch(`${running.url}/definitions`));
    expect(body.schedule_errors).toEqual([{ schedule_id: 'activity-core/rollout-bad', error: expect.any(String) }]);
    expect(body.schedule_errors[0].error.length).toBeGreaterThan(0);
    newer.remove('bad.yaml');
  });

  it('an instance with older definitions, restarting mid-rollout, deletes none of the newer rules’ schedules', async () => {
    await boot(newer);
    await expectScheduleIds(['activity-core/rollout-a', 'activity-core/rollout-b', 'activity-core/rollout-c']);
    const running = await boot(older);
    await expectScheduleIds(['activity-core/rollout-a', 'activity-core/rollout-b', 'activity-core/rollout-c']);
    expect((await jsonOf(await fetch(`${running.url}/definitions`))).stale_schedules).toEqual(['activity-core/rollout-b', 'activity-core/rollout-c']);
  });

  it('activity-core schedules prune, once the rollout is done, deletes the schedules of rules gone', async () => {
    await boot(older);
    const pruned = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [BUILT_CLI, 'schedules', 'prune'],
        { env: { PATH: process.env.PATH ?? '', ...env, TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233', DEFINITIONS_DIR: older.path } },
        (error, stdout) => resolve({ code: error ? 1 : 0, stdout }),
      ),
    );
    expect(pruned).toEqual({ code: 0, stdout: 'deleted  activity-core/rollout-b, activity-core/rollout-c\n' });
    await expectScheduleIds(['activity-core/rollout-a']);
  });
});
