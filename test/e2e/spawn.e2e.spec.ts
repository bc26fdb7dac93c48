import { temporal } from '@temporalio/proto';
import { SWEEP_SCHEDULE_ID } from '../../src/temporal/system-schedules.service';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../../src/config/namespaces';
import { TemporalWorkerService } from '../../src/temporal/temporal-worker.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { FakeIssueCore } from '../support/fake-issue-core';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';
import { describeFailure, IssueCoreGate } from '../../src/emission/issue-core.gate';
import { DefinitionsDir } from '../support/definitions-dir';

// ISSUE_SINK_LIVE_RULES must name a loaded rule, or the service refuses to start.
const LIVE_RULE = `
key: live-rule
trigger: { event: { type: test.live } }
condition: 'true'
task: { title: "t", target_repo: "r" }
`;

const EventType = temporal.api.enums.v1.EventType;

describe('durable emission on the real Temporal dev server', () => {
  let db: TestDatabase;
  const issueCore = new FakeIssueCore();
  let app: RunningApp;
  let sut: SpawnHarness;
  const dir = new DefinitionsDir().write('live-rule.yaml', LIVE_RULE);

  beforeAll(async () => {
    db = await createTestDatabase('spawn');
    await issueCore.start();
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        TEMPORAL_NAMESPACE: 'ac-spawn-live',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('spawn'),
        ISSUE_SINK_TYPE: 'rest',
        ISSUE_CORE_URL: issueCore.url,
        ISSUE_SINK_LIVE_RULES: 'live-rule',
        DEFINITIONS_DIR: dir.path,
      }),
    );
    sut = new SpawnHarness(app.app);
    const worker = app.app.get(TemporalWorkerService);
    await eventually(() => worker.state === 'RUNNING', 'the worker to poll');
  });
  afterAll(async () => {
    await app.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  const issuesFor = (key: string) => issueCore.creations.filter((r) => String(r.headers['idempotency-key']).endsWith(`/${key}`));

  async function historyOf(workflowId: string) {
    const history = await sut.client.workflow.getHandle(workflowId).fetchHistory();
    return history.events ?? [];
  }

  it('dry-run: one decision gives one emitted row with a null- reference and a completed workflow', async () => {
    const row = await sut.recordDecision('dry-rule', 'dry-1');
    expect(await sut.spawns.requestSpawn(row)).toBe('spawn/dry-rule/dry-1');
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    expect(emitted.task_ref).toMatch(/^null-[0-9a-f]{20}$/);
    expect(emitted.sink_type).toBe('null');
    expect(emitted.attempts).toBe(1);
    const result = await sut.client.workflow.getHandle(row.workflow_id).result();
    expect(result).toEqual({ taskRef: emitted.task_ref, sinkType: 'null', alreadyEmitted: false });
    expect((await sut.client.workflow.getHandle(row.workflow_id).describe()).status.name).toBe('COMPLETED');
    expect(issuesFor('dry-1')).toHaveLength(0);
  });

  it('live: one issue is created and the row is emitted with issue_id, issue_url and backend', async () => {
    const row = await sut.recordDecision('live-rule', 'live-1', 'rest');
    await sut.spawns.requestSpawn(row);
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    const issue = issueCore.issues.get(row.workflow_id);
    expect(issue).toBeDefined();
    expect(emitted).toMatchObject({ task_ref: issue?.issue_id, task_url: `${issueCore.url}/issues/${issue?.issue_id}`, backend: 'fake', sink_type: 'rest' });
    expect(issuesFor('live-1')).toHaveLength(1);
    expect(issuesFor('live-1')[0].body).toMatchObject({ source_id: 'live-rule', triggering_event_id: 'live-1' });
  });

  it('503 twice then 201: one issue, the row emitted after 3 attempts, the failures in the history', async () => {
    issueCore.failNext(2, 503, { detail: 'maintenance' });
    const row = await sut.recordDecision('live-rule', 'flaky-1', 'rest');
    await sut.spawns.requestSpawn(row);
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    expect(emitted.attempts).toBe(3);
    expect(emitted.error).toBeNull();
    expect(issueCore.issues.has(row.workflow_id)).toBe(true);
    expect(issuesFor('flaky-1')).toHaveLength(3);
    const started = (await historyOf(row.workflow_id)).find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(3);
    expect(started?.activityTaskStartedEventAttributes?.lastFailure?.message).toContain('issue-core answered 503 for live-rule/flaky-1');
  });

  it('issue created but the connection dropped: the retry carries the same Idempotency-Key, one issue', async () => {
    issueCore.createThenDropNext();
    const row = await sut.recordDecision('live-rule', 'dropped-1', 'rest');
    await sut.spawns.requestSpawn(row);
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    const attempts = issuesFor('dropped-1');
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((r) => r.headers['idempotency-key']))).toEqual(new Set([row.workflow_id]));
    expect([...issueCore.issues.values()].filter((i) => i.idempotencyKey === row.workflow_id)).toHaveLength(1);
    expect(emitted.task_ref).toBe(issueCore.issues.get(row.workflow_id)?.issue_id);
  });

  it('422: one attempt, no retries, the row failed with issue-core’s reason', async () => {
    issueCore.failNext(1, 422, { detail: 'missing target_repo' });
    const row = await sut.recordDecision('live-rule', 'rejected-1', 'rest');
    await sut.spawns.requestSpawn(row);
    const failed = await sut.waitForStatus(row.id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.error).toBe('issue-core answered 422 for live-rule/rejected-1: {"detail":"missing target_repo"}');
    expect(issuesFor('rejected-1')).toHaveLength(1);
    await eventually(async () => (await sut.client.workflow.getHandle(row.workflow_id).describe()).status.name === 'FAILED', 'the workflow to fail');
  });

  it('the same decision requested 10 times concurrently: one workflow, one row, one issue', async () => {
    const row = await sut.recordDecision('live-rule', 'concurrent-1', 'rest');
    const ids = await Promise.all(Array.from({ length: 10 }, () => sut.spawns.requestSpawn(row)));
    expect(new Set(ids)).toEqual(new Set([row.workflow_id]));
    await sut.waitForStatus(row.id, 'emitted');
    // Asked again after completion: still nothing new.
    await sut.spawns.requestSpawn(row);
    await eventually(async () => (await sut.workflowRuns(row.workflow_id)) >= 1, 'visibility of the run');
    expect(await sut.workflowRuns(row.workflow_id)).toBe(1);
    expect(Number((await sut.spawnLog['dataSource'].query(`SELECT count(*) FROM task_spawn_log WHERE dedupe_key = 'concurrent-1'`))[0].count)).toBe(1);
    expect(issuesFor('concurrent-1')).toHaveLength(1);
  });

  it('an emitted decision under a fresh workflow id (as after retention) emits nothing', async () => {
    const row = await sut.recordDecision('live-rule', 'retained-1', 'rest');
    await sut.spawns.requestSpawn(row);
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    const before = issueCore.creations.length;
    const result = await sut.client.workflow.execute('spawnWorkflow', {
      taskQueue: app.app.get<ConfigType<typeof temporalConfig>>(temporalConfig.KEY).taskQueue,
      workflowId: `${row.workflow_id}/after-retention`,
      args: [{ decisionId: row.id }],
    });
    expect(result).toEqual({ taskRef: emitted.task_ref, sinkType: 'rest', alreadyEmitted: true });
    expect(issueCore.creations.length).toBe(before);
  });

  it('a pending row whose workflow was never started is requested by the sweep schedule and emitted once', async () => {
    const row = await sut.recordDecision('live-rule', 'stranded-1', 'rest');
    await sut.spawnLog['dataSource'].query(`UPDATE task_spawn_log SET created_at = now() - interval '5 minutes' WHERE id = $1`, [row.id]);
    const schedule = sut.client.schedule.getHandle(SWEEP_SCHEDULE_ID);
    await eventually(() => schedule.describe().then(() => true), 'the sweep schedule to exist');
    await schedule.trigger();
    await sut.waitForStatus(row.id, 'emitted');
    // The sweep records the start once Temporal has answered it, which can be after the workflow has run.
    await eventually(async () => (await sut.spawnLog.findById(row.id))?.workflow_started_at instanceof Date, 'the sweep to record the start');
    expect(issuesFor('stranded-1')).toHaveLength(1);
    expect(await sut.spawns.requestStranded(0)).toBe(0);
  });

  it('live emission waits while issue-core is not verified, then goes out once it is', async () => {
    issueCore.healthStatus = 503;
    // The gate shares its verdict for 2 s; take a fresh one so the first attempt already sees the outage.
    expect(describeFailure(await app.app.get(IssueCoreGate).verify(true))).toContain('issue-core unreachable');
    const row = await sut.recordDecision('live-rule', 'gated-1', 'rest');
    try {
      await sut.spawns.requestSpawn(row);
      const held = await eventually(async () => {
        const current = await sut.spawnLog.findById(row.id);
        return current?.error ? current : undefined;
      }, 'the first held attempt to be recorded');
      expect(held.status).toBe('pending');
      expect(held.error).toContain('live emission held: issue-core unreachable');
      expect(issuesFor('gated-1')).toHaveLength(0);
    } finally {
      issueCore.healthStatus = 200;
    }
    const emitted = await sut.waitForStatus(row.id, 'emitted');
    expect(emitted.sink_type).toBe('rest');
    expect(issuesFor('gated-1')).toHaveLength(1);
  });
});
