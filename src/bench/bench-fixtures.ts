// The rules and events every benchmark uses: 1,000 event definitions, one per type, and
// CloudEvents that match one of them (severity high) or are evaluated against it and do not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFINITIONS = 1_000;
/** The type of the bench's events: one candidate rule among the 1,000. */
export const EVENT_TYPE = 'type.500';

export function definitionYaml(i: number): string {
  return `key: rule-${i}
trigger: { event: { type: type.${i} } }
condition: 'event.data.severity == "high" && event.subject != ""'
task:
  title: "Fix {{ event.subject }}"
  target_repo: "{{ event.subject }}"
  labels: [auto, "{{ event.data.severity }}"]
`;
}

/** A definitions folder with the 1,000 rules, as a service reads it. */
export function writeDefinitions(dir: string, count = DEFINITIONS): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `rule-${i}.yaml`), definitionYaml(i));
  return dir;
}

export function benchEvent(source: string, id: string, severity: 'high' | 'low'): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source,
    type: EVENT_TYPE,
    subject: 'acme-api',
    time: '2026-11-27T06:00:00Z',
    datacontenttype: 'application/json',
    data: { severity },
  };
}
