// The shipped SBOM staleness rule at fixed times, against the real Postgres (dry-run).
import { EventsRepository } from '../../src/events/events.repository';
import { ScheduleTickService } from '../../src/rules/schedule-tick.service';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { uuidV5 } from '../../src/rules/uuid-v5';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent } from '../factories/definition';
import { aTaskSpec } from '../factories/task-spec';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { SHIPPED_DEFINITIONS } from '../support/definitions-dir';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('flag-stale-sbom at fixed times', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let events: EventsRepository;
  let ticks: ScheduleTickService;
  let spawnLog: SpawnLogRepository;

  beforeAll(async () => {
    db = await createTestDatabase('flag_stale_sbom');
    app = await startApp(
      testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: SHIPPED_DEFINITIONS, TEMPORAL_NAMESPACE: 'ac-rules', TEMPORAL_TASK_QUEUE: uniqueTaskQueue('sbom') }),
    );
    events = app.app.get(EventsRepository);
    ticks = app.app.get(ScheduleTickService);
    spawnLog = app.app.get(SpawnLogRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const sbomGenerated = (repo: string, time: Date, id = `${repo}-${time.toISOString()}`) =>
    anEvent({ id, type: 'sbom.generated', source: 'sbom-service', subject: repo, time: time.toISOString(), data: { format: 'cyclonedx' } });

  const decisionsOf = async (triggeringEventId: string) => (await spawnLog.list({ limit: 100, triggering_event_id: triggeringEventId })).items;

  it('6 days 23 hours old: no decision', async () => {
    const tick = new Date('2026-11-02T06:00:00Z');
    await events.insertEvents([sbomGenerated('fresh-repo', new Date(tick.getTime() - 6 * DAY - 23 * HOUR))], 'test');
    const result = await ticks.runTick('flag-stale-sbom', tick);
    expect(result.triggeringEventId).toBe('schedule:flag-stale-sbom:2026-11-02T06:00:00.000Z');
    expect(result.evaluated).toBe(1);
    expect(result.matched).toBe(0);
    expect(await decisionsOf(result.triggeringEventId)).toHaveLength(0);
  });

  it('7 days 1 hour old: one decision with exactly the seed payload', async () => {
    const tick = new Date('2026-11-09T06:00:00Z');
    await events.insertEvents([sbomGenerated('activity-core', new Date(tick.getTime() - 7 * DAY - HOUR))], 'test');
    const result = await ticks.runTick('flag-stale-sbom', tick);
    const rows = (await decisionsOf(result.triggeringEventId)).filter((r) => r.task_spec.target_repo === 'activity-core');
    expect(rows).toHaveLength(1);
    // The seed's payload, exactly.
    expect(rows[0].task_spec).toEqual(
      aTaskSpec({ triggering_event_id: 'schedule:flag-stale-sbom:2026-11-09T06:00:00.000Z', activity_definition_id: uuidV5('flag-stale-sbom') }),
    );
    expect(rows[0]).toMatchObject({
      source_type: 'rule',
      reason: 'condition_matched',
      condition: 'now - timestamp(event.time) > duration("168h")',
      dedupe_key: 'schedule:flag-stale-sbom:2026-11-09T06:00:00.000Z:activity-core',
      workflow_id: 'spawn/flag-stale-sbom/schedule:flag-stale-sbom:2026-11-09T06:00:00.000Z:activity-core',
      sink_type: 'null',
    });
    expect(rows[0].evaluation).toMatchObject({ subject: 'activity-core', now: '2026-11-09T06:00:00.000Z', result: true });
    expect(rows[0].definition_hash).toMatch(/^sha256:/);
  });

  it('two repositories, one stale: one decision, for that one, from the latest event of each', async () => {
    const tick = new Date('2026-11-16T06:00:00Z');
    await events.insertEvents(
      [
        sbomGenerated('repo-stale', new Date(tick.getTime() - 9 * DAY)),
        sbomGenerated('repo-current', new Date(tick.getTime() - 20 * DAY)),
        sbomGenerated('repo-current', new Date(tick.getTime() - 2 * DAY)),
        // Not after `now`: an event from the future of the tick does not count.
        sbomGenerated('repo-stale', new Date(tick.getTime() + 1 * DAY)),
      ],
      'test',
    );
    const result = await ticks.runTick('flag-stale-sbom', tick);
    const rows = await decisionsOf(result.triggeringEventId);
    const repos = rows.map((r) => r.task_spec.target_repo).sort();
    expect(repos).toContain('repo-stale');
    expect(repos).not.toContain('repo-current');
    expect(rows.filter((r) => r.task_spec.target_repo === 'repo-stale')).toHaveLength(1);
  });

  it('the same tick again decides the same way and records nothing new', async () => {
    const tick = new Date('2026-11-16T06:00:00Z');
    const before = await decisionsOf('schedule:flag-stale-sbom:2026-11-16T06:00:00.000Z');
    const again = await ticks.runTick('flag-stale-sbom', tick);
    expect(again.matched).toBe(before.length);
    expect(again.recorded).toBe(0);
    expect(await decisionsOf(again.triggeringEventId)).toHaveLength(before.length);
  });
});
