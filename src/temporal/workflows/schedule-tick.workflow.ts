// One tick of a schedule rule: evaluate it over its scope with `now` = the scheduled time, so a
// replayed or backfilled tick decides the same way (and its decisions are keyed by that time).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RuleActivities, ScheduleTickResult } from '../activity-contracts';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { schedule_tick_window } = proxyActivities<RuleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

export interface ScheduleTickWorkflowInput {
  key: string;
  /** Only for a tick started by hand; a schedule's own ticks carry their scheduled time. */
  scheduledTime?: string;
}

export async function scheduleTickWorkflow(input: ScheduleTickWorkflowInput): Promise<ScheduleTickResult> {
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  const scheduledTime = scheduled ? new Date(scheduled).toISOString() : input.scheduledTime;
  if (!scheduledTime) throw new Error(`tick of ${input.key} has no scheduled time`);
  // Retried (Postgres away, an instance that does not know the rule yet) until the next tick is
  // due, not for a fixed number of attempts: a weekly rule does not lose its week to an outage.
  const windowMs = await schedule_tick_window({ key: input.key, scheduledTime });
  const { evaluate_schedule_tick } = proxyActivities<RuleActivities>({
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: windowMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });
  return evaluate_schedule_tick({ key: input.key, scheduledTime });
}
