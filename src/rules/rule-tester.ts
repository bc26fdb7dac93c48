// Dry evaluation for rule authors: one definition against a supplied event and `now`; writes nothing.
import type { TaskSpec } from '../emission/task-spec';
import type { Evaluation } from '../spawn-log/task-spawn-log.entity';
import type { CloudEvent } from './cloud-event';
import type { ActivityDefinition } from './definition.types';
import { evaluateRule, NonMatchReason, scheduleTriggerId } from './evaluate';

export interface TestReport {
  key: string;
  definition_hash: string;
  matched: boolean;
  /** condition_matched, or why not. */
  reason: 'condition_matched' | NonMatchReason;
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
      reason: 'condition_matched',
      task_spec: outcome.decision.taskSpec,
      dedupe_key: outcome.decision.dedupeKey,
      workflow_id: outcome.decision.workflowId,
    };
  }
  return { ...common, matched: false, reason: outcome.reason, error: outcome.error, task_spec: null, dedupe_key: null, workflow_id: null };
}
