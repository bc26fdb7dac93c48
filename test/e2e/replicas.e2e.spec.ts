// A rolling deploy under a flaky issue-core: replicas share the database, the stream and its durable
// consumer, and the task queue; one is SIGKILLed mid-run. Every matching event still gives exactly one issue.
import { DataSource } from 'typeorm';
import { deriveIdempotencyKey } from '../../src/rules/workflow-id';
import type { TaskSpawnLog } from '../../src/spawn-log/task-spawn-log.entity';
import { uniqueTaskQueue } from '../factories/config';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';
import { REPO_RULE } from '../support/live-rule';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';
import { ServiceProcess } from '../support/service-process';
import { freePort } from '../support/temporal-server';

const EVENTS = 40;

describe('replicas in a rolling deploy, under 20% 503 and 20% lost answers', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const dir = new DefinitionsDir().write('repo-task.yaml', REPO_RULE);
  const issueCore = new FakeIssueCore();
  const stream = new TestStream();
  const services: ServiceProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase('replicas');
    dataSource = await openMigratedDataSource(db);
    await issueCore.start();
    await stream.open();
    env = {
      DATABASE_URL: db.url,
      DEFINITIONS_DIR: dir.path,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'ac-replicas',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('replicas'),
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: issueCore.url,
      ISSUE_CORE_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'warn',
      ...stream.env,
    };
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await stream.close();
    await dataSource.destroy();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  async function startReplica(): Promise<ServiceProcess> {
    const service = new ServiceProcess(env, await freePort()).start();
    services.push(service);
    await service.waitReady(90_000);
    return service;
  }

  const rows = (): Promise<TaskSpawnLog[]> => dataSource.query(`SELECT * FROM task_spawn_log WHERE source_id = 'repo-task'`);

  it(`${EVENTS} matching events give ${EVENTS} issues: no duplicate, no loss`, async () => {
    const [, , doomed] = [await startReplica(), await startReplica(), await startReplica()];
    issueCore.chaosOn({ unavailable: 0.2, lost: 0.2 }, 20261128);
    for (let i = 0; i < EVENTS; i++) {
      const event = {
        specversion: '1.0',
        id: `replica-${i}`,
        source: 'test://replicas',
        type: 'repo.flagged',
        subject: 'acme',
        time: '2026-11-27T06:00:00Z',
        data: { repo: `repo-${i}` },
      };
      await stream.publish(event, { msgId: event.id });
    }
    // Mid-run: some issues created, more to come.
    await eventually(() => issueCore.issues.size >= EVENTS / 4, 'a quarter of the issues to be created', 60_000);
    doomed.kill('SIGKILL');
    expect((await doomed.exited()).signal).toBe('SIGKILL');

    const emitted = await eventually(
      async () => {
        const all = await rows();
        return all.length === EVENTS && all.every((row) => row.status === 'emitted') ? all : undefined;
      },
      `all ${EVENTS} decisions to be emitted`,
      180_000,
      500,
    );
    issueCore.chaosOff();

    const keys = emitted.map((row) => deriveIdempotencyKey(row.workflow_id));
    expect(new Set(keys).size).toBe(EVENTS);
    expect(issueCore.issues.size).toBe(EVENTS);
    expect(new Set(issueCore.keysCreated)).toEqual(new Set(keys));
    // Each decision holds the issue created under its own key: none attached to another's.
    for (const row of emitted) expect(row.task_ref).toBe(issueCore.issues.get(deriveIdempotencyKey(row.workflow_id))?.issue_id);
    expect(new Set(emitted.map((row) => row.task_ref)).size).toBe(EVENTS);
    // The faults were real: more creates were sent than issues made.
    expect(issueCore.creations.length).toBeGreaterThan(EVENTS);
  }, 360_000);
});
