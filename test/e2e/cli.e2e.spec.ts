// The built `activity-core` command, as a rule author and a rule repository's CI run it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anEvent } from '../factories/definition';
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
