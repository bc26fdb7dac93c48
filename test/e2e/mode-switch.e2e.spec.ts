// The mode belongs to the decision: a restart into the other mode neither downgrades a live
// decision to dry-run nor sends a dry-run one to issue-core.
import { LIVE_DECISION_HELD_REASON } from '../../src/spawn/spawn.activities';
import { deriveIdempotencyKey } from '../../src/rules/workflow-id';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';
import { flagRepo, readinessIs, REPO_RULE } from '../support/live-rule';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';
import { freePort } from '../support/temporal-server';

describe('mode switches across a restart', () => {
  let db: TestDatabase;
  const dir = new DefinitionsDir().write('repo-task.yaml', REPO_RULE);
  const issueCore = new FakeIssueCore();
  const taskQueue = uniqueTaskQueue('mode-switch');
  let app: RunningApp | undefined;
  let unreachableTemporal: string;

  const LIVE = () => ({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: issueCore.url });
  const DRY_RUN = { ISSUE_SINK_TYPE: 'null' };

  /** One instance at a time, sharing the database and the task queue, as a restart does. */
  async function restartAs(mode: Record<string, string>, temporalAddress?: string): Promise<SpawnHarness> {
    await app?.close();
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-mode-switch',
        TEMPORAL_TASK_QUEUE: taskQueue,
        ...(temporalAddress ? { TEMPORAL_ADDRESS: temporalAddress } : {}),
        ...mode,
      }),
    );
    return new SpawnHarness(app.app);
  }

  beforeAll(async () => {
    db = await createTestDatabase('mode_switch');
    await issueCore.start();
    unreachableTemporal = `127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await app?.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  it('a live decision under a dry-run instance is held (reason on the row, counted in readiness), then emitted live', async () => {
    // Decided live while Temporal is out of reach: recorded, not yet started.
    await restartAs(LIVE(), unreachableTemporal);
    const decision = await flagRepo((app as RunningApp).url, 'live-then-dry', 'acme/live');

    let sut = await restartAs(DRY_RUN);
    expect((await sut.spawnLog.findById(decision.id))?.sink_type).toBe('rest');
    await eventually(() => sut.client && true, 'the dry-run instance to reach Temporal');
    await eventually(async () => (await sut.spawns.requestStranded(0)) > 0 || undefined, 'the sweep to start the decision');
    const held = await eventually(async () => {
      const row = await sut.spawnLog.findById(decision.id);
      return row?.error === LIVE_DECISION_HELD_REASON ? row : undefined;
    }, 'the dry-run instance to hold the live decision');
    expect(held).toMatchObject({ status: 'pending', task_ref: null, sink_type: 'rest' });
    const ready = await readinessIs((app as RunningApp).url, 200, 'the dry-run instance to be ready');
    expect(ready.body.details.emission).toMatchObject({ status: 'up', mode: 'null', held_live_decisions: 1 });
    expect(issueCore.creations).toHaveLength(0);

    sut = await restartAs(LIVE());
    const emitted = await sut.waitForStatus(decision.id, 'emitted', 60_000);
    const key = deriveIdempotencyKey(decision.workflow_id);
    expect(emitted).toMatchObject({ sink_type: 'rest', task_ref: issueCore.issues.get(key)?.issue_id });
    expect(emitted.task_ref).not.toMatch(/^null-/);
    expect(issueCore.keysCreated).toEqual([key]);
  });

  it('a dry-run decision under a live instance gets a null- reference, and issue-core sees nothing', async () => {
    await restartAs(DRY_RUN, unreachableTemporal);
    const decision = await flagRepo((app as RunningApp).url, 'dry-then-live', 'acme/dry');
    const before = issueCore.creations.length;

    const sut = await restartAs(LIVE());
    await eventually(async () => (await sut.spawns.requestStranded(0)) > 0 || undefined, 'the sweep to start the decision');
    const emitted = await sut.waitForStatus(decision.id, 'emitted');
    expect(emitted).toMatchObject({ sink_type: 'null', task_ref: expect.stringMatching(/^null-[0-9a-f]{20}$/) });
    expect(issueCore.creations.length).toBe(before);
    expect(issueCore.issues.has(deriveIdempotencyKey(decision.workflow_id))).toBe(false);
  });

  it('ISSUE_SINK_LIVE_RULES naming a rule that is not loaded refuses to start, naming it', async () => {
    await app?.close();
    app = undefined;
    await expect(
      startApp(testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: dir.path, ...LIVE(), ISSUE_SINK_LIVE_RULES: 'repo-task,repo-tsak' })),
    ).rejects.toThrow("ISSUE_SINK_LIVE_RULES names 'repo-tsak'");
  });
});
