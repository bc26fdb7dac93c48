import { parseDefinition } from '../../src/rules/definition.parser';
import type { ActivityDefinition } from '../../src/rules/definition.types';
import type { CloudEvent } from '../../src/events/cloud-event';

/** A definition from YAML text, failing the test when it does not load. */
export function aDefinition(yaml: string, file = 'definitions/test.yaml'): ActivityDefinition {
  const result = parseDefinition(file, yaml);
  if (!result.ok) throw new Error(`definition did not load: ${JSON.stringify(result.errors)}`);
  return result.definition;
}

export const EVENT_RULE = `
key: sbom-failed
trigger: { event: { type: sbom.failed } }
condition: 'event.data.severity == "high"'
task:
  title: "Fix SBOM for {{ event.subject }}"
  target_repo: "{{ event.subject }}"
  priority: high
  labels: [sbom, "{{ event.data.severity }}"]
`;

export function anEvent(overrides: Partial<CloudEvent> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: 'ci://builds',
    type: 'sbom.failed',
    subject: 'acme-api',
    time: '2026-11-20T06:00:00Z',
    data: { severity: 'high' },
    ...overrides,
  };
}
