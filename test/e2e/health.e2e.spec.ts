import { testConfig } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { FakeIssueCore } from '../support/fake-issue-core';
import { jsonOf } from '../support/http';
import { eventually } from '../support/poll';
import { TcpProxy } from '../support/tcp-proxy';

async function ready(url: string) {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: await jsonOf(response) };
}

describe('health', () => {
  let db: TestDatabase;
  const issueCore = new FakeIssueCore();
  const postgres = new TcpProxy('127.0.0.1', 5432);
  let sut: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase('health');
    await issueCore.start();
    await postgres.start();
    issueCore.token = 'good-token';
    const proxied = new URL(db.url);
    proxied.port = String(postgres.port);
    sut = await startApp(
      testConfig({
        DATABASE_URL: proxied.toString(),
        ISSUE_SINK_TYPE: 'rest',
        ISSUE_CORE_URL: issueCore.url,
        ISSUE_CORE_TOKEN: 'good-token',
        ISSUE_CORE_TIMEOUT_MS: '1000',
      }),
    );
    await eventually(async () => (await ready(sut.url)).status === 200, 'first readiness');
  });
  afterAll(async () => {
    await sut.close();
    await issueCore.stop();
    await postgres.stop();
    await db.drop();
  });

  it('answers live with no dependencies', async () => {
    const response = await fetch(`${sut.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when Postgres is up and issue-core is reachable and accepts the credentials', async () => {
    const { status, body } = await ready(sut.url);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.details.postgres.status).toBe('up');
    expect(body.details['issue-core']).toMatchObject({ status: 'up', reachable: true, credentials: 'accepted' });
  });

  it('is 503 naming issue-core while issue-core is down, and ready again once it is back', async () => {
    await issueCore.stop();
    const down = await ready(sut.url);
    expect(down.status).toBe(503);
    expect(down.body.error['issue-core']).toMatchObject({ status: 'down', reachable: false });
    expect(down.body.error['issue-core'].reason).toContain('issue-core unreachable');
    expect(down.body.details.postgres.status).toBe('up');
    await issueCore.start();
    await eventually(async () => (await ready(sut.url)).status === 200, 'readiness once issue-core is back');
  });

  it('is 503 saying the credentials were rejected when issue-core answers 401', async () => {
    issueCore.token = 'another-token';
    try {
      const { status, body } = await ready(sut.url);
      expect(status).toBe(503);
      expect(body.error['issue-core']).toMatchObject({ status: 'down', reachable: true, credentials: 'rejected' });
      expect(body.error['issue-core'].reason).toBe('credentials rejected: issue-core answered 401');
      expect(JSON.stringify(body)).not.toContain('good-token');
    } finally {
      issueCore.token = 'good-token';
    }
    await eventually(async () => (await ready(sut.url)).status === 200, 'readiness once the credentials are accepted');
  });

  it('reports Postgres unreachable as such, and recovers', async () => {
    postgres.cut();
    try {
      const { status, body } = await ready(sut.url);
      expect(status).toBe(503);
      expect(body.error.postgres.status).toBe('down');
      expect(body.error.postgres.reason).toMatch(/postgres unreachable/i);
    } finally {
      postgres.restore();
    }
    await eventually(async () => (await ready(sut.url)).status === 200, 'readiness after Postgres returns');
  });
});
