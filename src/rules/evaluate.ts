// Pure rule evaluation: the same definition, event and `now` always give the same outcome.
import { CelContext, describeEvaluationError } from './cel';
import type { CloudEvent } from '../events/cloud-event';
import type { ActivityDefinition } from './definition.types';
import { eventDedupeKey, tickDedupeKey } from './dedupe-key';
import type { TaskSpec } from './task-spec';
import { renderedKeyProblem, storableCopy, taskSpecProblems } from './task-spec-contract';
import { deriveWorkflowId } from './workflow-id';

export interface EvaluationInput {
  event: CloudEvent | Record<string, never>;
  now: Date;
  /** CloudEvent id, or schedule:<key>:<scheduled time> for a tick. */
  triggeringEventId: string;
}

/** What the condition saw and what it gave: recorded with every decision, shown by explain and the tester. */
export interface Evaluation {
  event_id: string | null;
  subject: string | null;
  time: string | null;
  now: string;
  result: boolean;
  error?: string;
  /** For a suppressed decision: the limit that held it. */
  limit?: string;
}

export interface DecisionDraft {
  definition: ActivityDefinition;
  triggeringEventId: string;
  dedupeKey: string;
  workflowId: string;
  evaluation: Evaluation;
  taskSpec: TaskSpec;
  /** Why the rendered spec (or key) breaks the payload contract: recorded `invalid`, never emitted. */
  invalid?: string;
}

export const INVALID_TASK_SPEC = 'invalid_task_spec';

export type NonMatchReason = 'condition_false' | 'evaluation_error' | 'disabled';

export type RuleOutcome =
  { matched: true; decision: DecisionDraft; evaluation: Evaluation } | { matched: false; reason: NonMatchReason; error?: string; evaluation: Evaluation };

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
export function evaluateCondition(definition: ActivityDefinition, context: CelContext): { result: boolean; error?: string } {
  try {
    const value = definition.condition.evaluate(context);
    if (typeof value !== 'boolean') return { result: false, error: `condition gave ${typeof value}, not bool` };
    return { result: value };
  } catch (error) {
    return { result: false, error: describeEvaluationError(error) };
  }
}

/** The task spec rendered field by field: a field that fails to render is a problem, not a crash. */
export function renderTaskSpec(definition: ActivityDefinition, context: CelContext, triggeringEventId: string): { spec: TaskSpec; problems: string[] } {
  const { task } = definition;
  const problems: string[] = [];
  const render = (field: string, template: { render(context: CelContext): string }) => {
    try {
      return template.render(context);
    } catch (error) {
      problems.push(`task.${field}: ${describeEvaluationError(error)}`);
      return '';
    }
  };
  const spec: TaskSpec = {
    title: render('title', task.title),
    description: render('description', task.description),
    target_repo: render('target_repo', task.target_repo),
    priority: render('priority', task.priority),
    labels: task.labels.map((label, i) => render(`labels[${i}]`, label)),
    due_in_days: task.due_in_days,
    source_type: 'rule',
    source_id: definition.key,
    triggering_event_id: triggeringEventId,
    activity_definition_id: definition.id,
  };
  // A field that did not render is reported once, not again as empty.
  if (problems.length === 0) problems.push(...taskSpecProblems(spec));
  return { spec, problems };
}

/** The rendered `dedupe_key`, or the problem that makes the decision invalid. */
function renderKey(definition: ActivityDefinition, context: CelContext): { key?: string; problem?: string } {
  if (!definition.dedupeKey) return {};
  try {
    const key = definition.dedupeKey.render(context);
    const problem = renderedKeyProblem(key);
    return problem ? { problem } : { key };
  } catch (error) {
    return { problem: `dedupe_key: ${describeEvaluationError(error)}` };
  }
}

export function evaluateRule(definition: ActivityDefinition, input: EvaluationInput): RuleOutcome {
  if (!definition.enabled) return { matched: false, reason: 'disabled', evaluation: evaluationOf(input, false) };
  const context: CelContext = { event: input.event, now: input.now };
  const condition = evaluateCondition(definition, context);
  if (condition.error !== undefined) {
    return { matched: false, reason: 'evaluation_error', error: condition.error, evaluation: evaluationOf(input, false, condition.error) };
  }
  if (!condition.result) return { matched: false, reason: 'condition_false', evaluation: evaluationOf(input, false) };
  const { spec, problems } = renderTaskSpec(definition, context, input.triggeringEventId);
  const rendered = renderKey(definition, context);
  if (rendered.problem) problems.push(rendered.problem);
  const invalid = problems.length > 0 ? problems.join('; ') : undefined;
  const evaluation = evaluationOf(input, true, invalid);
  // A scoped tick without its own key (or whose key is invalid) still decides once per subject.
  const scopedKey = definition.scope ? (evaluation.subject ?? evaluation.event_id ?? undefined) : undefined;
  const dedupeKey =
    definition.trigger.kind === 'event'
      ? eventDedupeKey(input.event as CloudEvent, rendered.key)
      : tickDedupeKey(input.triggeringEventId, rendered.key ?? scopedKey);
  return {
    matched: true,
    evaluation,
    decision: {
      definition,
      triggeringEventId: input.triggeringEventId,
      dedupeKey,
      workflowId: deriveWorkflowId(definition.key, dedupeKey),
      evaluation,
      taskSpec: invalid ? storableCopy(spec) : spec,
      ...(invalid ? { invalid } : {}),
    },
  };
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
