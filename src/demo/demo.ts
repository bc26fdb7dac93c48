// `npm run demo`, once the service answers: seeds sample sbom.generated events (some stale, some
// fresh), fires the flag-stale-sbom schedule now, waits for its tick's decisions to be emitted,
// and prints them with their references and the console URL.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/config';
import { ruleScheduleId } from '../rules/schedule-reconciler.service';
import type { ScheduleTickResult } from '../temporal/activity-contracts';

const RULE = 'flag-stale-sbom';
const DAY_MS = 86_400_000;
const SAMPLES = [
  { subject: 'acme-api', ageMs: 12 * DAY_MS, stale: true },
  { subject: 'acme-web', ageMs: 9 * DAY_MS, stale: true },
  { subject: 'acme-worker', ageMs: 2 * DAY_MS, stale: false },
  { subject: 'acme-docs', ageMs: 3 * 3_600_000, stale: false },
];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const base = `http://127.0.0.1:${config.http.port}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.http.apiToken) headers.authorization = `Bearer ${config.http.apiToken}`;
  const api = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };

  await until('the service to be ready', 10 * 60_000, async () => ((await fetch(`${base}/health/ready`)).ok ? true : undefined));
  const run = Date.now().toString(36);
  say(`Seeding ${SAMPLES.length} sbom.generated events:`);
  for (const sample of SAMPLES) {
    const time = new Date(Date.now() - sample.ageMs).toISOString();
    await api('/events', {
      specversion: '1.0',
      id: `demo-${run}-${sample.subject}`,
      source: 'demo://activity-core',
      type: 'sbom.generated',
      subject: sample.subject,
      time,
      data: {},
    });
    say(`  ${sample.subject.padEnd(12)} SBOM of ${time} (${sample.stale ? 'stale: older than a week' : 'fresh'})`);
  }

  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const schedule = client.schedule.getHandle(ruleScheduleId(RULE));
    const before = await until(`the schedule ${ruleScheduleId(RULE)}`, 60_000, async () => (await schedule.describe()).info.recentActions.length);
    say(`\nFiring the ${RULE} schedule now (${ruleScheduleId(RULE)})...`);
    await schedule.trigger();
    const action = await until('the tick to start', 60_000, async () => (await schedule.describe()).info.recentActions.slice(before).at(-1)?.action);
    const tick = (await client.workflow.getHandle(action.workflow.workflowId).result()) as ScheduleTickResult;
    const path = `/spawn-log?source_id=${RULE}&triggering_event_id=${encodeURIComponent(tick.triggeringEventId)}&limit=200`;
    const rows = await until('the decisions to be emitted', 120_000, async () => {
      const page = (await api(path)) as { items: Array<Record<string, string>> };
      return page.items.length >= tick.matched && page.items.every((row) => row.status !== 'pending') ? page.items : undefined;
    });
    say(`Tick ${tick.triggeringEventId}: ${tick.evaluated} subject(s) evaluated, ${tick.matched} matched.\n`);
    say('Decisions (dry-run: nothing reached issue-core):');
    for (const row of rows.sort((a, b) => a.dedupe_key.localeCompare(b.dedupe_key))) {
      say(`  ${String((row.task_spec as unknown as { target_repo: string }).target_repo).padEnd(12)} ${row.status.padEnd(8)} ${row.task_ref}  id ${row.id}`);
    }
    say(`\nSee them in the console: http://localhost:${config.http.port}/console`);
  } finally {
    await connection.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
