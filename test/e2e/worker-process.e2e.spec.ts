// The built service as a process: killed mid-emission, and drained by SIGTERM.
import { DataSource } from 'typeorm';
import { deriveWorkflowId } from '../../src/rules/workflow-id';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { aDecision } from '../factories/decision';
import { aTaskSpec } from '../factories/task-spec';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';
import { FakeIssueCore } from '../support/fake-issue-core';
import { eventually } from '../support/poll';
import { ServiceProcess } from '../support/service-process';
import { standaloneSpawner, StandaloneSpawner } from '../support/standalone-spawner';
import { freePort } from '../support/temporal-server';

describe('the service process under SIGKILL and SIGTERM', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const issueCore = new FakeIssueCore();
  let spawner: StandaloneSpawner;
  let env: Record<string, string>;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('worker_process');
    dataSource = await openMigratedDataSource(db);
    await issueCore.start();
    env = {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS as string,
      TEMPORAL_NAMESPACE: 'ac-kill',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('kill'),
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: issueCore.url,
      NATS_URL: '',
      LOG_LEVEL: 'info',
    };
    spawner = await standaloneSpawner(testConfig(env), dataSource);
  });
  afterAll(async () => {
    await spawner.close();
    await dataSource.destroy();
    await issueCore.stop();
    await db.drop();
  });

  // Each test has the task queue to itself: no worker of an earlier test may take its activities.
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
  });

  async function startService(): Promise<ServiceProcess> {
    const service = new ServiceProcess(env, await freePort()).start();
    services.push(service);
    await service.waitReady();
    return service;
  }

  async function requestDecision(key: string) {
    const { row } = await spawner.spawnLog.recordDecision(
      aDecision({
        dedupe_key: key,
        triggering_event_id: key,
        workflow_id: deriveWorkflowId('flag-stale-sbom', key),
        sink_type: 'rest',
        task_spec: aTaskSpec({ triggering_event_id: key }),
      }),
    );
    await spawner.spawns.requestSpawn(row);
    return row;
  }

  const waitForStatus = (id: string, status: string, timeoutMs = 40_000) =>
    eventually(
      async () => {
        const row = await spawner.spawnLog.findById(id);
        return row?.status === status ? row : undefined;
      },
      `decision ${id} to be ${status}`,
      timeoutMs,
    );

  it('a worker killed with SIGKILL mid-emission, then restarted: the decision completes with exactly one issue', async () => {
    const first = await startService();
    issueCore.hangNext();
    const row = await requestDecision('killed-1');
    await eventually(() => issueCore.issues.has(row.workflow_id), 'issue-core to receive the emission');
    first.kill('SIGKILL');
    expect(await first.exited()).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await spawner.spawnLog.findById(row.id))?.status).toBe('pending');

    await startService();
    const emitted = await waitForStatus(row.id, 'emitted');
    const sameKey = issueCore.creations.filter((r) => r.headers['idempotency-key'] === row.workflow_id);
    expect(sameKey.length).toBeGreaterThanOrEqual(2);
    expect([...issueCore.issues.values()].filter((i) => i.idempotencyKey === row.workflow_id)).toHaveLength(1);
    expect(emitted.task_ref).toBe(issueCore.issues.get(row.workflow_id)?.issue_id);
    expect(emitted.attempts).toBeGreaterThanOrEqual(2);
  });

  it('SIGTERM stops polling, lets the in-flight emission finish, and exits', async () => {
    const service = await startService();
    issueCore.delayNext(2_000);
    const row = await requestDecision('drained-1');
    await eventually(() => issueCore.creations.some((r) => r.headers['idempotency-key'] === row.workflow_id), 'the emission to be in flight');
    service.kill('SIGTERM');
    // Nest re-raises the signal once its shutdown hooks have run: the conventional SIGTERM exit.
    expect(await service.exited()).toEqual({ code: null, signal: 'SIGTERM' });
    const after = await spawner.spawnLog.findById(row.id);
    expect(after).toMatchObject({ status: 'emitted', attempts: 1 });
    expect(service.output).toContain('draining the worker');
  });

  it('a worker that cannot run ends the process non-zero through Nest shutdown', async () => {
    const service = new ServiceProcess({ ...env, TEMPORAL_NAMESPACE: 'no-such-namespace' }, await freePort()).start();
    services.push(service);
    expect(await service.exited()).toEqual({ code: 1, signal: null });
    expect(service.output).toContain('Temporal worker failed; shutting down');
    expect(service.output).toContain('no-such-namespace');
  });
});
