// The built `activity-core` command, as a rule author and a rule repository's CI run it.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { IssueCoreClient } from '../../src/emission/issue-core.client';
import { createSinkSelector } from '../../src/emission/sink.factory';
import { EventsRepository } from '../../src/events/events.repository';
import { MetricsService } from '../../src/metrics/metrics.service';
import { DecisionRecorder } from '../../src/rules/decision-recorder.service';
import { evaluateRule } from '../../src/rules/evaluate';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import { testConfig } from '../factories/config';
import { aDefinition, anEvent, EVENT_RULE } from '../factories/definition';
import { createTestDatabase, openMigratedDataSource, TestDatabase } from '../support/database';
import { FakeIssueCore } from '../support/fake-issue-core';
import { BUILT_CLI } from '../support/build';
import { DefinitionsDir } from '../support/definitions-dir';

describe('activity-core CLI', () => {
  const dir = new DefinitionsDir().withShipped('flag-stale-sbom.yaml');
  const eventFile = join(dir.path, 'event.json');

  beforeAll(() => {
    writeFileSync(eventFile, JSON.stringify(anEvent({ id: 'sbom-7', type: 'sbom.generated', subject: 'acme-api', time: '2026-11-20T06:00:00Z' })));
  });
  afterAll(() => dir.cleanup());

  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DEFINITIONS_DIR: dir.path, NATS_URL: '' },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('introduces itself as activity-core, in its help and in a command’s', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: activity-core \[options\] \[command\]$/m);
    expect(help.stdout).toMatch(/^ +preflight /m);
    const command = cli('definitions', 'test', '--help');
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/^Usage: activity-core definitions test /m);
  });

  it('definitions test: a match prints the inputs and the rendered spec, and exits 0', () => {
    const sut = cli('definitions', 'test', 'flag-stale-sbom', '--event', eventFile, '--now', '2026-11-30T06:00:00Z');
    expect(sut.code).toBe(0);
    const report = JSON.parse(sut.stdout);
    expect(report).toMatchObject({
      matched: true,
      reason: 'condition_matched',
      evaluation: { event_id: 'sbom-7', subject: 'acme-api', time: '2026-11-20T06:00:00Z', now: '2026-11-30T06:00:00.000Z', result: true },
      task_spec: { title: 'Run SBOM rescan for acme-api', target_repo: 'acme-api', labels: ['sbom', 'security', 'automated'] },
    });
  });

  it('definitions test: a non-match says why and exits 1', () => {
    const sut = cli('definitions', 'test', 'flag-stale-sbom', '--event', eventFile, '--now', '2026-11-21T06:00:00Z');
    expect(sut.code).toBe(1);
    expect(JSON.parse(sut.stdout)).toMatchObject({ matched: false, reason: 'condition_false', task_spec: null });
  });

  it('definitions test: an invalid rule, event or time exits 2 naming the problem', () => {
    dir.write('broken.yaml', "key: broken\ntrigger: { event: { type: x } }\ncondition: 'evnt.a'\ntask: { title: t, target_repo: r }\n");
    const rule = cli('definitions', 'test', 'broken', '--event', eventFile);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain("condition: undeclared reference to 'evnt' at 1:1");

    const badEvent = join(dir.path, 'bad-event.json');
    writeFileSync(badEvent, JSON.stringify({ id: 'x', type: 'sbom.generated' }));
    const event = cli('definitions', 'test', 'flag-stale-sbom', '--event', badEvent);
    expect(event.code).toBe(2);
    expect(event.stderr).toContain('source is required');

    expect(cli('definitions', 'test', 'flag-stale-sbom', '--event', eventFile, '--now', 'monday').code).toBe(2);
    expect(cli('definitions', 'test', 'no-such-rule', '--event', eventFile).code).toBe(2);
    dir.remove('broken.yaml');
  });

  it('definitions validate: exit 0 when all load, 1 naming the refused file', () => {
    const ok = cli('definitions', 'validate');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 loaded, 0 refused');
    dir.write('broken.yaml', "key: broken\ntrigger: { event: { type: x } }\ncondition: 'evnt.a'\ntask: { title: t, target_repo: r }\n");
    const refused = cli('definitions', 'validate');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refused .*broken\.yaml: condition: undeclared reference to 'evnt' at 1:1/);
    dir.remove('broken.yaml');
  });

  it('refuses a bad environment with exit 2 naming the variable', () => {
    const result = spawnSync(process.execPath, [BUILT_CLI, 'definitions', 'validate'], { env: { PATH: process.env.PATH ?? '', PORT: 'x' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT');
  });
});

describe('activity-core preflight and replay', () => {
  const dir = new DefinitionsDir().write('sbom-failed.yaml', EVENT_RULE);
  const issueCore = new FakeIssueCore();
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('cli');
    dataSource = await openMigratedDataSource(db);
    issueCore.token = 'preflight-token';
    await issueCore.start();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  // Asynchronous: the loopback issue-core lives in this process and must keep answering.
  const run = (env: Record<string, string>, ...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BUILT_CLI, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          DEFINITIONS_DIR: dir.path,
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
          NATS_URL: 'nats://127.0.0.1:4222',
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const live = (token: string) => ({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: issueCore.url, ISSUE_CORE_TOKEN: token });

  it('preflight prints a verdict per check and exits 0 when all pass', async () => {
    const sut = await run(live('preflight-token'), 'preflight');
    expect(sut.code).toBe(0);
    expect(sut.stdout).toMatch(/^ok +postgres/m);
    expect(sut.stdout).toMatch(/^ok +temporal/m);
    expect(sut.stdout).toMatch(/^ok +nats/m);
    expect(sut.stdout).toMatch(/^ok +issue-core .*credentials accepted/m);
    expect(sut.stdout).toContain('all checks passed');
  });

  it('preflight exits 1 naming rejected credentials, without printing the token', async () => {
    const sut = await run(live('wrong-token'), 'preflight');
    expect(sut.code).toBe(1);
    expect(sut.stdout).toMatch(/^FAIL +issue-core +credentials rejected: issue-core answered 401/m);
    expect(sut.stdout + sut.stderr).not.toContain('wrong-token');
  });

  it('preflight --verify-idempotency creates one labelled canary for two requests with one key', async () => {
    const before = issueCore.issues.size;
    const sut = await run(live('preflight-token'), 'preflight', '--verify-idempotency');
    expect(sut.code).toBe(0);
    expect(sut.stdout).toMatch(/^ok +idempotency +one canary issue ISS-\d+ for two requests with one key/m);
    expect(issueCore.issues.size).toBe(before + 1);
    const canary = [...issueCore.issues.values()].pop();
    expect(canary?.payload).toMatchObject({ title: '[activity-core preflight] canary task: safe to close', labels: ['activity-core-preflight', 'canary'] });
    expect(issueCore.creations.filter((r) => r.headers['idempotency-key'] === canary?.idempotencyKey)).toHaveLength(2);
  });

  it('replay prints the decisions a rule change would add and remove, and writes nothing', async () => {
    const config = testConfig({ DATABASE_URL: db.url, DEFINITIONS_DIR: dir.path });
    const spawnLog = new SpawnLogRepository(dataSource);
    const recorder = new DecisionRecorder(spawnLog, createSinkSelector(config.sink, new IssueCoreClient(config.issueCore)), new MetricsService());
    const rule = aDefinition(EVENT_RULE);
    const events = [anEvent({ id: 'r-high', data: { severity: 'high' } }), anEvent({ id: 'r-low', data: { severity: 'low' } })];
    await new EventsRepository(dataSource).insertEvents(events, 'test');
    const drafts = events.flatMap((event) => {
      const outcome = evaluateRule(rule, { event, now: new Date(), triggeringEventId: event.id });
      return outcome.matched ? [outcome.decision] : [];
    });
    await dataSource.transaction((manager) => recorder.record(drafts, manager));
    const rowsBefore = (await spawnLog.list({ limit: 100 })).items.length;

    expect((await run({}, 'replay', '--since', '2000-01-01T00:00:00Z')).stdout).toContain('0 decision(s) would be new, 0 would no longer happen, 1 unchanged');
    dir.edit('sbom-failed.yaml', (yaml) => yaml.replace('== "high"', '== "low"'));
    const sut = await run({}, 'replay', '--since', '2000-01-01T00:00:00Z');
    expect(sut.code).toBe(0);
    expect(sut.stdout).toMatch(/^\+ sbom-failed {2}r-low@ci:\/\/builds {2}"Fix SBOM for acme-api" {2}\(would be new\)$/m);
    expect(sut.stdout).toMatch(/^- sbom-failed {2}r-high@ci:\/\/builds {2}\(row [0-9a-f-]{36}, pending: condition no longer holds\)$/m);
    expect(sut.stdout).toContain('2 stored event(s) since 2000-01-01T00:00:00.000Z: 1 decision(s) would be new, 1 would no longer happen, 0 unchanged');
    expect((await spawnLog.list({ limit: 100 })).items.length).toBe(rowsBefore);
    expect((await run({}, 'replay')).code).toBe(2);
  });
});
