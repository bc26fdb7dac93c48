// The exact payload issue-core receives (SPEC §1): ten fields, no more. A rule renders it, the
// spawn log keeps it and a sink sends it, so it lives with the rules, below the other two.
export interface TaskSpec {
  title: string;
  description: string;
  target_repo: string;
  priority: string;
  labels: string[];
  due_in_days: number | null;
  source_type: 'rule';
  source_id: string;
  triggering_event_id: string;
  activity_definition_id: string;
}

export const TASK_SPEC_FIELDS: ReadonlyArray<keyof TaskSpec> = [
  'title',
  'description',
  'target_repo',
  'priority',
  'labels',
  'due_in_days',
  'source_type',
  'source_id',
  'triggering_event_id',
  'activity_definition_id',
];

/** Copies exactly the ten contract fields, in contract order. */
export function pickTaskSpec(spec: TaskSpec): TaskSpec {
  return Object.fromEntries(TASK_SPEC_FIELDS.map((field) => [field, spec[field]])) as unknown as TaskSpec;
}
