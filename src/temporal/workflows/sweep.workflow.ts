// Run by a Temporal Schedule: finds decisions whose workflow was never started and requests them.
import { proxyActivities } from '@temporalio/workflow';
import type { SpawnActivities, SweepResult } from '../activity-contracts';

const { sweep_pending_spawns } = proxyActivities<SpawnActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export async function sweepPendingSpawnsWorkflow(): Promise<SweepResult> {
  return sweep_pending_spawns();
}
