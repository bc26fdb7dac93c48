// Run daily by a Temporal Schedule: creates the event partitions ahead and drops those older than EVENT_RETENTION_DAYS.
import { proxyActivities } from '@temporalio/workflow';
import type { PruneResult, RetentionActivities } from '../activity-contracts';

const { prune_events } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

export async function pruneEventsWorkflow(): Promise<PruneResult> {
  return prune_events();
}
