// The rule tester says `matched` exactly when the service records a decision: intake for an event
// rule, a tick at the same `now` for a schedule rule. And explain shows what schedule rules did
// with an event.
import fc from 'fast-check';
import { EventsRepository } from '../../src/events/events.repository';
import { ScheduleTickService } from '../../src/rules/schedule-tick.service';
import { scheduleTriggerId } from '../../src/rules/evaluate';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';

const DAY = 86_400_000;
const BASE = Date.parse('2026-12-07T06:00:00Z');

/** A generated event: its type, subject, time and data vary over what the rules read. */
const anyEvent = fc.record({
  type: fc.constantFrom('sbom.failed', 'sbom.generated', 'other.type'),
  severity: fc.constantFrom('high', 'low', undefined),
  ageDays: fc.constantFrom(10, 2, -1),
  badTime: fc.constantFrom(false, false, false, true),
  subject: fc.boolean(),
  specversion: fc.constantFrom('1.0', '1.0', '1.0', '0.3'),
});

describe('tester and service agree', () => {
  let db: TestDatabase;
  let app: RunningApp;
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml').write('sbom-failed.yaml', EVENT_RULE);

  beforeAll(async () => {
    db = await createTestDatabase('agreement');
    app = await startApp(
      testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: dir.path, TEMPORAL_NAMESPACE: 'ac-agreement', TEMPORAL_TASK_QUEUE: uniqueTaskQueue('agreement') }),
    );
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    dir.cleanup();
  });

  const postJson = (path: string, body: unknown) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const samples = fc.sample(anyEvent, { numRuns: 40, seed: 1764340 });

  const build = (i: number, sample: (typeof samples)[number], now: number) => {
    const event: Record<string, unknown> = {
      ...anEvent({ id: `gen-${i}`, type: sample.type, time: sample.badTime ? '2026-02-30T06:00:00Z' : new Date(now - sample.ageDays * DAY).toISOString() }),
      specversion: sample.specversion,
      data: sample.severity ? { severity: sample.severity } : {},
      subject: `repo-${i}`,
    };
    if (!sample.subject) delete event.subject;
    return event;
  };

  it('event rule: matched exactly when intake records a decision', async () => {
    const now = new Date(BASE);
    const disagreements: string[] = [];
    for (const [i, sample] of samples.entries()) {
      const event = build(i, sample, now.getTime());
      const report = await jsonOf(await postJson('/definitions/sbom-failed/test', { event }));
      const intake = await postJson('/events', event);
      const decided = intake.status === 202 && (await jsonOf(intake)).decisions.some((d: { source_id: string }) => d.source_id === 'sbom-failed');
      if (intake.status !== 202 && report.reason !== 'invalid_event') disagreements.push(`gen-${i}: intake ${intake.status}, tester ${report.reason}`);
      if (report.matched !== decided) disagreements.push(`gen-${i}: tester ${report.matched} (${report.reason}), intake decided ${decided}`);
    }
    expect(disagreements).toEqual([]);
    expect(samples.some((s) => s.type === 'other.type')).toBe(true);
  });

  it('schedule rule: matched exactly when a tick at the same now records a decision for the subject', async () => {
    const ticks = app.app.get(ScheduleTickService);
    const spawnLog = app.app.get(SpawnLogRepository);
    const disagreements: string[] = [];
    const reasons = new Set<string>();
    for (const [i, sample] of samples.entries()) {
      const now = new Date(BASE + (i + 1) * 60_000);
      const event = { ...build(i, sample, now.getTime()), id: `tick-${i}`, subject: sample.subject ? `tick-repo-${i}` : undefined };
      const report = await jsonOf(await postJson('/definitions/flag-stale-sbom/test', { event, now: now.toISOString() }));
      reasons.add(report.reason);
      await postJson('/events', event);
      await ticks.runTick('flag-stale-sbom', now);
      const rows = (await spawnLog.list({ limit: 200, triggering_event_id: scheduleTriggerId('flag-stale-sbom', now) })).items;
      const decided = rows.some((row) => row.evaluation.event_id === event.id && row.evaluation.subject === event.subject);
      if (report.matched !== decided) disagreements.push(`tick-${i}: tester ${report.matched} (${report.reason}), tick decided ${decided}`);
    }
    expect(disagreements).toEqual([]);
    expect([...reasons]).toEqual(expect.arrayContaining(['condition_matched', 'wrong_type', 'invalid_event']));
  });

  it('explain lists the schedule decisions that used an event, and whether it is still the latest of its subject', async () => {
    const events = app.app.get(EventsRepository);
    const sbom = anEvent({ id: 'sbom-x', type: 'sbom.generated', subject: 'explained-repo', time: '2026-11-10T06:00:00Z', data: {} });
    await events.insertEvents([sbom], 'test');
    const ticks = app.app.get(ScheduleTickService);
    for (const at of ['2026-11-23T06:00:00Z', '2026-11-30T06:00:00Z', '2026-11-24T09:00:00Z']) await ticks.runTick('flag-stale-sbom', new Date(at));

    const explained = await jsonOf(await fetch(`${app.url}/events/sbom-x/explain`));
    expect(explained.candidates).toEqual([]);
    expect(explained.schedule_rules).toEqual([
      expect.objectContaining({ key: 'flag-stale-sbom', schedule_id: 'activity-core/flag-stale-sbom', latest_of_subject: true, read_by_next_tick: true }),
    ]);
    const [rule] = explained.schedule_rules;
    expect(rule.decisions.map((row: { triggering_event_id: string }) => row.triggering_event_id).sort()).toEqual([
      'schedule:flag-stale-sbom:2026-11-23T06:00:00.000Z',
      'schedule:flag-stale-sbom:2026-11-24T09:00:00.000Z',
      'schedule:flag-stale-sbom:2026-11-30T06:00:00.000Z',
    ]);
    expect(rule.decisions.every((row: { evaluation: { event_id: string } }) => row.evaluation.event_id === 'sbom-x')).toBe(true);

    // A later SBOM of the same repository: the next tick reads that one instead.
    await events.insertEvents([{ ...sbom, id: 'sbom-y', time: '2026-11-20T06:00:00Z' }], 'test');
    const superseded = await jsonOf(await fetch(`${app.url}/events/sbom-x/explain`));
    expect(superseded.schedule_rules[0]).toMatchObject({ latest_of_subject: false, read_by_next_tick: false, why: expect.stringContaining('sbom-y') });
    expect(superseded.schedule_rules[0].decisions).toHaveLength(3);
  });
});
