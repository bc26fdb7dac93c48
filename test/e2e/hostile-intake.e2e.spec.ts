// Hostile input never stalls, drops or merges good work: poison over NATS and HTTP, two sources
// with one id, rendered specs that break the payload contract, forwarded requests without API_TOKEN.
import { DataSource } from 'typeorm';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { jsonOf } from '../support/http';
import { TestStream } from '../support/nats';
import { eventually } from '../support/poll';

/** A rule whose spec and key come from the event, so a sender can break the payload contract. */
const FROM_EVENT_RULE = `
key: from-event
trigger: { event: { type: task.requested } }
condition: 'true'
task:
  title: "{{ event.data.title }}"
  target_repo: "{{ event.data.repo }}"
  priority: "{{ event.data.priority }}"
dedupe_key: "{{ event.data.key }}"
`;

/** Postgres refusing a value of its own accord (a check the validator cannot know), and a race that never ends. */
const POISON_TRIGGER = `
CREATE FUNCTION refuse_poison() RETURNS trigger AS $$
BEGIN
  IF NEW.id LIKE 'db-poison-%' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; END IF;
  IF NEW.id LIKE 'tx-poison-%' THEN RAISE EXCEPTION 'always busy' USING ERRCODE = '40001'; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison();`;

describe('hostile input', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: DataSource;
  const nats = new TestStream();
  const dir = new DefinitionsDir().write('sbom-failed.yaml', EVENT_RULE).write('from-event.yaml', FROM_EVENT_RULE);

  beforeAll(async () => {
    db = await createTestDatabase('hostile');
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        TEMPORAL_NAMESPACE: 'ac-hostile',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('hostile'),
        NATS_MAX_DELIVER: '3',
        ...nats.env,
      }),
    );
    sql = app.app.get(DataSource);
    await sql.query(POISON_TRIGGER);
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
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** Each kind of poison, as the raw bytes a sender would publish. */
  const POISON: Record<string, string | Uint8Array> = {
    'not-json': '{"specversion": "1.0", ',
    'bad-utf8': new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    nul: JSON.stringify(anEvent({ id: 'p-nul', data: { severity: 'high', note: 'a\u0000b' } })),
    surrogate: JSON.stringify(anEvent({ id: 'p-surrogate', subject: 'repo-\ud800' })),
    deep: JSON.stringify({ ...anEvent({ id: 'p-deep' }), data: 'DEEP' }).replace('"DEEP"', '['.repeat(3000) + ']'.repeat(3000)),
    'long-id': JSON.stringify(anEvent({ id: 'x'.repeat(300) })),
    'bad-time': JSON.stringify(anEvent({ id: 'p-time', time: '2026-02-30T06:00:00Z' })),
    'huge-number': JSON.stringify(anEvent({ id: 'p-number', data: { severity: 'high', n: 'BIG' } })).replace('"BIG"', '1e999'),
    'db-refused': JSON.stringify(anEvent({ id: 'db-poison-1' })),
    'never-stored': JSON.stringify(anEvent({ id: 'tx-poison-1' })),
  };

  it('over NATS: every valid event of a poisoned burst is stored and decided promptly; every poison is dead-lettered', async () => {
    const valid = Array.from({ length: 30 }, (_, i) => anEvent({ id: `burst-${i}`, subject: `repo-${i}` }));
    const kinds = Object.keys(POISON);
    for (let i = 0; i < valid.length; i++) {
      await nats.publish(valid[i]);
      if (i % 3 === 0 && kinds[i / 3]) await nats.publish(POISON[kinds[i / 3]], { subject: `poison.${kinds[i / 3]}` });
    }
    const decided = () => count(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id LIKE 'burst-%'`);
    await eventually(async () => (await decided()) === 30, 'all 30 valid events decided', 20_000);
    expect(await count(`SELECT count(*) FROM events WHERE id LIKE 'burst-%'`)).toBe(30);

    const letters = await eventually(
      async () => {
        const rows: Array<{ subject: string; reason: string }> = await sql.query(`SELECT subject, reason FROM dead_letter_events WHERE subject LIKE $1`, [
          `${nats.prefix}.poison.%`,
        ]);
        return rows.length === kinds.length ? rows : undefined;
      },
      'every poison message dead-lettered',
      30_000,
    );
    const reasonOf = (kind: string) => letters.find((l) => l.subject === `${nats.prefix}.poison.${kind}`)?.reason;
    expect(reasonOf('not-json')).toMatch(/^not JSON/);
    expect(reasonOf('nul')).toContain('data.note contains the NUL character');
    expect(reasonOf('surrogate')).toContain('subject contains a lone UTF-16 surrogate');
    expect(reasonOf('deep')).toContain('is nested deeper than 64 levels');
    expect(reasonOf('long-id')).toContain('id is longer than 256 bytes');
    expect(reasonOf('bad-time')).toContain('time is not a calendar date');
    expect(reasonOf('huge-number')).toContain('data.n is a number out of range');
    expect(reasonOf('db-refused')).toBe('not storable: Postgres refused it: error (SQLSTATE 22023)');
    expect(reasonOf('never-stored')).toMatch(
      /^last of 3 deliveries \(NATS_MAX_DELIVER\) and still not stored: Postgres refused it: serialization failure \(SQLSTATE 40001\)/,
    );
    // The raw bytes are kept, whatever they were.
    const [raw] = await sql.query(`SELECT encode(payload, 'hex') AS hex FROM dead_letter_events WHERE subject = $1`, [`${nats.prefix}.poison.bad-utf8`]);
    expect(raw.hex).toBe('7bfffe7d');
    await eventually(async () => (await nats.consumerState()).ackPending === 0, 'nothing left unacknowledged');
  });

  it('over HTTP: each kind of hostile event answers 400 or 202, never 5xx, and readiness stays 200', async () => {
    for (const [kind, body] of Object.entries(POISON)) {
      if (kind === 'never-stored') continue; // a race that never ends is a 503 "retry later" by design
      const response = await post(typeof body === 'string' ? body : Buffer.from(body).toString('latin1'));
      expect({ kind, status: response.status }).toEqual({ kind, status: 400 });
      const answer = JSON.stringify(await jsonOf(response));
      expect(answer).not.toMatch(/refused by the test|QueryFailedError/);
    }
    expect((await post(anEvent({ id: 'http-ok' }))).status).toBe(202);
    const ready = await fetch(`${app.url}/health/ready`);
    // The body names the failing check, should there be one.
    expect({ status: ready.status, body: ready.status === 200 ? '' : await ready.text() }).toEqual({ status: 200, body: '' });
  });

  it('two sources sending one id are two decisions, each shown its own by the 202 answer and explain', async () => {
    const a = await jsonOf(await post(anEvent({ id: '42', source: 'ci://a' })));
    const b = await jsonOf(await post(anEvent({ id: '42', source: 'ci://b' })));
    expect(b.duplicate).toBe(false);
    expect(a.decisions).toEqual([expect.objectContaining({ dedupe_key: '42@ci://a' })]);
    expect(b.decisions).toEqual([expect.objectContaining({ dedupe_key: '42@ci://b' })]);
    expect(a.decisions[0].id).not.toBe(b.decisions[0].id);
    expect(await count(`SELECT count(*) FROM task_spawn_log WHERE triggering_event_id = '42'`)).toBe(2);
    const explained = await jsonOf(await fetch(`${app.url}/events/42/explain?source=ci://b`));
    expect(explained.candidates[0].decision).toMatchObject({ id: b.decisions[0].id });
    expect(explained.other_decisions).toEqual([]);
  });

  it('id a:b with key c and id a with key b:c are two decisions', async () => {
    const request = (id: string, key: string) => ({
      ...anEvent({ id, type: 'task.requested' }),
      data: { title: 'Fix it', repo: 'acme-api', priority: 'low', key },
    });
    const first = await jsonOf(await post(request('a:b', 'c')));
    const second = await jsonOf(await post(request('a', 'b:c')));
    expect(first.decisions[0].dedupe_key).not.toBe(second.decisions[0].dedupe_key);
    expect(await count(`SELECT count(*) FROM task_spawn_log WHERE source_id = 'from-event' AND triggering_event_id IN ('a:b', 'a')`)).toBe(2);
  });

  it('rendered specs that break the payload contract are recorded invalid with the reason; nothing reaches the sink', async () => {
    const broken = {
      'inv-title': { title: '', repo: 'acme-api', priority: 'low', key: 'k' },
      'inv-priority': { title: 'Fix it', repo: 'acme-api', priority: 'urgent', key: 'k' },
      'inv-key': { title: 'Fix it', repo: 'acme-api', priority: 'low', key: '' },
    };
    for (const [id, data] of Object.entries(broken)) {
      const answer = await jsonOf(await post({ ...anEvent({ id, type: 'task.requested' }), data }));
      expect(answer.decisions).toEqual([expect.objectContaining({ status: 'invalid', reason: 'invalid_task_spec' })]);
    }
    const rows: Array<{ triggering_event_id: string; status: string; error: string; workflow_id: string }> = await sql.query(
      `SELECT triggering_event_id, status, error, workflow_id FROM task_spawn_log WHERE triggering_event_id LIKE 'inv-%' ORDER BY 1`,
    );
    expect(rows.map((r) => [r.triggering_event_id, r.status, r.error])).toEqual([
      ['inv-key', 'invalid', 'dedupe_key renders empty'],
      ['inv-priority', 'invalid', 'priority "urgent" is not one of low, medium, high, critical'],
      ['inv-title', 'invalid', 'title renders empty'],
    ]);
    const explained = await jsonOf(await fetch(`${app.url}/events/inv-title/explain`));
    expect(explained.candidates[0]).toMatchObject({
      matched: true,
      reason: 'invalid_task_spec',
      error: 'title renders empty',
      decision: { status: 'invalid' },
    });
    // Never emitted: no spawn workflow exists for them, and the rows stay invalid.
    await app.app.get(TemporalClientService).whenConnected();
    for (const row of rows) {
      await expect(app.app.get(TemporalClientService).client.workflow.getHandle(row.workflow_id).describe()).rejects.toThrow();
    }
    const listed = await jsonOf(await fetch(`${app.url}/spawn-log?status=invalid`));
    expect(listed.items.map((r: { triggering_event_id: string }) => r.triggering_event_id).sort()).toEqual(['inv-key', 'inv-priority', 'inv-title']);
  });

  it('without API_TOKEN, a request forwarded by a local proxy is not a loopback caller', async () => {
    for (const header of ['Forwarded', 'X-Forwarded-For', 'X-Real-IP']) {
      const response = await fetch(`${app.url}/spawn-log`, { headers: { [header]: 'for=203.0.113.7' } });
      expect({ header, status: response.status }).toEqual({ header, status: 403 });
    }
    expect((await fetch(`${app.url}/spawn-log`)).status).toBe(200);
    expect((await fetch(`${app.url}/health/ready`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200);
  });
});
