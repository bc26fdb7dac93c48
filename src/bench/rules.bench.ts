// Rule stage: one event against 1,000 event definitions, in this process (CPU only).
//   ceiling  = a Map lookup by type, then the bare CEL work a match needs: the condition and the
//              four template expressions of the task, compiled once, evaluated straight;
//   ours     = the rule stage as the service runs it (index, evaluateRule, task spec, dedupe key);
//   linear   = the same evaluation over every definition, as without the index.
import { performance } from 'node:perf_hooks';
import { parseDefinition } from '../rules/definition.parser';
import type { ActivityDefinition } from '../rules/definition.types';
import { evaluateRule } from '../rules/evaluate';
import { RuleIndex } from '../rules/rule-index';
import type { CloudEvent } from '../events/cloud-event';
import { benchEvent, definitionYaml, DEFINITIONS, EVENT_TYPE } from './bench-fixtures';

export interface RulesRun {
  ceiling: number;
  ours: number;
  linear: number;
}

function definition(i: number): ActivityDefinition {
  const result = parseDefinition(`bench/rule-${i}.yaml`, definitionYaml(i));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
}

/** Operations per second of `work`, best of five rounds of `roundMs` (batches grow while fast). */
function opsPerSecond(work: () => void, roundMs: number): number {
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    let batch = 1;
    const start = performance.now();
    while (performance.now() - start < roundMs) {
      const batchStart = performance.now();
      for (let i = 0; i < batch; i++) work();
      n += batch;
      if (performance.now() - batchStart < 1) batch = Math.min(batch * 2, 200);
    }
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return best;
}

export function measureRuleStage(roundMs: number): RulesRun {
  const definitions = Array.from({ length: DEFINITIONS }, (_, i) => definition(i));
  const index = new RuleIndex(definitions);
  const celByType = new Map(
    definitions.map((d) => {
      const task = d.task;
      const expressions = [task.title, task.target_repo, ...task.labels].map((t) => t.value.bind(t));
      return [(d.trigger as { type: string }).type, { condition: d.condition, expressions }];
    }),
  );
  const event = benchEvent('bench', 'e1', 'high') as unknown as CloudEvent;
  const now = new Date('2026-11-27T06:00:00Z');
  const context = { event: event as unknown as Record<string, unknown>, now };
  let sink = 0;

  const ceiling = opsPerSecond(() => {
    const cel = celByType.get(EVENT_TYPE);
    if (cel?.condition.evaluate(context)) for (const value of cel.expressions) if (value(context)) sink++;
  }, roundMs);
  const ours = opsPerSecond(() => {
    for (const d of index.candidates(event.type)) if (evaluateRule(d, { event, now, triggeringEventId: event.id }).matched) sink++;
  }, roundMs);
  const linear = opsPerSecond(() => {
    for (const d of definitions)
      if (evaluateRule(d, { event: { ...event, type: (d.trigger as { type: string }).type }, now, triggeringEventId: event.id }).matched) sink++;
  }, roundMs);
  if (sink === 0) throw new Error('the rule stage matched nothing: the bench measures the wrong path');
  return { ceiling, ours, linear };
}
