// Pure rule evaluation: the same definition, event and `now` always give the same outcome.
import type { TaskSpec } from '../emission/task-spec';
import type { Evaluation } from '../spawn-log/task-spawn-log.entity';
import { deriveWorkflowId } from '../spawn/workflow-id';
import { CelContext, describeEvaluationError } from './cel';
import type { CloudEvent } from './cloud-event';
import type { ActivityDefinition } from './definition.types';

export interface EvaluationInput {
  event: CloudEvent | Record<string, never>;
  now: Date;
  /** CloudEvent id, or schedule:<key>:<scheduled time> for a tick. */
  triggeringEventId: string;
}

export interface DecisionDraft {
  definition: ActivityDefinition;
  triggeringEventId: string;
  dedupeKey: string;
  workflowId: string;
  evaluation: Evaluation;
  taskSpec: TaskSpec;
}

export type NonMatchReason = 'condition_false' | 'evaluation_error' | 'template_error' | 'disabled';

export type RuleOutcome =
  | { matched: true; decision: DecisionDraft; evaluation: Evaluation }
  | { matched: false; reason: NonMatchReason; error?: string; evaluation: Evaluation };

// Every candidate of an event is evaluated at the same `now`: format it once, not per rule.
let lastNow = Number.NaN;
let lastNowIso = '';
function isoOf(now: Date): string {
  const time = now.getTime();
  if (time !== lastNow) {
    lastNowIso = now.toISOString();
    lastNow = time;
  }
  return lastNowIso;
}

/** The inputs the condition saw and its result, built in one literal (the rule stage's hot path). */
function evaluationOf(input: EvaluationInput, result: boolean, error?: string): Evaluation {
  const event = input.event as Partial<CloudEvent>;
  const evaluation: Evaluation = {
    event_id: event.id ?? null,
    subject: event.subject ?? null,
    time: event.time ?? null,
    now: isoOf(input.now),
    result,
  };
  if (error !== undefined) evaluation.error = error;
  return evaluation;
}

/** The condition alone: a non-boolean result or an evaluation error is a non-match. */
export function evaluateCondition(
  definition: ActivityDefinition,
  context: CelContext,
): { result: boolean; error?: string } {
  try {
    const value = definition.condition.evaluate(context);
    if (typeof value !== 'boolean') return { result: false, error: `condition gave ${typeof value}, not bool` };
    return { result: value };
  } catch (error) {
    return { result: false, error: describeEvaluationError(error) };
  }
}

/** `dedupe_key` is joined to the triggering id: one decision per (rule, trigger, key). */
export function deriveDedupeKey(triggeringEventId: string, renderedKey?: string): string {
  return renderedKey ? `${triggeringEventId}:${renderedKey}` : triggeringEventId;
}

export function renderTaskSpec(definition: ActivityDefinition, context: CelContext, triggeringEventId: string): TaskSpec {
  const { task } = definition;
  return {
    title: task.title.render(context),
    description: task.description.render(context),
    target_repo: task.target_repo.render(context),
    priority: task.priority.render(context),
    labels: task.labels.map((label) => label.render(context)),
    due_in_days: task.due_in_days,
    source_type: 'rule',
    source_id: definition.key,
    triggering_event_id: triggeringEventId,
    activity_definition_id: definition.id,
  };
}

export function evaluateRule(definition: ActivityDefinition, input: EvaluationInput): RuleOutcome {
  if (!definition.enabled) return { matched: false, reason: 'disabled', evaluation: evaluationOf(input, false) };
  const context: CelContext = { event: input.event as Record<string, unknown>, now: input.now };
  const condition = evaluateCondition(definition, context);
  if (condition.error !== undefined) {
    return { matched: false, reason: 'evaluation_error', error: condition.error, evaluation: evaluationOf(input, false, condition.error) };
  }
  if (!condition.result) return { matched: false, reason: 'condition_false', evaluation: evaluationOf(input, false) };
  try {
    const taskSpec = renderTaskSpec(definition, context, input.triggeringEventId);
    const evaluation = evaluationOf(input, true);
    // A scoped tick without its own key still decides once per subject.
    const scopedKey = definition.scope ? (evaluation.subject ?? evaluation.event_id ?? undefined) : undefined;
    const renderedKey = definition.dedupeKey ? definition.dedupeKey.render(context) : scopedKey;
    const dedupeKey = deriveDedupeKey(input.triggeringEventId, renderedKey);
    return {
      matched: true,
      evaluation,
      decision: {
        definition,
        triggeringEventId: input.triggeringEventId,
        dedupeKey,
        workflowId: deriveWorkflowId(definition.key, dedupeKey),
        evaluation,
        taskSpec,
      },
    };
  } catch (error) {
    const message = `task template: ${describeEvaluationError(error)}`;
    return { matched: false, reason: 'template_error', error: message, evaluation: evaluationOf(input, true, message) };
  }
}

export interface CandidateOutcome {
  definition: ActivityDefinition;
  outcome: RuleOutcome;
}

/** An event against its candidate rules (intake, explain and replay all decide this way). */
export function evaluateCandidates(candidates: readonly ActivityDefinition[], event: CloudEvent, now: Date): CandidateOutcome[] {
  return candidates.map((definition) => ({ definition, outcome: evaluateRule(definition, { event, now, triggeringEventId: event.id }) }));
}

export function matchedDecisions(outcomes: CandidateOutcome[]): DecisionDraft[] {
  return outcomes.flatMap(({ outcome }) => (outcome.matched ? [outcome.decision] : []));
}

/** `schedule:<key>:<scheduled time, ISO 8601 UTC>` */
export function scheduleTriggerId(key: string, scheduledTime: Date): string {
  return `schedule:${key}:${scheduledTime.toISOString()}`;
}
