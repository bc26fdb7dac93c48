// A definitions folder with hostile files still boots; ticks survive outages and rolling deploys;
// no secret reaches readiness or a log line.
import { spawnSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { DefinitionsService } from '../../src/rules/definitions.service';
import { ScheduleReconciler } from '../../src/rules/schedule-reconciler.service';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { BUILT_CLI } from '../support/build';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';
import { eventually } from '../support/poll';
import { ServiceProcess } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';
import { freePort } from '../support/temporal-server';

const ALIAS_BOMB = [
  'key: bomb',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');
const IMPOSSIBLE_CRON = `
key: impossible
trigger: { schedule: { cron: "61 25 32 13 8", timezone: UTC } }
condition: 'true'
task: { title: Never, target_repo: nowhere }
`;
const scheduleRule = (key: string) => `
key: ${key}
trigger: { schedule: { cron: "0 6 * * 1", timezone: UTC } }
condition: 'true'
task: { title: "Weekly check", target_repo: acme-api, priority: low }
`;

describe('a definitions folder with an alias bomb, an impossible cron and a good schedule rule', () => {
  let db: TestDatabase;
  let app: RunningApp;
  const dir = new DefinitionsDir().write('a-bomb.yaml', ALIAS_BOMB).write('b-impossible.yaml', IMPOSSIBLE_CRON).withShipped('flag-stale-sbom.yaml');

  beforeAll(async () => {
    db = await createTestDatabase('hostile_defs');
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-hostile-defs',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('hostile-defs'),
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    dir.cleanup();
  });

  it('boots, refuses both bad files by name, and creates the good rule its Temporal schedule', async () => {
    const body = await jsonOf(await fetch(`${app.url}/definitions`));
    const refused = JSON.stringify(body);
    expect(refused).toMatch(/a-bomb\.yaml.*Excessive alias count/);
    expect(refused).toMatch(/b-impossible\.yaml.*minute 61 is outside 0-59/);
    await app.app.get(TemporalClientService).whenConnected();
    await app.app.get(ScheduleReconciler).settled();
    const schedule = await app.app.get(TemporalClientService).client.schedule.getHandle('activity-core/flag-stale-sbom').describe();
    expect(schedule.state.note).toContain('0 6 * * 1');
  });

  it('definitions validate names both files and exits 1', () => {
    const result = spawnSync(process.execPath, [BUILT_CLI, 'definitions', 'validate'], {
      env: { PATH: process.env.PATH ?? '', DEFINITIONS_DIR: dir.path },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/refused .*a-bomb\.yaml: \(yaml\): Excessive alias count/);
    expect(result.stdout).toMatch(/refused .*b-impossible\.yaml: trigger\.schedule\.cron: minute 61 is outside 0-59/);
    expect(result.stdout).toMatch(/ok .*flag-stale-sbom/);
  });
});

describe('schedule ticks under outages and rolling deploys', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: DataSource;
  const proxy = new TcpProxy('127.0.0.1', 5432);
  const dir = new DefinitionsDir().write('weekly.yaml', scheduleRule('weekly'));
  const taskQueue = uniqueTaskQueue('hostile-ticks');

  beforeAll(async () => {
    db = await createTestDatabase('hostile_ticks');
    await proxy.start();
    const url = new URL(db.url);
    url.port = String(proxy.port);
    app = await startApp(
      testConfig({ DATABASE_URL: url.toString(), DEFINITIONS_DIR: dir.path, TEMPORAL_NAMESPACE: 'ac-hostile-ticks', TEMPORAL_TASK_QUEUE: taskQueue }),
    );
    sql = app.app.get(DataSource);
    await app.app.get(TemporalClientService).whenConnected();
    await app.app.get(ScheduleReconciler).settled();
  });
  afterAll(async () => {
    await app.close();
    await proxy.stop();
    await db.drop();
    dir.cleanup();
  });

  const client = () => app.app.get(TemporalClientService).client;
  const tick = (key: string, scheduledTime: string) =>
    client().workflow.start('scheduleTickWorkflow', { taskQueue, workflowId: `test-tick/${key}/${scheduledTime}`, args: [{ key, scheduledTime }] });
  const decisionsOf = async (trigger: string) =>
    Number((await sql.query(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id = $1`, [trigger]))[0].count);

  it('a tick is retried with no attempt limit until its next tick is due, and decides once Postgres is back', async () => {
    proxy.cut();
    const handle = await tick('weekly', '2026-11-23T06:00:00.000Z');
    const pending = await eventually(
      async () => {
        const activity = (await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'evaluate_schedule_tick');
        return (activity?.attempt ?? 0) >= 3 && activity;
      },
      'the tick to be retried while Postgres is away',
      30_000,
      200,
    );
    // The server's record of the retry policy it enforces: no attempt limit (an older policy
    // stopped after 10 attempts, about 75 s), and retries that run until the next weekly tick.
    expect(pending.maximumAttempts).toBe(0);
    // Each attempt failed as one to be retried: nothing in the activity gives up on its own.
    expect(pending.lastFailure?.message).toBeTruthy();
    expect(pending.lastFailure?.applicationFailureInfo?.nonRetryable ?? false).toBe(false);
    expect(Number(pending.expirationTime?.seconds) * 1000 - Date.now()).toBeGreaterThan(6 * 86_400_000);
    proxy.restore();
    await handle.result();
    await eventually(async () => (await decisionsOf('schedule:weekly:2026-11-23T06:00:00.000Z')) === 1, 'the tick to decide once Postgres is back');
  }, 60_000);

  it('a tick reaching an instance that does not know the rule is retried, not ignored', async () => {
    const handle = await tick('arrives-later', '2026-11-23T06:00:00.000Z');
    await eventually(
      async () => ((await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'evaluate_schedule_tick')?.attempt ?? 0) >= 2,
      'the tick to be retried',
      30_000,
      200,
    );
    // The new version of the service arrives with the rule.
    dir.write('arrives-later.yaml', scheduleRule('arrives-later'));
    app.app.get(DefinitionsService).reload();
    await handle.result();
    expect(await decisionsOf('schedule:arrives-later:2026-11-23T06:00:00.000Z')).toBe(1);
  }, 60_000);
});

describe('secrets in the configuration', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  const SECRETS = ['pg-sekret-789', 'nats-sekret-456', 'issue-sekret-123', 'tok-sekret-321', 'api-sekret-654'];

  beforeAll(async () => {
    db = await createTestDatabase('hostile_secrets');
    const pg = new URL(db.url);
    pg.password = SECRETS[0];
    const closed = await freePort();
    service = new ServiceProcess(
      {
        DATABASE_URL: pg.toString(),
        NATS_URL: `nats://natsuser:${SECRETS[1]}@127.0.0.1:${closed}`,
        ISSUE_SINK_TYPE: 'rest',
        ISSUE_CORE_URL: `http://issue:${SECRETS[2]}@127.0.0.1:${closed}`,
        ISSUE_CORE_TOKEN: SECRETS[3],
        API_TOKEN: SECRETS[4],
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS as string,
        TEMPORAL_NAMESPACE: 'ac-hostile-ticks',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('hostile-secrets'),
        DEFINITIONS_DIR: new DefinitionsDir().path,
        LOG_LEVEL: 'debug',
      },
      await freePort(),
    ).start();
  });
  afterAll(async () => {
    await service.stop();
    await db.drop();
  });

  it('never reach /health/ready or a log line, even while NATS and issue-core are unreachable', async () => {
    const ready = await eventually(
      async () => {
        const response = await fetch(`${service.url}/health/ready`);
        const body = await response.text();
        return body.includes('issue-core') && body.includes('nats') ? { status: response.status, body } : undefined;
      },
      'readiness to report NATS and issue-core',
      45_000,
      200,
    );
    expect(ready.status).toBe(503);
    await fetch(`${service.url}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS[4]}`, 'content-type': 'application/json' },
      body: '{"specversion": ',
    });
    await eventually(() => service.output.includes('NATS at nats://[redacted]@127.0.0.1'), 'the NATS warning in the log', 30_000, 200);
    expect(ready.body).toContain('[redacted]@127.0.0.1');
    for (const secret of SECRETS) {
      expect({ secret, inReadiness: ready.body.includes(secret) }).toEqual({ secret, inReadiness: false });
      expect({ secret, inLog: service.output.includes(secret) }).toEqual({ secret, inLog: false });
    }
  });
});
