// After one emitted, one held and one failed live decision (and a dead letter, a refused file and
// a schedule rule), /metrics carries the expected histogram counts and gauge values.
import { IssueCoreGate } from '../../src/emission/issue-core.gate';
import { ScheduleReconciler } from '../../src/rules/schedule-reconciler.service';
import { TemporalWorkerService } from '../../src/temporal/temporal-worker.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';
import { SpawnHarness } from '../support/spawn-harness';

/** The value of one sample, by name and exact label set ("" for none). */
function sample(page: string, name: string, labels = ''): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics an operator alerts on', () => {
  let db: TestDatabase;
  const issueCore = new FakeIssueCore();
  const stream = new TestStream();
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml').write('broken.yaml', 'key: broken\ntrigger: nope\n');
  let app: RunningApp;
  let sut: SpawnHarness;
  const scrape = async () => (await fetch(`${app.url}/metrics`)).text();

  beforeAll(async () => {
    db = await createTestDatabase('metrics');
    await issueCore.start();
    await stream.open();
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-metrics',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('metrics'),
        ISSUE_SINK_TYPE: 'rest',
        ISSUE_CORE_URL: issueCore.url,
        ...stream.env,
      }),
    );
    sut = new SpawnHarness(app.app);
    await eventually(() => app.app.get(TemporalWorkerService).state === 'RUNNING', 'the worker to poll');
    await app.app.get(ScheduleReconciler).settled();
  });
  afterAll(async () => {
    await app.close();
    await stream.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  it('one emitted, one failed, one held: histograms and gauges say so', async () => {
    const startedAt = Date.now();
    const emitted = await sut.recordDecision('live-rule', 'ok-1', 'rest');
    await sut.spawns.requestSpawn(emitted);
    await sut.waitForStatus(emitted.id, 'emitted');

    issueCore.failNext(1, 422, { detail: 'missing target_repo' });
    const failed = await sut.recordDecision('live-rule', 'rejected-1', 'rest');
    await sut.spawns.requestSpawn(failed);
    await sut.waitForStatus(failed.id, 'failed');

    issueCore.healthStatus = 503;
    await app.app.get(IssueCoreGate).verify(true);
    const held = await sut.recordDecision('live-rule', 'held-1', 'rest');
    await sut.spawns.requestSpawn(held);
    await eventually(async () => (await sut.spawnLog.findById(held.id))?.error?.startsWith('live emission held') || undefined, 'the decision to be held');

    const page = await scrape();
    const emission = (outcome: string) => sample(page, 'activity_core_emission_duration_seconds_count', `sink="rest",outcome="${outcome}"`);
    expect(emission('emitted')).toBe(1);
    expect(emission('rejected')).toBe(1);
    expect(emission('retry')).toBeGreaterThanOrEqual(1);
    expect(sample(page, 'activity_core_emission_duration_seconds_bucket', 'le="+Inf",sink="rest",outcome="emitted"')).toBe(1);
    expect(sample(page, 'activity_core_emission_duration_seconds_sum', 'sink="rest",outcome="emitted"')).toBeGreaterThan(0);
    expect(sample(page, 'activity_core_received_to_emitted_seconds_count', 'sink="rest"')).toBe(1);
    const waited = sample(page, 'activity_core_received_to_emitted_seconds_sum', 'sink="rest"') as number;
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan((Date.now() - startedAt) / 1000);

    expect(sample(page, 'activity_core_pending_decisions')).toBe(1);
    expect(sample(page, 'activity_core_held_live_decisions')).toBe(1);
    expect(sample(page, 'activity_core_failed_decisions')).toBe(1);
    const age = sample(page, 'activity_core_oldest_pending_decision_age_seconds') as number;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan((Date.now() - startedAt) / 1000 + 1);

    // issue-core's health fails: readiness is down, and says which check.
    expect(sample(page, 'activity_core_ready')).toBe(0);
    expect(sample(page, 'activity_core_readiness_check_up', 'check="issue-core"')).toBe(0);
    expect(sample(page, 'activity_core_readiness_check_up', 'check="postgres"')).toBe(1);

    issueCore.healthStatus = 200;
    await app.app.get(IssueCoreGate).verify(true);
    await sut.waitForStatus(held.id, 'emitted', 60_000);
    const after = await scrape();
    expect(sample(after, 'activity_core_held_live_decisions')).toBe(0);
    expect(sample(after, 'activity_core_pending_decisions')).toBe(0);
    expect(sample(after, 'activity_core_oldest_pending_decision_age_seconds')).toBe(0);
    expect(sample(after, 'activity_core_received_to_emitted_seconds_count', 'sink="rest"')).toBe(2);
  });

  it('schedule rules: last tick and interval; refused files; dead letters by reason; JetStream lag', async () => {
    await stream.publish('not json at all');
    await stream.publish({ specversion: '1.0', id: 'x' });
    await eventually(
      async () => sample(await scrape(), 'activity_core_dead_letters_total', 'reason="invalid_cloudevent"') === 1,
      'the dead letters to be counted',
    );
    const page = await scrape();
    expect(sample(page, 'activity_core_dead_letters_total', 'reason="not_json"')).toBe(1);
    expect(sample(page, 'activity_core_definitions_refused_total')).toBe(1);
    expect(sample(page, 'activity_core_schedule_interval_seconds', 'rule="flag-stale-sbom"')).toBe(7 * 86_400);
    const lastTick = sample(page, 'activity_core_schedule_last_tick_timestamp_seconds', 'rule="flag-stale-sbom"') as number;
    // Never ticked yet: the schedule's creation, made at this suite's start.
    expect(Math.abs(lastTick - Date.now() / 1000)).toBeLessThan(300);
    expect(sample(page, 'activity_core_jetstream_consumer_pending_messages')).toBe(0);
    expect(sample(page, 'activity_core_jetstream_consumer_ack_pending_messages')).toBe(0);
  });
});
