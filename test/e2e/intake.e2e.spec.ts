// Event intake over NATS JetStream and HTTP, against the real NATS, Postgres and dev server.
import { DataSource } from 'typeorm';
import { PRUNE_SCHEDULE_ID, SystemSchedulesService } from '../../src/temporal/system-schedules.service';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';

describe('event intake', () => {
  let db: TestDatabase;
  let app: RunningApp;
  const nats = new TestStream();
  const dir = new DefinitionsDir().write('sbom-failed.yaml', EVENT_RULE);
  let sql: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('intake');
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-intake',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('intake'),
        EVENT_MAX_BYTES: '4096',
        ...nats.env,
      }),
    );
    sql = app.app.get(DataSource);
    await nats.open();
    await eventually(() => nats.streamExists(), 'the service to create its stream');
  });
  afterAll(async () => {
    await app.close();
    await nats.close();
    await db.drop();
    dir.cleanup();
  });

  const count = async (query: string, params: unknown[] = []) => Number((await sql.query(query, params))[0].count);
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${app.url}/events`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('N events published, some matching: exactly the matching decisions', async () => {
    const events = Array.from({ length: 30 }, (_, i) => anEvent({ id: `n-${i}`, subject: `repo-${i}`, data: { severity: i % 3 === 0 ? 'high' : 'low' } }));
    await Promise.all(events.map((event) => nats.publish(event)));
    await eventually(async () => (await count(`SELECT count(*) FROM events WHERE id LIKE 'n-%'`)) === 30, 'all 30 events stored');
    const decided = await sql.query(`SELECT triggering_event_id FROM task_spawn_log WHERE triggering_event_id LIKE 'n-%' ORDER BY 1`);
    const expected = events
      .filter((e) => (e.data as { severity: string }).severity === 'high')
      .map((e) => e.id)
      .sort();
    expect(decided.map((r: { triggering_event_id: string }) => r.triggering_event_id)).toEqual(expected);
    await eventually(
      async () => (await count(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id LIKE 'n-%' AND status = 'emitted'`)) === expected.length,
      'the decisions to be emitted (dry-run)',
    );
  });

  it('the same event published twice, with and without Nats-Msg-Id: one stored event, one decision', async () => {
    const event = anEvent({ id: 'twice-1' });
    await nats.publish(event, { msgId: 'twice-1' });
    await nats.publish(event, { msgId: 'twice-1' }); // dropped by the stream's duplicate window
    await nats.publish(event); // delivered, recognised by (source, id)
    await nats.publish(anEvent({ id: 'after-twice' }));
    await eventually(async () => (await count(`SELECT count(*) FROM events WHERE id = 'after-twice'`)) === 1, 'the events after it');
    expect(await count(`SELECT count(*) FROM events WHERE id = 'twice-1'`)).toBe(1);
    expect(await count(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id = 'twice-1'`)).toBe(1);
  });

  it('a message that is not JSON and one that is not a CloudEvent are dead-lettered with reasons; the consumer goes on', async () => {
    await nats.publish('{not json', { subject: 'garbage' });
    await nats.publish({ id: 'no-type', source: 'x', specversion: '1.0' }, { subject: 'invalid' });
    await nats.publish('x'.repeat(5000), { subject: 'huge' });
    await nats.publish(anEvent({ id: 'after-garbage' }));
    await eventually(async () => (await count(`SELECT count(*) FROM events WHERE id = 'after-garbage'`)) === 1, 'the valid event after them');
    const letters = await sql.query(`SELECT subject, reason, convert_from(payload, 'UTF8') AS payload FROM dead_letter_events ORDER BY received_at, subject`);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: `${nats.prefix}.garbage`, reason: expect.stringMatching(/^not JSON: /), payload: '{not json' }),
        expect.objectContaining({ subject: `${nats.prefix}.invalid`, reason: 'not a valid CloudEvent: type is required' }),
        expect.objectContaining({ subject: `${nats.prefix}.huge`, reason: 'event is 5000 bytes, over the limit of 4096 (EVENT_MAX_BYTES)' }),
      ]),
    );
  });

  it('POST /events: 202 with the event id, the duplicate flag and the decisions', async () => {
    const first = await post(JSON.stringify(anEvent({ id: 'http-1' })));
    expect(first.status).toBe(202);
    const body = await jsonOf(first);
    expect(body).toMatchObject({
      event_id: 'http-1',
      duplicate: false,
      decisions: [{ source_id: 'sbom-failed', status: 'pending', dedupe_key: 'http-1@ci://builds', workflow_id: 'spawn/sbom-failed/http-1@ci://builds' }],
    });
    expect(body.decisions[0].task_spec.title).toBe('Fix SBOM for acme-api');
    const again = await jsonOf(await post(JSON.stringify(anEvent({ id: 'http-1' })), 'application/cloudevents+json'));
    expect(again).toMatchObject({ event_id: 'http-1', duplicate: true, decisions: [] });
    expect(await count(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id = 'http-1'`)).toBe(1);
  });

  it('POST /events with bad bodies: 400 naming every problem, 413 over the size limit', async () => {
    const malformed = await post('{"specversion": ');
    expect(malformed.status).toBe(400);
    expect((await jsonOf(malformed)).message[0]).toMatch(/^body is not valid JSON/);
    const missing = await post(JSON.stringify({ specversion: '0.3', time: 'yesterday', subject: 5 }));
    expect(missing.status).toBe(400);
    expect((await jsonOf(missing)).message).toEqual([
      'specversion must be "1.0"',
      'id is required',
      'source is required',
      'type is required',
      'subject must be a string',
      'time must be an RFC 3339 date-time with a zone, e.g. 2026-11-27T06:00:00Z',
    ]);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    const huge = await post(JSON.stringify(anEvent({ id: 'huge', data: { blob: 'x'.repeat(5000) } })));
    expect(huge.status).toBe(413);
    expect((await jsonOf(huge)).message[0]).toBe('body is larger than the limit of 4096 bytes');
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
  });

  it('explains a matched and a non-matched event', async () => {
    await post(JSON.stringify(anEvent({ id: 'explain-low', data: { severity: 'low' } })));
    const matched = await jsonOf(await fetch(`${app.url}/events/http-1/explain`));
    expect(matched.event).toMatchObject({ id: 'http-1', type: 'sbom.failed', subject: 'acme-api', transport: 'http' });
    expect(matched.candidates).toEqual([
      expect.objectContaining({
        key: 'sbom-failed',
        matched: true,
        reason: 'condition_matched',
        condition: 'event.data.severity == "high"',
        evaluation: expect.objectContaining({ event_id: 'http-1', subject: 'acme-api', result: true }),
        decision: expect.objectContaining({ triggering_event_id: 'http-1', source_id: 'sbom-failed' }),
      }),
    ]);
    const unmatched = await jsonOf(await fetch(`${app.url}/events/explain-low/explain`));
    expect(unmatched.candidates).toEqual([expect.objectContaining({ key: 'sbom-failed', matched: false, reason: 'condition_false', decision: null })]);
    expect((await fetch(`${app.url}/events/nope/explain`)).status).toBe(404);
  });

  it('readiness includes NATS, and /metrics counts what came in and what was decided', async () => {
    const body = await jsonOf(await fetch(`${app.url}/health/ready`));
    expect(body.details.nats).toMatchObject({ status: 'up' });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^activity_core_events_total\{transport="nats",outcome="stored"\} \d+/m);
    expect(metrics).toMatch(/^activity_core_events_total\{transport="nats",outcome="dead_letter"\} 3$/m);
    expect(metrics).toMatch(/^activity_core_decisions_total\{rule="sbom-failed",status="pending",mode="null"\} \d+/m);
    expect(metrics).toMatch(/^activity_core_emissions_total\{sink="null",outcome="emitted"\} \d+/m);
  });

  it('sets its stream and consumer up again when they are deleted under it', async () => {
    await nats.deleteStream();
    await eventually(() => nats.streamExists(), 'the service to recreate its stream', 30_000);
    await eventually(async () => (await fetch(`${app.url}/health/ready`)).status === 200, 'readiness with the new consumer', 30_000);
    await nats.publish(anEvent({ id: 'after-recreate' }));
    await eventually(async () => (await count(`SELECT count(*) FROM events WHERE id = 'after-recreate'`)) === 1, 'an event through the new consumer');
  });

  it('prunes events older than EVENT_RETENTION_DAYS from a Temporal schedule', async () => {
    await post(JSON.stringify(anEvent({ id: 'ancient' })));
    await sql.query(`UPDATE events SET received_at = now() - interval '40 days' WHERE id = 'ancient'`);
    await app.app.get(SystemSchedulesService).settled();
    await app.app.get(TemporalClientService).client.schedule.getHandle(PRUNE_SCHEDULE_ID).trigger();
    await eventually(async () => (await count(`SELECT count(*) FROM events WHERE id = 'ancient'`)) === 0, 'the old event to be pruned');
    expect(await count(`SELECT count(*) FROM events WHERE id = 'http-1'`)).toBe(1);
  });
});
