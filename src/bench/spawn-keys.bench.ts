// What live mode adds per decision before any I/O: the workflow id, the Idempotency-Key and the mode
// check (emitterFor the row's sink_type). Measured against one dry-run reference (a SHA-256), the
// least work a spawn does, in the same run.
import { performance } from 'node:perf_hooks';
import { deriveNullReference } from '../emission/reference';
import { createSinkSelector } from '../emission/sink.factory';
import type { IssueCoreClient } from '../emission/issue-core.client';
import { loadConfig } from '../config/config';
import { deriveIdempotencyKey, deriveWorkflowId } from '../rules/workflow-id';

function nsPerOp(work: (i: number) => unknown): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const n = 200_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) work(i);
    best = Math.min(best, ((performance.now() - start) * 1e6) / n);
  }
  return best;
}

export function benchSpawnKeys(): string {
  const config = loadConfig({ ISSUE_SINK_TYPE: 'rest', ISSUE_CORE_URL: 'http://127.0.0.1:9', NATS_URL: '' });
  const selector = createSinkSelector(config.sink, {} as IssueCoreClient);
  const tick = 'schedule:weekly:2026-11-30T06:00:00.000Z';
  let sink = 0;
  const baseline = nsPerOp((i) => (sink += deriveNullReference(`spawn/weekly/${tick}:repo-${i}`).length));
  const ascii = nsPerOp((i) => {
    const id = deriveWorkflowId('weekly', `${tick}:repo-${i}`);
    sink += deriveIdempotencyKey(id).length + (selector.emitterFor(i % 2 ? 'rest' : 'null') ? 1 : 0);
  });
  const encoded = nsPerOp((i) => {
    const id = deriveWorkflowId('weekly', `${tick}:日本/repo-${i}`);
    sink += deriveIdempotencyKey(id).length + (selector.emitterFor('rest') ? 1 : 0);
  });
  const fmt = (ns: number) => `${ns.toFixed(0)} ns`;
  return [
    `spawn keys and mode check, per decision (sink ${sink > 0 ? 'ok' : 'empty'})`,
    `  baseline: one dry-run reference (SHA-256):       ${fmt(baseline)}`,
    `  readable id + key + mode check (ASCII):          ${fmt(ascii)}  = ${(ascii / baseline).toFixed(2)}x the baseline`,
    `  encoded key + mode check (non-ASCII subject):    ${fmt(encoded)}  = ${(encoded / baseline).toFixed(2)}x the baseline`,
    '',
  ].join('\n');
}
