// Dry evaluation for rule authors: one definition against a supplied event and `now`; writes nothing.
import type { TaskSpec } from '../emission/task-spec';
import type { Evaluation } from '../spawn-log/task-spawn-log.entity';
import type { CloudEvent } from './cloud-event';
import type { ActivityDefinition } from './definition.types';
import { evaluateRule, INVALID_TASK_SPEC, NonMatchReason, scheduleTriggerId } from './evaluate';

export interface TestReport {
  key: string;
  definition_hash: string;
  matched: boolean;
  /** condition_matched, invalid_task_spec (matched, but the spec breaks the payload contract: never emitted), or why not. */
  reason: 'condition_matched' | typeof INVALID_TASK_SPEC | NonMatchReason;
  error?: string;
  triggering_event_id: string;
  evaluation: Evaluation;
  task_spec: TaskSpec | null;
  dedupe_key: string | null;
  workflow_id: string | null;
}

/** For a schedule rule, the event stands for its subject's latest event at `now`. */
export function testDefinition(definition: ActivityDefinition, event: CloudEvent, now: Date): TestReport {
  const triggeringEventId = definition.trigger.kind === 'schedule' ? scheduleTriggerId(definition.key, now) : event.id;
  const outcome = evaluateRule(definition, { event, now, triggeringEventId });
  const common = { key: definition.key, definition_hash: definition.hash, triggering_event_id: triggeringEventId, evaluation: outcome.evaluation };
  if (outcome.matched) {
    return {
      ...common,
      matched: true,
      reason: outcome.decision.invalid ? INVALID_TASK_SPEC : 'condition_matched',
      ...(outcome.decision.invalid ? { error: outcome.decision.invalid } : {}),
      task_spec: outcome.decision.taskSpec,
      dedupe_key: outcome.decision.dedupeKey,
      workflow_id: outcome.decision.workflowId,
    };
  }
  return { ...common, matched: false, reason: outcome.reason, error: outcome.error, task_spec: null, dedupe_key: null, workflow_id: null };
}
