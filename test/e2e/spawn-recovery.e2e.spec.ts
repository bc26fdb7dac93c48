// Nothing stays pending forever: the sweep re-drives lost workflows, a start that cannot succeed is
// put on the row, and an operator sends failed decisions again, exactly once.
import { execFile } from 'node:child_process';
import { WorkflowIdTakenError } from '../../src/spawn/spawn-start.errors';
import { SpawnRecoveryService } from '../../src/spawn/spawn-recovery.service';
import { deriveIdempotencyKey, deriveRowWorkflowId } from '../../src/rules/workflow-id';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { aDecision } from '../factories/decision';
import { aTaskSpec } from '../factories/task-spec';
import { RunningApp, startApp } from '../support/app';
import { BUILT_CLI } from '../support/build';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';
import { flagRepo, REPO_RULE } from '../support/live-rule';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';

describe('recovering stuck and failed decisions', () => {
  let db: TestDatabase;
  const dir = new DefinitionsDir().write('repo-task.yaml', REPO_RULE);
  const issueCore = new FakeIssueCore();
  let env: Record<string, string>;
  let app: RunningApp;
  let sut: SpawnHarness;
  let recovery: SpawnRecoveryService;

  beforeAll(async () => {
    db = await createTestDatabase('recovery');
    await issueCore.start();
    env = {
      DATABASE_URL: db.url,
      DEFINITIONS_DIR: dir.path,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'ac-recovery',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('recovery'),
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: issueCore.url,
      NATS_URL: '',
    };
    app = await startApp(testConfig(env));
    sut = new SpawnHarness(app.app);
    recovery = app.app.get(SpawnRecoveryService);
    await eventually(() => sut.client && true, 'Temporal to connect');
  });
  afterAll(async () => {
    await app.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  const issuesWith = (workflowId: string) => [...issueCore.issues.values()].filter((i) => i.idempotencyKey === deriveIdempotencyKey(workflowId));
  // Asynchronous: the worker of the app under test runs in this process and must keep polling.
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BUILT_CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('the sweep re-drives a pending decision whose workflow was terminated: one issue', async () => {
    issueCore.healthStatus = 503; // held by the gate, so the workflow is still running when terminated
    const decision = await flagRepo(app.url, 'terminated-1', 'acme/terminated');
    try {
      await eventually(async () => (await sut.spawnLog.findById(decision.id))?.error?.includes('live emission held'), 'the first held attempt');
      await sut.client.workflow.getHandle(decision.workflow_id).terminate('lost in an incident');
    } finally {
      issueCore.healthStatus = 200;
    }
    expect((await sut.spawnLog.findById(decision.id))?.status).toBe('pending');
    expect(await recovery.recheckStarted(0)).toBeGreaterThanOrEqual(1);
    const emitted = await sut.waitForStatus(decision.id, 'emitted');
    expect(issuesWith(decision.workflow_id)).toHaveLength(1);
    expect(emitted.task_ref).toBe(issuesWith(decision.workflow_id)[0].issue_id);
    expect(await sut.workflowRuns(decision.workflow_id)).toBe(2);
  });

  it('a start that hits another decision’s completed run is reported on the row, and retry sends it under its own id', async () => {
    const first = await flagRepo(app.url, 'owner-1', 'acme/owner');
    await sut.client.workflow.getHandle(first.workflow_id).result();
    // A second decision under the same workflow id (as a definition whose id changed could give).
    const { row: other } = await sut.spawnLog.recordDecision(
      aDecision({ dedupe_key: 'other-1', source_id: 'repo-task', workflow_id: first.workflow_id, sink_type: 'rest', task_spec: aTaskSpec({ title: 'Other' }) }),
    );
    await expect(sut.spawns.requestSpawn(other)).rejects.toBeInstanceOf(WorkflowIdTakenError);
    const reported = await sut.spawnLog.findById(other.id);
    expect(reported).toMatchObject({ status: 'failed', workflow_id: deriveRowWorkflowId(first.workflow_id, other.id) });
    expect(reported?.error).toContain(`is taken by a completed run of decision ${first.id}; this decision was not emitted`);

    expect(await recovery.retryFailed({ ids: [other.id] })).toEqual({ reopened: 1, requested: 1, stillClosing: 0 });
    const emitted = await sut.waitForStatus(other.id, 'emitted');
    expect(emitted.task_ref).not.toBe((await sut.spawnLog.findById(first.id))?.task_ref);
    expect(issuesWith(emitted.workflow_id)).toHaveLength(1);
  });

  it('the sweep reports a pending row whose started workflow completed for another decision', async () => {
    const first = await flagRepo(app.url, 'owner-2', 'acme/owner-2');
    await sut.client.workflow.getHandle(first.workflow_id).result();
    const { row: other } = await sut.spawnLog.recordDecision(aDecision({ dedupe_key: 'other-2', workflow_id: first.workflow_id, sink_type: 'rest' }));
    await sut.spawnLog.markWorkflowsStarted([other.id]);
    await recovery.recheckStarted(0);
    const reported = await sut.spawnLog.findById(other.id);
    expect(reported?.status).toBe('failed');
    expect(reported?.error).toContain(`taken by a completed run of decision ${first.id}`);
  });

  it('a start Temporal refuses marks the row failed with the reason instead of looping', async () => {
    const refusedId = `spawn/repo-task/${'y'.repeat(1_500)}`;
    const { row } = await sut.spawnLog.recordDecision(aDecision({ dedupe_key: 'refused-1', workflow_id: refusedId, sink_type: 'rest' }));
    expect(await sut.spawns.requestSpawns([row])).toBe(0);
    const failed = await sut.spawnLog.findById(row.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^Temporal refused to start workflow spawn\/repo-task\/y+… \(1516 characters\): /);
    expect(await sut.spawns.requestStranded(0)).toBe(0);
  });

  it('spawn-log retry re-sends a failed decision once, under the same Idempotency-Key', async () => {
    issueCore.failNext(1, 422, { detail: 'labels: unknown label' });
    const decision = await flagRepo(app.url, 'retry-1', 'acme/retry');
    await sut.waitForStatus(decision.id, 'failed');

    const sent = await cli('spawn-log', 'retry', decision.id);
    expect(sent).toMatchObject({ code: 0, stdout: '1 failed decision(s) sent again; 1 workflow(s) requested\n' });
    const emitted = await sut.waitForStatus(decision.id, 'emitted');
    const key = deriveIdempotencyKey(decision.workflow_id);
    expect(issueCore.creations.filter((r) => r.headers['idempotency-key'] === key)).toHaveLength(2);
    expect(issuesWith(decision.workflow_id)).toHaveLength(1);
    expect(emitted.task_ref).toBe(issuesWith(decision.workflow_id)[0].issue_id);

    // Not failed any more: nothing is sent again.
    const again = await cli('spawn-log', 'retry', decision.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not failed decisions');
    expect(issuesWith(decision.workflow_id)).toHaveLength(1);
  });

  it('spawn-log retry --status failed --since ISO re-sends every failed decision since then', async () => {
    const since = new Date().toISOString();
    issueCore.failNext(2, 400, { detail: 'bad' });
    const decisions = await Promise.all(['bulk-1', 'bulk-2'].map((id) => flagRepo(app.url, id, `acme/${id}`)));
    await Promise.all(decisions.map((d) => sut.waitForStatus(d.id, 'failed')));
    expect((await cli('spawn-log', 'retry', '--status', 'failed')).code).toBe(2);
    const sent = await cli('spawn-log', 'retry', '--status', 'failed', '--since', since);
    expect(sent.stdout).toContain('2 failed decision(s) sent again');
    for (const decision of decisions) {
      await sut.waitForStatus(decision.id, 'emitted');
      expect(issuesWith(decision.workflow_id)).toHaveLength(1);
    }
  });
});
