// Schedule rules on the real dev server, and the rule tester over HTTP.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { EventsRepository } from '../../src/events/events.repository';
import { ScheduleReconciler } from '../../src/rules/schedule-reconciler.service';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { uuidV5 } from '../../src/rules/uuid-v5';
import { anEvent } from '../factories/definition';
import { aTaskSpec } from '../factories/task-spec';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';
import { eventually } from '../support/poll';

const SCHEDULE_ID = 'activity-core/flag-stale-sbom';
const MONDAY = new Date('2026-11-23T06:00:00Z');
const TRIGGER = 'schedule:flag-stale-sbom:2026-11-23T06:00:00.000Z';

describe('schedule rules on the dev server', () => {
  let db: TestDatabase;
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml');
  let app: RunningApp | undefined;
  const taskQueue = uniqueTaskQueue('schedules');

  const boot = async () => {
    await app?.close();
    app = await startApp(testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: dir.path, TEMPORAL_NAMESPACE: 'ac-schedules', TEMPORAL_TASK_QUEUE: taskQueue }));
    await app.app.get(TemporalClientService).whenConnected();
    await app.app.get(ScheduleReconciler).settled();
    return app;
  };
  const client = () => (app as RunningApp).app.get(TemporalClientService).client;
  const rowsFor = async (trigger: string) => (await (app as RunningApp).app.get(SpawnLogRepository).list({ limit: 100, triggering_event_id: trigger })).items;

  beforeAll(async () => {
    db = await createTestDatabase('schedules');
    await boot();
    await (app as RunningApp).app
      .get(EventsRepository)
      .insertEvents([anEvent({ id: 'sbom-1', type: 'sbom.generated', subject: 'activity-core', time: '2026-11-10T06:00:00Z', data: {} })], 'test');
  });
  afterAll(async () => {
    await app?.close();
    await db.drop();
    dir.cleanup();
  });

  async function backfillMonday(): Promise<void> {
    const handle = client().schedule.getHandle(SCHEDULE_ID);
    await handle.backfill({ start: new Date(MONDAY.getTime() - 1000), end: new Date(MONDAY.getTime() + 1000), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
  }

  async function completedTicks(): Promise<number> {
    let count = 0;
    for await (const _ of client().workflow.list({
      query: `WorkflowType = 'scheduleTickWorkflow' AND ExecutionStatus = 'Completed' AND TaskQueue = '${taskQueue}'`,
    }))
      count++;
    return count;
  }

  it('creates one schedule per schedule rule at start-up', async () => {
    const description = await client().schedule.getHandle(SCHEDULE_ID).describe();
    expect(description.state.note).toBe('activity-core rule schedule: cron "0 6 * * 1" (UTC)');
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduleTickWorkflow', taskQueue });
  });

  it('a backfilled tick produces the seed payload in dry-run, and a second backfill adds no row', async () => {
    await backfillMonday();
    const [row] = await eventually(
      async () => {
        const rows = await rowsFor(TRIGGER);
        return rows.length > 0 && rows[0].status === 'emitted' ? rows : undefined;
      },
      'the tick to record and emit its decision',
      30_000,
    );
    expect(row.task_spec).toEqual(aTaskSpec({ triggering_event_id: TRIGGER, activity_definition_id: uuidV5('flag-stale-sbom') }));
    expect(row.task_ref).toMatch(/^null-/);

    const ticksBefore = await eventually(async () => (await completedTicks()) || undefined, 'the first tick to complete');
    await backfillMonday();
    await eventually(async () => (await completedTicks()) > ticksBefore, 'the second tick to complete', 30_000);
    expect(await rowsFor(TRIGGER)).toHaveLength(1);
  });

  it('trigger-now evaluates at the trigger time', async () => {
    await client().schedule.getHandle(SCHEDULE_ID).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const row = await eventually(
      async () => {
        const rows = (await (app as RunningApp).app.get(SpawnLogRepository).list({ limit: 100, source_id: 'flag-stale-sbom' })).items;
        return rows.find((r) => r.triggering_event_id !== TRIGGER);
      },
      'the triggered tick to record its decision',
      30_000,
    );
    expect(row.triggering_event_id).toMatch(/^schedule:flag-stale-sbom:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('the tester answers over HTTP: match, non-match, invalid event, unknown rule; it writes nothing', async () => {
    const base = (app as RunningApp).url;
    const count = async () => (await (app as RunningApp).app.get(SpawnLogRepository).list({ limit: 200 })).items.length;
    const before = await count();
    const post = (key: string, body: unknown) =>
      fetch(`${base}/definitions/${key}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const event = anEvent({ id: 'probe', type: 'sbom.generated', subject: 'acme-api', time: '2026-11-20T06:00:00Z' });

    const match = await post('flag-stale-sbom', { event, now: '2026-11-30T06:00:00Z' });
    expect(match.status).toBe(200);
    expect(await jsonOf(match)).toMatchObject({
      matched: true,
      reason: 'condition_matched',
      triggering_event_id: 'schedule:flag-stale-sbom:2026-11-30T06:00:00.000Z',
      evaluation: { subject: 'acme-api', time: '2026-11-20T06:00:00Z', now: '2026-11-30T06:00:00.000Z', result: true },
      task_spec: { title: 'Run SBOM rescan for acme-api', target_repo: 'acme-api' },
    });
    const noMatch = await jsonOf(await post('flag-stale-sbom', { event, now: '2026-11-21T06:00:00Z' }));
    expect(noMatch).toMatchObject({ matched: false, reason: 'condition_false', task_spec: null });
    // An event intake refuses is a non-match at the validation stage, with intake's reasons.
    const invalid = await post('flag-stale-sbom', { event: { id: 'x' } });
    expect(invalid.status).toBe(200);
    expect(await jsonOf(invalid)).toMatchObject({
      matched: false,
      reason: 'invalid_event',
      stage: 'validation',
      problems: expect.arrayContaining(['specversion is required', 'source is required', 'type is required']),
    });
    expect((await post('no-such-rule', { event })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('lists loaded definitions and refused files', async () => {
    dir.write('broken.yaml', "key: broken\ntrigger: { event: { type: x } }\ncondition: 'evnt.a'\ntask: { title: t, target_repo: r }\n");
    await boot();
    const body = await jsonOf(await fetch(`${(app as RunningApp).url}/definitions`));
    expect(body.definitions.map((d: { key: string }) => d.key)).toEqual(['flag-stale-sbom']);
    expect(body.errors).toEqual([
      expect.objectContaining({ key: 'broken', field: 'condition', message: "undeclared reference to 'evnt'", line: 1, column: 1 }),
    ]);
    const refused = await fetch(`${(app as RunningApp).url}/definitions/broken`);
    expect(refused.status).toBe(404);
    expect((await jsonOf(refused)).message[0]).toContain("condition: undeclared reference to 'evnt' at 1:1");
    dir.remove('broken.yaml');
  });

  it('changing a cron and restarting updates the schedule; removing the file leaves it until a prune', async () => {
    dir.edit('flag-stale-sbom.yaml', (yaml) => yaml.replace('cron: "0 6 * * 1"', 'cron: "30 7 * * 2"'));
    await boot();
    const updated = await client().schedule.getHandle(SCHEDULE_ID).describe();
    expect(updated.state.note).toBe('activity-core rule schedule: cron "30 7 * * 2" (UTC)');
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });

    dir.remove('flag-stale-sbom.yaml');
    await boot();
    // A newer instance may still have the rule: start-up never deletes, it reports.
    await client().schedule.getHandle(SCHEDULE_ID).describe();
    expect((await jsonOf(await fetch(`${(app as RunningApp).url}/definitions`))).stale_schedules).toEqual([SCHEDULE_ID]);
    expect((await (app as RunningApp).app.get(ScheduleReconciler).reconcile({ prune: true })).deleted).toEqual([SCHEDULE_ID]);
    await expect(client().schedule.getHandle(SCHEDULE_ID).describe()).rejects.toThrow(/not found/i);
  });
});
