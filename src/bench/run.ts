// `npm run bench`: speed as ratios against a baseline measured in the same run, on this machine.
// Rule stage: one event against 1,000 event definitions.
//   ceiling  = a Map lookup by type, then the bare CEL work a match needs: the condition and the
//              four template expressions of the task, compiled once, evaluated straight;
//   ours     = the rule stage as the service runs it (index, evaluateRule, task spec, dedupe key);
//   linear   = the same evaluation over every definition, as without the index.
import { performance } from 'node:perf_hooks';
import { parseDefinition } from '../rules/definition.parser';
import type { ActivityDefinition } from '../rules/definition.types';
import { evaluateRule } from '../rules/evaluate';
import { RuleIndex } from '../rules/rule-index';
import { benchSpawnKeys } from './spawn-keys.bench';

const DEFINITIONS = 1_000;

function definition(i: number): ActivityDefinition {
  const yaml = `key: rule-${i}
trigger: { event: { type: type.${i} } }
condition: 'event.data.severity == "high" && event.subject != ""'
task:
  title: "Fix {{ event.subject }}"
  target_repo: "{{ event.subject }}"
  labels: [auto, "{{ event.data.severity }}"]
`;
  const result = parseDefinition(`bench/rule-${i}.yaml`, yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
}

/** Operations per second of `work`, best of five one-second-ish rounds. */
function opsPerSecond(work: () => void): number {
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 300) {
      for (let i = 0; i < 200; i++) work();
      n += 200;
    }
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return best;
}

function main(): void {
  const definitions = Array.from({ length: DEFINITIONS }, (_, i) => definition(i));
  const index = new RuleIndex(definitions);
  const celByType = new Map(
    definitions.map((d) => {
      const task = definition(0).task;
      const expressions = [task.title, task.target_repo, ...task.labels].map((t) => t.value.bind(t));
      return [(d.trigger as { type: string }).type, { condition: d.condition, expressions }];
    }),
  );
  const event = { specversion: '1.0', id: 'e1', source: 'bench', type: 'type.500', subject: 'acme-api', data: { severity: 'high' } };
  const now = new Date('2026-11-27T06:00:00Z');
  let sink = 0;

  const ceiling = opsPerSecond(() => {
    const cel = celByType.get(event.type);
    if (cel?.condition.evaluate({ event, now })) for (const value of cel.expressions) if (value({ event, now })) sink++;
  });
  const ours = opsPerSecond(() => {
    for (const d of index.candidates(event.type)) if (evaluateRule(d, { event, now, triggeringEventId: event.id }).matched) sink++;
  });
  const linear = opsPerSecond(() => {
    for (const d of definitions) if (evaluateRule(d, { event: { ...event, type: (d.trigger as { type: string }).type }, now, triggeringEventId: event.id }).matched) sink++;
  });

  const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} events/s`;
  process.stdout.write(
    [
      `rule stage, one event against ${DEFINITIONS} definitions (sink ${sink > 0 ? 'ok' : 'empty'})`,
      `  ceiling (type lookup + bare CEL of a match): ${fmt(ceiling)}`,
      `  rule stage (index + evaluate + task spec):  ${fmt(ours)}  = ${((ours / ceiling) * 100).toFixed(1)}% of the ceiling (target >= 25%)`,
      `  without the index (every rule evaluated):   ${fmt(linear)}  = the index is ${(ours / linear).toFixed(0)}x faster`,
      '',
    ].join('\n'),
  );
  process.stdout.write(benchSpawnKeys());
}

main();
