// /docs-json is the contract: a valid OpenAPI 3 document, and every real answer (status and body)
// is one it documents. Also: intake rejections and HTTP requests are counted.
import { MAX_ID_LENGTH } from '../../src/events/limits';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DataSource } from 'typeorm';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { aDecision } from '../factories/decision';
import { anEvent, EVENT_RULE } from '../factories/definition';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { expectErrorShape } from '../support/error-shape';
import { jsonOf } from '../support/http';
import { schemaProblems } from '../support/openapi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the served OpenAPI document is walked as untyped JSON
type Doc = any;

const ROUTES = [
  '/health/live',
  '/health/ready',
  '/events',
  '/events/{id}/explain',
  '/definitions',
  '/definitions/{key}',
  '/definitions/{key}/test',
  '/spawn-log',
  '/spawn-log/{id}',
  '/metrics',
  '/console/api/overview',
  '/console/api/rules/{key}/chart',
];

describe('the OpenAPI document is the contract', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let raw: Doc;
  let doc: Doc;
  let decisionId: string;
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml').write('sbom-failed.yaml', EVENT_RULE);

  beforeAll(async () => {
    db = await createTestDatabase('openapi');
    app = await startApp(
      testConfig({
        DATABASE_URL: db.url,
        DEFINITIONS_DIR: dir.path,
        EVENT_MAX_BYTES: '4096',
        TEMPORAL_NAMESPACE: 'ac-openapi',
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('openapi'),
      }),
    );
    decisionId = (await new SpawnLogRepository(app.app.get(DataSource)).recordDecision(aDecision({ dedupe_key: 'openapi-1' }))).row.id;
    raw = await jsonOf(await fetch(`${app.url}/docs-json`));
    doc = await SwaggerParser.dereference(structuredClone(raw));
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    dir.cleanup();
  });

  it('is a valid OpenAPI 3 document with every route, typed parameters, both event content types and an opaque bearer token', async () => {
    await expect(SwaggerParser.validate(structuredClone(raw))).resolves.toBeDefined();
    expect(raw.openapi).toMatch(/^3\./);
    expect(Object.keys(raw.paths).sort()).toEqual([...ROUTES].sort());
    expect(raw.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(raw.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
    expect(Object.keys(doc.paths['/events'].post.requestBody.content).sort()).toEqual(['application/cloudevents+json', 'application/json']);
    const params = Object.fromEntries(doc.paths['/spawn-log'].get.parameters.map((p: Doc) => [p.name, p.schema]));
    expect(params.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(params.since).toMatchObject({ type: 'string', format: 'date-time' });
    expect(params.triggering_event_id).toMatchObject({ type: 'string', maxLength: MAX_ID_LENGTH });
    expect(doc.paths['/spawn-log/{id}'].get.parameters[0].schema).toMatchObject({ format: 'uuid' });
    expect(doc.paths['/metrics'].get.responses['200'].content['text/plain']).toBeDefined();
    // Every operation documents a success schema and its errors in the shared shape.
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      for (const [method, operation] of Object.entries<Doc>(item)) {
        const success = Object.keys(operation.responses).filter((s) => s.startsWith('2'));
        expect([path, method, success.length > 0]).toEqual([path, method, true]);
        for (const status of success) expect([path, status, Object.keys(operation.responses[status].content ?? {}).length > 0]).toEqual([path, status, true]);
        for (const [status, answer] of Object.entries<Doc>(operation.responses)) {
          if (Number(status) >= 400 && path !== '/health/ready')
            expect(answer.content['application/json'].schema.required).toEqual(['statusCode', 'error', 'message']);
        }
      }
    }
  });

  const event = anEvent({ id: 'openapi-ev' });
  const calls: Array<{ method: string; route: string; path: string; body?: unknown; type?: string; token?: boolean }> = [
    { method: 'get', route: '/health/live', path: '/health/live' },
    { method: 'get', route: '/health/ready', path: '/health/ready' },
    { method: 'post', route: '/events', path: '/events', body: event },
    { method: 'post', route: '/events', path: '/events', body: event, type: 'application/cloudevents+json' },
    { method: 'post', route: '/events', path: '/events', body: { specversion: '1.0' } },
    { method: 'post', route: '/events', path: '/events', body: 'text', type: 'text/plain' },
    { method: 'post', route: '/events', path: '/events', body: { ...event, id: 'big', data: 'x'.repeat(5000) } },
    { method: 'get', route: '/events/{id}/explain', path: '/events/openapi-ev/explain' },
    { method: 'get', route: '/events/{id}/explain', path: '/events/missing/explain' },
    { method: 'get', route: '/events/{id}/explain', path: '/events/openapi-ev/explain?nope=1' },
    { method: 'get', route: '/definitions', path: '/definitions' },
    { method: 'get', route: '/definitions/{key}', path: '/definitions/flag-stale-sbom' },
    { method: 'get', route: '/definitions/{key}', path: '/definitions/missing' },
    {
      method: 'post',
      route: '/definitions/{key}/test',
      path: '/definitions/flag-stale-sbom/test',
      body: { event: { ...event, type: 'sbom.generated' }, now: '2026-11-30T06:00:00Z' },
    },
    { method: 'post', route: '/definitions/{key}/test', path: '/definitions/sbom-failed/test', body: { event: { id: 'x' } } },
    { method: 'post', route: '/definitions/{key}/test', path: '/definitions/sbom-failed/test', body: { now: 'x' } },
    { method: 'post', route: '/definitions/{key}/test', path: '/definitions/missing/test', body: { event } },
    { method: 'get', route: '/spawn-log', path: '/spawn-log?limit=1' },
    { method: 'get', route: '/spawn-log', path: '/spawn-log?limit=0x10' },
    { method: 'get', route: '/spawn-log/{id}', path: '/spawn-log/DECISION' },
    { method: 'get', route: '/spawn-log/{id}', path: '/spawn-log/00000000-0000-4000-8000-000000000000' },
    { method: 'get', route: '/spawn-log/{id}', path: '/spawn-log/nope' },
    { method: 'get', route: '/metrics', path: '/metrics' },
  ];

  it.each(calls.map((c) => [`${c.method.toUpperCase()} ${c.path} ${c.type ?? ''}`, c] as const))('answers %s as documented', async (_name, c) => {
    const response = await fetch(`${app.url}${c.path.replace('DECISION', decisionId)}`, {
      method: c.method.toUpperCase(),
      headers: c.body === undefined ? {} : { 'content-type': c.type ?? 'application/json' },
      body: c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    });
    const documented = doc.paths[c.route][c.method].responses[String(response.status)];
    expect([c.path, response.status, documented !== undefined]).toEqual([c.path, response.status, true]);
    const [mediaType] = Object.keys(documented.content);
    expect(response.headers.get('content-type')).toContain(mediaType);
    const body = mediaType === 'text/plain' ? await response.text() : await jsonOf(response);
    expect(schemaProblems(documented.content[mediaType].schema, body)).toEqual([]);
    if (response.status >= 400 && c.route !== '/health/ready') expectErrorShape(response.status, body);
  });

  it('counts one of each intake rejection by transport and reason, and requests by route template, method and status class', async () => {
    const scrape = async () => (await fetch(`${app.url}/metrics`)).text();
    const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
    const rejection = (reason: string) => `activity_core_intake_rejections_total{transport="http",reason="${reason}"}`;
    const before = await scrape();
    const send = (body: string, type = 'application/json') => fetch(`${app.url}/events`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await send('{}')).status).toBe(400);
    expect((await send(JSON.stringify({ ...event, data: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await send('{}', 'text/plain')).status).toBe(415);
    const after = await scrape();
    for (const reason of ['invalid', 'too_large', 'unsupported_media_type'])
      expect([reason, value(after, rejection(reason)) - value(before, rejection(reason))]).toEqual([reason, 1]);
    expect(value(after, rejection('storage_refused'))).toBe(value(before, rejection('storage_refused')));
    expect(value(after, 'activity_core_intake_rejections_total{transport="nats",reason="invalid"}')).toBe(0);
    const requests = (route: string, method: string, statusClass: string) =>
      `activity_core_http_requests_total{route="${route}",method="${method}",status_class="${statusClass}"}`;
    expect(value(after, requests('/events', 'POST', '4xx')) - (value(before, requests('/events', 'POST', '4xx')) || 0)).toBeGreaterThanOrEqual(1);
    expect(value(after, requests('/spawn-log/:id', 'GET', '2xx'))).toBeGreaterThanOrEqual(1);
    // Paths no route answers share one label, whatever they are.
    await fetch(`${app.url}/random-${Date.now()}`);
    expect(value(await scrape(), requests('unmatched', 'GET', '4xx'))).toBeGreaterThanOrEqual(1);
    expect(await scrape()).not.toMatch(/route="\/random-/);
  });
});
