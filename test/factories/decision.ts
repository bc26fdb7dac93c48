import type { NewDecision } from '../../src/spawn-log/spawn-log.repository';
import { aTaskSpec } from './task-spec';

export const DEFINITION_ID = '8f0c8a52-6d5e-5b3e-9c1a-0f1e2d3c4b5a';

export function aDecision(overrides: Partial<NewDecision> = {}): NewDecision {
  const dedupeKey = overrides.dedupe_key ?? 'evt-1';
  return {
    activity_definition_id: DEFINITION_ID,
    source_id: 'flag-stale-sbom',
    triggering_event_id: 'evt-1',
    dedupe_key: dedupeKey,
    condition: 'true',
    definition_hash: 'sha256:test',
    reason: 'condition_matched',
    evaluation: { event_id: 'evt-1', subject: 'acme', time: '2026-11-20T00:00:00Z', now: '2026-11-27T00:00:00Z', result: true },
    task_spec: aTaskSpec(),
    sink_type: 'null',
    workflow_id: `spawn/flag-stale-sbom/${dedupeKey}`,
    status: 'pending',
    ...overrides,
  };
}
