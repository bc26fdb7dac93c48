import { DataSource } from 'typeorm';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { testConfig } from '../factories/config';
import { aDecision } from '../factories/decision';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { jsonOf } from '../support/http';

describe('admin API', () => {
  let db: TestDatabase;
  let sut: RunningApp;
  let decisionId: string;

  beforeAll(async () => {
    db = await createTestDatabase('admin_api');
    sut = await startApp(testConfig({ DATABASE_URL: db.url, API_TOKEN: 'admin-secret' }));
    const repository = new SpawnLogRepository(sut.app.get(DataSource));
    decisionId = (await repository.recordDecision(aDecision({ dedupe_key: 'api-1' }))).row.id;
  });
  afterAll(async () => {
    await sut.close();
    await db.drop();
  });

  const get = (path: string, token?: string) => fetch(`${sut.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('answers 401 without the token, and with a wrong one', async () => {
    expect((await get('/spawn-log')).status).toBe(401);
    expect((await get('/spawn-log', 'admin-secreT')).status).toBe(401);
    expect((await get(`/spawn-log/${decisionId}`)).status).toBe(401);
  });

  it('answers 200 with the token', async () => {
    const response = await get('/spawn-log', 'admin-secret');
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body.items.map((row: { id: string }) => row.id)).toEqual([decisionId]);
    expect(body.next_cursor).toBeNull();
  });

  it('returns one decision with its audit record, 404 for an unknown id, 400 for a malformed one', async () => {
    const row = await jsonOf(await get(`/spawn-log/${decisionId}`, 'admin-secret'));
    expect(row).toMatchObject({ id: decisionId, source_id: 'flag-stale-sbom', status: 'pending', condition: 'true', definition_hash: 'sha256:test' });
    expect(row.task_spec.title).toBe('Run SBOM rescan for activity-core');
    expect((await get('/spawn-log/00000000-0000-4000-8000-000000000000', 'admin-secret')).status).toBe(404);
    const bad = await get('/spawn-log/not-a-uuid', 'admin-secret');
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).message).toEqual(['id must be a uuid']);
  });

  it('answers 400 naming a bad since, limit, status or cursor', async () => {
    const response = await get('/spawn-log?since=yesterday&limit=500&status=done', 'admin-secret');
    expect(response.status).toBe(400);
    const { message } = await jsonOf(response);
    expect(message).toEqual(expect.arrayContaining([expect.stringContaining('since'), expect.stringContaining('limit'), expect.stringContaining('status')]));
    const cursor = await get('/spawn-log?cursor=garbage', 'admin-secret');
    expect(cursor.status).toBe(400);
    expect((await jsonOf(cursor)).message[0]).toContain('cursor');
  });

  it('keeps health, metrics and docs open without the token', async () => {
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(200);
    expect((await get('/docs')).status).toBe(200);
    const spec = await jsonOf(await get('/docs-json'));
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/spawn-log', '/spawn-log/{id}', '/health/ready']));
  });
});
