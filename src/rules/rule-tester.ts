// Dry evaluation for rule authors: one definition against a supplied event and `now`, deciding as
// the service decides (the same validation intake runs, the same candidate selection, the same
// condition and templates); writes nothing. The HTTP tester and `definitions test` share it.
import { jsonKind, parseTime } from '../common/input-parsers';
import type { TaskSpec } from './task-spec';
import { validateCloudEvent } from '../events/cloud-event.validation';
import type { CloudEvent } from '../events/cloud-event';
import type { ActivityDefinition } from './definition.types';
import { evaluateRule, type Evaluation, INVALID_TASK_SPEC, NonMatchReason, scheduleTriggerId } from './evaluate';

/** Where a non-match was decided, in the order the service decides. */
export type TestStage = 'validation' | 'selection' | 'condition' | 'template';
export type TestReason = 'condition_matched' | typeof INVALID_TASK_SPEC | NonMatchReason | 'invalid_event' | 'wrong_type' | 'not_in_scope';

export interface TestReport {
  key: string;
  definition_hash: string;
  matched: boolean;
  /** condition_matched, invalid_task_spec (matched, but the spec breaks the payload contract: never emitted), or why not. */
  reason: TestReason;
  /** The stage that refused; null on a match. */
  stage: TestStage | null;
  error?: string;
  /** For invalid_event: what intake would answer. */
  problems?: string[];
  triggering_event_id: string | null;
  evaluation: Evaluation | null;
  task_spec: TaskSpec | null;
  dedupe_key: string | null;
  workflow_id: string | null;
}

export interface TestRequest {
  event: unknown;
  now: Date;
}

/** The request itself (not the event's validity): `event` an object, `now` a timestamp. */
export function parseTestRequest(event: unknown, now: unknown, defaultNow: Date): { ok: true; request: TestRequest } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (event === undefined) problems.push('event is required: the CloudEvent to evaluate, as a JSON object');
  else if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    problems.push(`event must be a JSON object (a CloudEvent in structured mode), not ${jsonKind(event)}`);
  }
  const parsedNow = now === undefined ? { ok: true as const, value: defaultNow } : parseTime('now', now);
  if (!parsedNow.ok) problems.push(parsedNow.problem);
  return problems.length || !parsedNow.ok ? { ok: false, problems } : { ok: true, request: { event, now: parsedNow.value } };
}

const STAGE: Record<NonMatchReason, TestStage> = { disabled: 'selection', condition_false: 'condition', evaluation_error: 'condition' };

/** Why a tick at `now` would not read this event for a `latest_of` rule, or null when it would. */
function outOfScope(definition: ActivityDefinition, event: CloudEvent, now: Date): { reason: TestReason; error: string } | null {
  const scope = definition.scope as { latestOf: string };
  if (event.type !== scope.latestOf) return { reason: 'wrong_type', error: `the rule's scope reads ${scope.latestOf} events, not ${event.type}` };
  if (!event.subject) return { reason: 'not_in_scope', error: 'a tick reads only events with a subject (one evaluation per subject)' };
  // Intake stores an event without `time` at its arrival, so it is read from then on.
  if (event.time !== undefined && new Date(event.time) > now)
    return { reason: 'not_in_scope', error: `the event's time ${event.time} is after now: a tick at now does not read it yet` };
  return null;
}

/** For a schedule rule with `latest_of`, the event stands for its subject's latest event at `now`. */
export function testDefinition(definition: ActivityDefinition, input: unknown, now: Date): TestReport {
  const base = { key: definition.key, definition_hash: definition.hash, task_spec: null, dedupe_key: null, workflow_id: null };
  const refuse = (reason: TestReason, stage: TestStage, error: string, extra: Partial<TestReport> = {}): TestReport => ({
    ...base,
    matched: false,
    reason,
    stage,
    error,
    triggering_event_id: null,
    evaluation: null,
    ...extra,
  });

  const validated = validateCloudEvent(input);
  if (!validated.ok) return refuse('invalid_event', 'validation', 'intake refuses this event', { problems: validated.problems });
  const event = validated.event;

  let subject: CloudEvent | Record<string, never> = event;
  if (definition.trigger.kind === 'event') {
    if (event.type !== definition.trigger.type) {
      return refuse('wrong_type', 'selection', `the rule is triggered by ${definition.trigger.type} events, not ${event.type}`);
    }
  } else if (definition.scope) {
    const refused = outOfScope(definition, event, now);
    if (refused) return refuse(refused.reason, 'selection', refused.error);
  } else {
    subject = {}; // an unscoped tick evaluates once, without an event
  }

  const triggeringEventId = definition.trigger.kind === 'schedule' ? scheduleTriggerId(definition.key, now) : event.id;
  const outcome = evaluateRule(definition, { event: subject, now, triggeringEventId });
  if (outcome.matched) {
    return {
      ...base,
      matched: true,
      reason: outcome.decision.invalid ? INVALID_TASK_SPEC : 'condition_matched',
      ...(outcome.decision.invalid ? { error: outcome.decision.invalid } : {}),
      stage: null,
      triggering_event_id: triggeringEventId,
      evaluation: outcome.evaluation,
      task_spec: outcome.decision.taskSpec,
      dedupe_key: outcome.decision.dedupeKey,
      workflow_id: outcome.decision.workflowId,
    };
  }
  return {
    ...base,
    matched: false,
    reason: outcome.reason,
    stage: STAGE[outcome.reason],
    error: outcome.error ?? (outcome.reason === 'disabled' ? 'the rule is disabled: the service does not evaluate it' : undefined),
    triggering_event_id: triggeringEventId,
    evaluation: outcome.evaluation,
  };
}
