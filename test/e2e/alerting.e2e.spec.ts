// The shipped alert rules and dashboard, against promtool and the service's real /metrics.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { testConfig } from '../factories/config';
import { RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { exposedNames, headingAnchor, metricNamesIn } from '../support/promql';

const ROOT = join(__dirname, '..', '..');
const RULES = join(ROOT, 'deploy', 'prometheus', 'activity-core.rules.yml');
const RULE_TESTS = join(ROOT, 'deploy', 'prometheus', 'activity-core.rules.test.yml');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'activity-core.json');
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

interface AlertRule {
  alert: string;
  expr: string;
  annotations: { summary?: string; runbook?: string };
}

function alertRules(file: string): AlertRule[] {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: Array<{ rules: AlertRule[] }> };
  return doc.groups.flatMap((group) => group.rules);
}

function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

/** Names read by `exprs` that `exposed` lacks. */
const missing = (exprs: string[], exposed: Set<string>) => [...new Set(exprs.flatMap(metricNamesIn))].filter((name) => !exposed.has(name)).sort();

function promtool(...args: string[]) {
  if (!existsSync(PROMTOOL)) throw new Error(`promtool not found at ${PROMTOOL}: install Debian's prometheus package (.ci/run does)`);
  return spawnSync(PROMTOOL, args, { encoding: 'utf8', cwd: join(ROOT, 'deploy', 'prometheus') });
}

describe('metric names in PromQL', () => {
  it.each([
    ['max(activity_core_ready) > 0', ['activity_core_ready']],
    ['sum by (rule, mode) (increase(activity_core_decisions_total{status="pending"}[1h]))', ['activity_core_decisions_total']],
    ['time() - max by (rule) (a_seconds) > max by (rule) (b_seconds) + 900', ['a_seconds', 'b_seconds']],
    ['x unless sum(rate(y_count{outcome!="emitted"}[10m])) > 0 and on (job) z', ['x', 'y_count', 'z']],
    ['histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))', ['h_bucket']],
  ])('%s reads %j', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('alert rules and dashboard against the service', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let exposed: Set<string>;

  beforeAll(async () => {
    db = await createTestDatabase('alerting');
    app = await startApp(testConfig({ DATABASE_URL: db.url }));
    exposed = exposedNames(await (await fetch(`${app.url}/metrics`)).text());
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('promtool check rules passes', () => {
    const result = promtool('check', 'rules', RULES);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('promtool test rules passes: every alert is tested firing and not firing', () => {
    const result = promtool('test', 'rules', RULE_TESTS);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test);
    for (const { alert } of alertRules(RULES)) {
      expect({ alert, fires: cases.some((c) => c.alertname === alert && c.exp_alerts.length > 0) }).toEqual({ alert, fires: true });
      expect({ alert, quiet: cases.some((c) => c.alertname === alert && c.exp_alerts.length === 0) }).toEqual({ alert, quiet: true });
    }
  });

  it('every metric the alert rules read is exposed by /metrics', () => {
    const rules = alertRules(RULES);
    expect(rules.length).toBeGreaterThanOrEqual(7);
    for (const rule of rules) expect({ alert: rule.alert, reads: metricNamesIn(rule.expr).length > 0 }).toEqual({ alert: rule.alert, reads: true });
    expect(
      missing(
        rules.map((r) => r.expr),
        exposed,
      ),
    ).toEqual([]);
  });

  it('a rule reading a metric the service does not expose is caught', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ac-rules-'));
    const broken = join(dir, 'broken.rules.yml');
    writeFileSync(broken, readFileSync(RULES, 'utf8').replace('max(activity_core_held_live_decisions) > 0', 'max(activity_core_held_live_decision) > 0'));
    expect(promtool('check', 'rules', broken).status).toBe(0); // valid PromQL: only the name is wrong
    expect(
      missing(
        alertRules(broken).map((r) => r.expr),
        exposed,
      ),
    ).toEqual(['activity_core_held_live_decision']);
  });

  it('every alert has a summary and a runbook line pointing to a README section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((m) => headingAnchor(m[1])));
    for (const rule of alertRules(RULES)) {
      expect(rule.annotations.summary).toEqual(expect.any(String));
      const anchor = /^README\.md#(.+)$/.exec(rule.annotations.runbook ?? '')?.[1];
      expect({ alert: rule.alert, anchor, found: anchor !== undefined && anchors.has(anchor) }).toEqual({ alert: rule.alert, anchor, found: true });
    }
  });

  it('the Grafana dashboard parses and queries only metrics the service exposes', () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    expect(missing(exprs, exposed)).toEqual([]);
  });
});
