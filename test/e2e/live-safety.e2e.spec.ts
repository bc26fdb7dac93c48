// Live mode when the keys are hostile and issue-core or its credentials change after readiness.
import { randomBytes } from 'node:crypto';
import { deriveIdempotencyKey } from '../../src/rules/workflow-id';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';
import { flagRepo, readiness, readinessIs, REPO_RULE } from '../support/live-rule';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';

describe('live mode against a loopback issue-core that changes underneath it', () => {
  let db: TestDatabase;
  const dir = new DefinitionsDir().write('repo-task.yaml', REPO_RULE);
  const issueCore = new FakeIssueCore();
  let app: RunningApp;
  let sut: SpawnHarness;

  beforeAll(async () => {
    db = await createTestDatabase('live_safety');
    issueCore.token = 'tok-live';
    await issueCore.start();
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-live-safety',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('live-safety'),
        ISSUE_SINK_TYPE: 'rest',
        ISSUE_CORE_URL: issueCore.url,
        ISSUE_CORE_TOKEN: 'tok-live',
        ISSUE_CORE_TIMEOUT_MS: '2000',
      }),
    );
    sut = new SpawnHarness(app.app);
    await readinessIs(app.url, 200, 'first readiness');
  });
  afterAll(async () => {
    await app.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  const keyOf = (workflowId: string) => deriveIdempotencyKey(workflowId);
  const postsWith = (key: string) => issueCore.creations.filter((r) => r.headers['idempotency-key'] === key);
  const heldWith = (id: string, text: string) =>
    eventually(async () => {
      const row = await sut.spawnLog.findById(id);
      return row?.error?.includes(text) ? row : undefined;
    }, `decision ${id} to be held with "${text}"`);

  it('keys differing only in non-ASCII characters, and one several thousand characters long: one issue each, under distinct keys', async () => {
    // The long decision key ("<id>:<repo>@<source>") is far past what a Temporal workflow id, an HTTP
    // header or a b-tree entry holds.
    // Random hex: incompressible, so past what a b-tree entry holds even as stored text.
    const repos = ['日本/api', '中国/api', `long/${randomBytes(2_000).toString('hex')}`];
    const decisions = await Promise.all(repos.map((repo, i) => flagRepo(app.url, `hostile-${i}`, repo)));
    const rows = await Promise.all(decisions.map((d) => sut.waitForStatus(d.id, 'emitted')));
    const keys = rows.map((row) => keyOf(row.workflow_id));
    expect(new Set(keys).size).toBe(3);
    for (const [i, row] of rows.entries()) {
      // The key issue-core received is the one derived, unchanged, and it holds exactly this decision's issue.
      expect(postsWith(keys[i])).toHaveLength(1);
      expect(issueCore.issues.get(keys[i])?.issue_id).toBe(row.task_ref);
      expect((issueCore.issues.get(keys[i])?.payload as { title: string }).title).toBe(`Look at ${repos[i]}`);
    }
    expect(new Set(rows.map((row) => row.task_ref)).size).toBe(3);
  });

  it('a token revoked after readiness, then restored: pending, readiness 503 naming the credentials, then exactly one issue', async () => {
    issueCore.token = 'rotated-elsewhere';
    const decision = await flagRepo(app.url, 'revoked-1', 'acme/revoked');
    try {
      const held = await heldWith(decision.id, '401');
      expect(held.status).toBe('pending');
      const down = await readinessIs(app.url, 503, 'readiness to fail on the credentials');
      expect(down.body.error['issue-core'].reason).toMatch(/credentials (rejected|refused on create)/);
      expect(JSON.stringify(down.body)).not.toContain('tok-live');
      expect(issueCore.issues.has(keyOf(decision.workflow_id))).toBe(false);
    } finally {
      issueCore.token = 'tok-live';
    }
    const emitted = await sut.waitForStatus(decision.id, 'emitted');
    expect(emitted.task_ref).toBe(issueCore.issues.get(keyOf(decision.workflow_id))?.issue_id);
    expect([...issueCore.issues.values()].filter((i) => i.idempotencyKey === keyOf(decision.workflow_id))).toHaveLength(1);
    await readinessIs(app.url, 200, 'readiness once the token is restored');
  });

  it('403 on create only (the token reads, not creates): held, not failed, readiness says why; one issue once allowed', async () => {
    issueCore.createStatus = 403;
    const decision = await flagRepo(app.url, 'forbidden-1', 'acme/forbidden');
    try {
      const held = await heldWith(decision.id, 'answered 403');
      expect(held.status).toBe('pending');
      const down = await readinessIs(app.url, 503, 'readiness to report the refused create');
      expect(down.body.error['issue-core']).toMatchObject({
        reachable: true,
        credentials: 'refused on create',
        reason: 'credentials refused on create: POST /issues/ answered 403',
      });
    } finally {
      issueCore.createStatus = undefined;
    }
    const emitted = await sut.waitForStatus(decision.id, 'emitted');
    expect(emitted.task_ref).toBe(issueCore.issues.get(keyOf(decision.workflow_id))?.issue_id);
    expect(emitted.attempts).toBeGreaterThanOrEqual(2);
    await readinessIs(app.url, 200, 'readiness once a create succeeds');
  });

  it('404 on create (a URL without its prefix): held, and readiness says the endpoint was not found', async () => {
    issueCore.createStatus = 404;
    const decision = await flagRepo(app.url, 'not-found-1', 'acme/not-found');
    try {
      const held = await heldWith(decision.id, 'answered 404');
      expect(held.status).toBe('pending');
      const down = await readinessIs(app.url, 503, 'readiness to report the missing endpoint');
      expect(down.body.error['issue-core'].reason).toBe('endpoint not found: POST /issues/ answered 404');
      expect(issueCore.issues.has(keyOf(decision.workflow_id))).toBe(false);
    } finally {
      issueCore.createStatus = undefined;
    }
    await sut.waitForStatus(decision.id, 'emitted');
  });

  it('a health path answering 404 is not reachable', async () => {
    issueCore.healthStatus = 404;
    try {
      const { status, body } = await readiness(app.url);
      expect(status).toBe(503);
      expect(body.error['issue-core']).toMatchObject({ reachable: false, reason: 'issue-core unreachable: health answered 404' });
    } finally {
      issueCore.healthStatus = 200;
    }
    await readinessIs(app.url, 200, 'readiness once the health path answers 200');
  });

  it('422 stays terminal: one attempt, the row failed with the reason', async () => {
    issueCore.failNext(1, 422, { detail: 'labels: unknown label' });
    const decision = await flagRepo(app.url, 'invalid-payload-1', 'acme/invalid');
    const failed = await sut.waitForStatus(decision.id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.error).toContain('issue-core answered 422');
  });
});
