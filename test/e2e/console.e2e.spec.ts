/// <reference lib="dom" />
// The console in a real browser (Debian's headless Chromium): rules, counts, the chart, a
// decision's audit record, held and failed, API_TOKEN, no console error, a screenshot.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SpawnLogRepository } from '../../src/spawn-log/spawn-log.repository';
import type { TaskSpawnLog } from '../../src/spawn-log/task-spawn-log.entity';
import { ScheduleReconciler } from '../../src/rules/schedule-reconciler.service';
import { TemporalClientService } from '../../src/temporal/temporal-client.service';
import { testConfig, uniqueTaskQueue } from '../factories/config';
import { EVENT_RULE } from '../factories/definition';
import { SeededDecision, seedDecision } from '../factories/seeded-decision';
import { RunningApp, startApp } from '../support/app';
import { launchChromium, openWatchedPage, TEST_OUTPUT } from '../support/browser';
import { createTestDatabase, TestDatabase } from '../support/database';
import { DefinitionsDir } from '../support/definitions-dir';
import { FakeIssueCore } from '../support/fake-issue-core';

const SEEDS: SeededDecision[] = [
  { rule: 'sbom-failed', key: 'live-1', status: 'emitted', sink: 'rest', hoursAgo: 1 },
  { rule: 'sbom-failed', key: 'live-2', status: 'emitted', sink: 'rest', hoursAgo: 3 },
  { rule: 'sbom-failed', key: 'live-3', status: 'emitted', sink: 'rest', hoursAgo: 30 },
  {
    rule: 'sbom-failed',
    key: 'live-failed',
    status: 'failed',
    sink: 'rest',
    hoursAgo: 2,
    error: 'issue-core answered 422 for sbom-failed/live-failed: {"detail":"missing target_repo"}',
  },
  { rule: 'sbom-failed', key: 'live-held', status: 'pending', sink: 'rest', hoursAgo: 4, error: 'live emission held: issue-core unreachable: ECONNREFUSED' },
  { rule: 'sbom-failed', key: 'dry-early', status: 'emitted', sink: 'null', hoursAgo: 1.5 },
  { rule: 'flag-stale-sbom', key: 'stale-1', status: 'emitted', sink: 'null', hoursAgo: 5 },
  { rule: 'flag-stale-sbom', key: 'stale-2', status: 'emitted', sink: 'null', hoursAgo: 5 },
  { rule: 'flag-stale-sbom', key: 'stale-limited', status: 'suppressed', sink: 'null', hoursAgo: 50 },
];

describe('the console in headless Chromium', () => {
  let db: TestDatabase;
  const dir = new DefinitionsDir()
    .withShipped('flag-stale-sbom.yaml')
    .write('sbom-failed.yaml', EVENT_RULE)
    .write('broken.yaml', 'key: broken\ntrigger: { event: { type: x } }\ncondition: "evnt.subject == 1"\ntask: { title: t, target_repo: r, priority: low }\n');
  const issueCore = new FakeIssueCore();
  let app: RunningApp;
  let browser: Browser;
  const rows = new Map<string, TaskSpawnLog>();

  const config = (extra: Record<string, string> = {}) =>
    testConfig({
      DATABASE_URL: db.url,
      DEFINITIONS_DIR: dir.path,
      TEMPORAL_NAMESPACE: 'ac-console',
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('console'),
      ISSUE_SINK_TYPE: 'rest',
      ISSUE_CORE_URL: issueCore.url,
      ISSUE_SINK_LIVE_RULES: 'sbom-failed',
      TEMPORAL_UI_URL: 'http://temporal-ui.invalid:8233',
      ...extra,
    });

  beforeAll(async () => {
    db = await createTestDatabase('console');
    await issueCore.start();
    app = await startApp(config());
    await app.app.get(TemporalClientService).whenConnected();
    await app.app.get(ScheduleReconciler).settled();
    const repository = app.app.get(SpawnLogRepository);
    for (const seed of SEEDS) rows.set(seed.key, await seedDecision(repository['dataSource'], repository, seed));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await issueCore.stop();
    await db.drop();
    dir.cleanup();
  });

  it('shows rules, counts, the chart, a decision’s audit record, and held and failed, with no console error', async () => {
    const { page, errors } = await openWatchedPage(browser);
    await page.goto(`${app.url}/console`);
    await page.locator('#rules tbody tr').first().waitFor();

    const ruleRow = (key: string) => page.locator(`#rules tbody tr[data-rule="${key}"]`);
    expect(await page.locator('#rules tbody tr').count()).toBe(2);
    expect(await ruleRow('flag-stale-sbom').locator('.trigger').textContent()).toMatch(/^cron "0 6 \* \* 1" UTC, next \d{4}-\d\d-\d\d 06:00:00Z$/);
    expect(await ruleRow('flag-stale-sbom').locator('.badge').textContent()).toBe('dry-run');
    expect(await ruleRow('sbom-failed').locator('.badge').textContent()).toBe('canary');
    expect(await ruleRow('sbom-failed').locator('.trigger').textContent()).toBe('event sbom.failed');
    const counts = async (key: string, column: number) => ruleRow(key).locator(`td:nth-child(${column}) span`).allTextContents();
    expect(await counts('sbom-failed', 6)).toEqual(['emitted 3', 'failed 1', 'pending 1']);
    expect(await counts('sbom-failed', 7)).toEqual(['emitted 4', 'failed 1', 'pending 1']);
    expect(await counts('flag-stale-sbom', 6)).toEqual(['emitted 2']);
    expect(await counts('flag-stale-sbom', 7)).toEqual(['emitted 2', 'suppressed 1']);
    expect(await page.locator('#refused li').allTextContents()).toEqual([expect.stringMatching(/broken\.yaml condition: undeclared reference to 'evnt'/)]);

    // The chart: 24 hourly bars, dry-run and live stacked; then 7 daily bars.
    await ruleRow('sbom-failed').click();
    await page.locator('#chart svg[data-rule="sbom-failed"][data-range="24h"]').waitFor();
    const bars = page.locator('#chart g.bar');
    expect(await bars.count()).toBe(24);
    const total = async (attribute: string) =>
      (await bars.evaluateAll((nodes, name) => nodes.map((n) => Number(n.getAttribute(name))), attribute)).reduce((a, b) => a + b, 0);
    expect(await total('data-live')).toBe(4);
    expect(await total('data-dry-run')).toBe(1);
    expect(await page.locator('#chart circle[data-status="failed"]').count()).toBe(1);
    expect(await page.locator('#chart circle[data-status="pending"]').count()).toBe(1);
    await page.selectOption('#chart-range', '7d');
    await page.locator('#chart svg[data-rule="sbom-failed"][data-range="7d"]').waitFor();
    expect(await bars.count()).toBe(7);
    expect(await total('data-live')).toBe(5);

    // Held and failed, oldest first, each with its reason.
    const waiting = page.locator('#waiting tbody tr');
    expect(await waiting.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')))).toEqual([rows.get('live-held')?.id, rows.get('live-failed')?.id]);
    expect(await waiting.nth(0).locator('td.why').textContent()).toBe('live emission held: issue-core unreachable: ECONNREFUSED');
    expect(await waiting.nth(1).locator('td.why').textContent()).toContain('issue-core answered 422');

    // Decisions filtered to live, then one opened: its payload is the row's task_spec.
    await page.selectOption('#filter-mode', 'rest');
    await page.waitForFunction(() => document.querySelectorAll('#decisions tbody tr').length === 5);
    const newest = rows.get('live-1') as TaskSpawnLog;
    expect(await page.locator('#decisions tbody tr').first().getAttribute('data-id')).toBe(newest.id);
    await page.locator('#decisions tbody tr').first().click();
    await page.locator('#detail:not([hidden])').waitFor();
    expect(JSON.parse((await page.locator('#detail-payload').textContent()) as string)).toEqual(newest.task_spec);
    expect(await page.locator('dd[data-field="reference"] a').getAttribute('href')).toBe('https://issues.example/ISS-live-1');
    expect(await page.locator('dd[data-field="workflow"] a').getAttribute('href')).toBe(
      `http://temporal-ui.invalid:8233/namespaces/ac-console/workflows/${encodeURIComponent(newest.workflow_id)}`,
    );
    expect(await page.locator('#detail-condition').textContent()).toBe(newest.condition);
    await page.screenshot({ path: join(TEST_OUTPUT, 'console.png'), fullPage: true });

    // A narrow screen: nothing wider than the viewport but the scrolling tables.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(TEST_OUTPUT, 'console-narrow.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('with API_TOKEN set, the data is refused without the token and shown with it', async () => {
    const guarded = await startApp(config({ API_TOKEN: 'console-secret-token' }));
    try {
      expect((await fetch(`${guarded.url}/console/api/overview`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/spawn-log`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/console`)).status).toBe(200);
      const { page, errors } = await openWatchedPage(browser);
      await page.goto(`${guarded.url}/console`);
      await page.locator('#token-form:not([hidden])').waitFor();
      expect(await page.locator('#content').isHidden()).toBe(true);
      expect(await page.locator('#rules tbody tr').count()).toBe(0);

      await page.fill('#token-input', 'not-the-token');
      await page.click('#token-form button[type="submit"]');
      await page.locator('#token-message', { hasText: 'The token was refused' }).waitFor();
      expect(await page.locator('#content').isHidden()).toBe(true);

      await page.fill('#token-input', 'console-secret-token');
      await page.click('#token-form button[type="submit"]');
      await page.locator('#rules tbody tr').first().waitFor();
      expect(await page.locator('#rules tbody tr').count()).toBe(2);
      // Kept for the session: a reload does not ask again.
      await page.reload();
      await page.locator('#rules tbody tr').first().waitFor();
      expect(await page.locator('#token-form').isHidden()).toBe(true);
      // The refused attempt is the only error the browser logged (its 401), and nothing else.
      expect(errors).toEqual([expect.stringContaining('401')]);
    } finally {
      await guarded.close();
    }
  });
});
