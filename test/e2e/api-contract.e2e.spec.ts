// Hostile input for every route: each gets its documented 4xx in the one error shape, never a 500.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { EventsRepository } from '../../src/events/events.repository';
import { MAX_ID_LENGTH } from '../../src/events/limits';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { expectErrorShape } from '../support/error-shape';
import { jsonOf } from '../support/http';

interface Case {
  name: string;
  method?: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** A fragment some message must contain. */
  says?: string;
  allow?: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const post = (path: string, body: string | Buffer, status: number, says?: string, headers: Record<string, string> = JSON_TYPE): Omit<Case, 'name'> => ({
  method: 'POST',
  path,
  body,
  headers,
  status,
  says,
});
const valid = anEvent({ id: 'contract-ok' });
const eventWith = (overrides: Record<string, unknown>) => JSON.stringify({ ...valid, ...overrides });
const LONG_ID = 'x'.repeat(MAX_ID_LENGTH + 1);

const BAD_TIMES = [
  '20261128T200000Z',
  '2026-W48-6',
  '2026-332',
  '2026-11-28T20Z',
  '2026-11-28T20:06:55,529Z',
  '2026-11-28',
  '2026-11-28T20:06:55',
  '2026-02-30T06:00:00Z',
  '2026-11-28T24:00:00Z',
  '2026-12-31T23:59:60Z',
  'yesterday',
];
const BAD_INTEGERS = ['abc', '0x10', '0b11', '0o7', '%201', '1e2', '1.5', '-1', '+5', '0', '201', '1_0', 'Infinity'];

const CASES: Case[] = [
  ...BAD_TIMES.map((since) => ({ name: `since=${since}`, path: `/spawn-log?since=${encodeURIComponent(since)}`, status: 400, says: 'since' })),
  ...BAD_INTEGERS.map((limit) => ({
    name: `limit=${limit}`,
    path: `/spawn-log?limit=${limit.startsWith('%') ? limit : encodeURIComponent(limit)}`,
    status: 400,
    says: 'limit must be a whole number from 1 to 200, in decimal digits',
  })),
  ...['status', 'source_id', 'triggering_event_id', 'since', 'limit', 'cursor'].map((name) => ({
    name: `empty ${name}`,
    path: `/spawn-log?${name}=`,
    status: 400,
    says: `${name} is empty`,
  })),
  { name: 'repeated limit', path: '/spawn-log?limit=1&limit=2', status: 400, says: 'limit is given more than once' },
  { name: 'repeated source_id', path: '/spawn-log?source_id=a&source_id=b', status: 400, says: 'source_id is given more than once' },
  { name: 'unknown parameter', path: '/spawn-log?sourceId=a', status: 400, says: 'sourceId is not a parameter' },
  { name: 'nested parameter', path: '/spawn-log?limit[a]=1', status: 400 },
  { name: 'id over the bound', path: `/spawn-log?triggering_event_id=${LONG_ID}`, status: 400, says: `at most ${MAX_ID_LENGTH}` },
  { name: 'blank id', path: '/spawn-log?source_id=%20%20', status: 400, says: 'non-blank' },
  { name: 'NUL in an id', path: '/spawn-log?source_id=%00', status: 400, says: 'source_id contains the NUL character' },
  { name: 'explain, NUL in the id', path: '/events/a%00b/explain', status: 400, says: 'id contains the NUL character' },
  { name: 'explain, NUL in the source', path: '/events/a/explain?source=%00', status: 400, says: 'source contains the NUL character' },
  { name: 'bad status', path: '/spawn-log?status=done', status: 400, says: 'status must be one of' },
  { name: 'bad cursor', path: '/spawn-log?cursor=garbage', status: 400, says: 'cursor' },
  { name: 'malformed decision id', path: '/spawn-log/not-a-uuid', status: 400, says: 'id must be a uuid' },
  { name: 'undecodable path', path: '/spawn-log/%E0%A4%A', status: 400 },
  { name: 'unknown decision', path: '/spawn-log/00000000-0000-4000-8000-000000000000', status: 404 },
  { name: 'unknown event', path: '/events/nope/explain', status: 404, says: 'no stored event' },
  { name: 'explain, repeated source', path: '/events/nope/explain?source=a&source=b', status: 400, says: 'source is given more than once' },
  { name: 'explain, empty source', path: '/events/nope/explain?source=', status: 400, says: 'source is empty' },
  { name: 'explain, unknown parameter', path: '/events/nope/explain?src=a', status: 400, says: 'src is not a parameter' },
  { name: 'explain, id over the bound', path: `/events/${LONG_ID}/explain`, status: 400, says: `at most ${MAX_ID_LENGTH}` },
  { name: 'explain, ambiguous id', path: '/events/shared-id/explain', status: 409, says: 'several sources' },
  { name: 'unknown definition', path: '/definitions/nope', status: 404, says: 'no definition with key nope' },
  { name: 'unknown route', path: '/nowhere', status: 404 },

  { name: 'events: text/plain', ...post('/events', JSON.stringify(valid), 415, 'text/plain', { 'content-type': 'text/plain' }) },
  { name: 'events: form', ...post('/events', 'a=1', 415, 'application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }) },
  { name: 'events: batch type', ...post('/events', '[]', 415, undefined, { 'content-type': 'application/cloudevents-batch+json' }) },
  { name: 'events: bad charset', ...post('/events', JSON.stringify(valid), 415, 'charset', { 'content-type': 'application/json; charset=latin-9' }) },
  { name: 'events: unknown encoding', ...post('/events', JSON.stringify(valid), 415, 'encoding', { ...JSON_TYPE, 'content-encoding': 'zstd-x' }) },
  {
    name: 'events: broken gzip',
    ...post('/events', Buffer.from('not gzip at all'), 400, 'body could not be read', { ...JSON_TYPE, 'content-encoding': 'gzip' }),
  },
  { name: 'events: empty body', ...post('/events', '', 400, 'body is empty') },
  { name: 'events: {}', ...post('/events', '{}', 400, 'specversion is required') },
  { name: 'events: 5', ...post('/events', '5', 400, 'valid JSON but a number, not an object') },
  { name: 'events: null', ...post('/events', 'null', 400, 'valid JSON but null, not an object') },
  { name: 'events: "str"', ...post('/events', '"str"', 400, 'valid JSON but a string, not an object') },
  { name: 'events: array', ...post('/events', '[1]', 400, 'valid JSON but an array, not an object') },
  { name: 'events: malformed', ...post('/events', '{"specversion": ', 400, 'body is not valid JSON') },
  { name: 'events: too large', ...post('/events', eventWith({ data: { blob: 'x'.repeat(5000) } }), 413, 'larger than the limit') },
  { name: 'events: empty subject', ...post('/events', eventWith({ subject: '' }), 400, 'subject must be non-empty') },
  { name: 'events: blank id', ...post('/events', eventWith({ id: '   ' }), 400, 'id must be a non-blank string') },
  { name: 'events: id over the bound', ...post('/events', eventWith({ id: 'y'.repeat(MAX_ID_LENGTH + 1) }), 400, `longer than ${MAX_ID_LENGTH} bytes`) },
  { name: 'events: 30 February', ...post('/events', eventWith({ time: '2026-02-30T06:00:00Z' }), 400, 'not a calendar date') },
  { name: 'events: hour 24', ...post('/events', eventWith({ time: '2026-11-28T24:00:00Z' }), 400, 'time') },
  { name: 'events: gzip of a scalar', ...post('/events', gzipSync('7'), 400, 'a number, not an object', { ...JSON_TYPE, 'content-encoding': 'gzip' }) },

  { name: 'test: unknown rule', ...post('/definitions/nope/test', JSON.stringify({ event: valid }), 404) },
  { name: 'test: text/plain', ...post('/definitions/sbom-failed/test', JSON.stringify({ event: valid }), 415, undefined, { 'content-type': 'text/plain' }) },
  { name: 'test: no event', ...post('/definitions/sbom-failed/test', '{}', 400, 'event is required') },
  { name: 'test: event 5', ...post('/definitions/sbom-failed/test', '{"event": 5}', 400, 'event must be a JSON object') },
  { name: 'test: body 5', ...post('/definitions/sbom-failed/test', '5', 400, 'body must be a JSON object') },
  { name: 'test: empty body', ...post('/definitions/sbom-failed/test', '', 400, 'body must be a JSON object') },
  { name: 'test: basic-format now', ...post('/definitions/sbom-failed/test', JSON.stringify({ event: valid, now: '20261130T060000Z' }), 400, 'now must be') },
  { name: 'test: numeric now', ...post('/definitions/sbom-failed/test', JSON.stringify({ event: valid, now: 5 }), 400, 'now must be') },
  { name: 'test: unknown field', ...post('/definitions/sbom-failed/test', JSON.stringify({ event: valid, at: 'x' }), 400, 'at is not a field') },

  { name: 'DELETE /spawn-log', method: 'DELETE', path: '/spawn-log', status: 405, allow: 'GET, HEAD' },
  { name: 'OPTIONS /events', method: 'OPTIONS', path: '/events', status: 405, allow: 'POST' },
  { name: 'GET /events', path: '/events', status: 405, allow: 'POST' },
  { name: 'PUT /definitions/x', method: 'PUT', path: '/definitions/x', status: 405, allow: 'GET, HEAD' },
  { name: 'PATCH explain', method: 'PATCH', path: '/events/x/explain', status: 405, allow: 'GET, HEAD' },
  { name: 'GET a test', path: '/definitions/x/test', status: 405, allow: 'POST' },
  { name: 'POST /metrics', method: 'POST', path: '/metrics', status: 405, allow: 'GET, HEAD' },
];

describe('the HTTP API under hostile input', () => {
  let db: TestDatabase;
  let app: RunningApp;
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml').write('sbom-failed.yaml', EVENT_RULE);

  beforeAll(async () => {
    db = await createTestDatabase('api_contract');
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        EVENT_MAX_BYTES: '4096',
        TEMPORAL_NAMESPACE: 'ac-contract',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('contract'),
      }),
    );
    await app.app.get(EventsRepository).insertEvents([anEvent({ id: 'shared-id', source: 'a' }), anEvent({ id: 'shared-id', source: 'b' })], 'test');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    dir.cleanup();
  });

  const send = (c: Pick<Case, 'method' | 'path' | 'body' | 'headers'>) =>
    fetch(`${app.url}${c.path}`, { method: c.method ?? 'GET', headers: c.headers, body: typeof c.body === 'object' ? new Uint8Array(c.body) : c.body });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await send(c);
    const body = await jsonOf(response);
    expect({ status: response.status, body }).toMatchObject({ status: c.status });
    expectErrorShape(c.status, body, c.name);
    if (c.says) expect(body.message.join(' | ')).toContain(c.says);
    if (c.allow) expect(response.headers.get('allow')).toBe(c.allow);
  });

  it('accepts the bounds themselves: an id of exactly the bound, limit 1 and 200, an offset time', async () => {
    for (const path of [
      `/spawn-log?triggering_event_id=${'x'.repeat(MAX_ID_LENGTH)}`,
      '/spawn-log?limit=1',
      '/spawn-log?limit=200',
      '/spawn-log?since=2026-11-28T20:06:55.529%2B01:00',
    ]) {
      expect([path, (await send({ path })).status]).toEqual([path, 200]);
    }
    const long = anEvent({ id: 'z'.repeat(MAX_ID_LENGTH), data: {} });
    const stored = await send({ method: 'POST', path: '/events', headers: JSON_TYPE, body: JSON.stringify(long) });
    expect(stored.status).toBe(202);
    // What intake accepts, the lookups find.
    const found = await jsonOf(await send({ path: `/spawn-log?triggering_event_id=${long.id}` }));
    expect(found.items).toHaveLength(0);
    expect((await send({ path: `/events/${long.id}/explain` })).status).toBe(200);
  });

  it('property: any query on the read routes is a 200 or a 400 in the error shape, never a 500', async () => {
    const names = ['source_id', 'triggering_event_id', 'status', 'since', 'limit', 'cursor', 'source', 'x'];
    const values = fc.oneof(
      fc.string(),
      fc.constantFrom(...BAD_TIMES, ...BAD_INTEGERS, '2026-11-28T20:00:00Z', '50', 'pending', '', ' ', '%', '%zz', '\u0000'),
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    const query = fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 4 });
    const route = fc.constantFrom('/spawn-log', '/events/contract-ok/explain', '/events/shared-id/explain');
    await fc.assert(
      fc.asyncProperty(route, query, async (path, pairs) => {
        const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const response = await send({ path: `${path}${search ? `?${search}` : ''}` });
        const body = await response.json();
        if (![200, 400, 404, 409].includes(response.status)) throw new Error(`${response.status} for ${path}?${search}: ${JSON.stringify(body)}`);
        if (response.status !== 200) expectErrorShape(response.status, body, `${path}?${search}`);
      }),
      { numRuns: 150 },
    );
  });
});
