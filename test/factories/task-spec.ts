import type { TaskSpec } from '../../src/rules/task-spec';

/** The seed payload of SPEC §1 (flag-stale-sbom for activity-core), with overrides. */
export function aTaskSpec(overrides: Partial<TaskSpec> = {}): TaskSpec {
  return {
    title: 'Run SBOM rescan for activity-core',
    description: '',
    target_repo: 'activity-core',
    priority: 'medium',
    labels: ['sbom', 'security', 'automated'],
    due_in_days: null,
    source_type: 'rule',
    source_id: 'flag-stale-sbom',
    triggering_event_id: 'evt-1',
    activity_definition_id: '8f0c8a52-6d5e-5b3e-9c1a-0f1e2d3c4b5a',
    ...overrides,
  };
}
