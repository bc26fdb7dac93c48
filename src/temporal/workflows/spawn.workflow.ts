// One decision → one emission. The happy path is a single activity; every failure is in history.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { EmitTasksInput, EmitTasksResult, SpawnActivities } from '../activity-contracts';
import { NON_RETRYABLE_SPAWN_ERRORS, SPAWN_MAX_RETRY_INTERVAL_MS } from '../retry-policy';

const { emit_tasks } = proxyActivities<SpawnActivities>({
  // Live emissions heartbeat while issue-core answers, so a dead worker is noticed in seconds.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '5 seconds',
  // Retrying ends a day after the decision; the row then becomes failed with the last error.
  scheduleToCloseTimeout: '24 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: SPAWN_MAX_RETRY_INTERVAL_MS,
    nonRetryableErrorTypes: [...NON_RETRYABLE_SPAWN_ERRORS],
  },
});

const { record_spawn_failure } = proxyActivities<SpawnActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

function describeFailure(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause?.message ?? error.message;
}

export async function spawnWorkflow(input: EmitTasksInput): Promise<EmitTasksResult> {
  try {
    return await emit_tasks(input);
  } catch (error) {
    if (error instanceof ActivityFailure) {
      await record_spawn_failure({ decisionId: input.decisionId, error: describeFailure(error) });
    }
    throw error;
  }
}
