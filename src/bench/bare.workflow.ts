// The bare baseline of a spawn: a workflow with one no-op activity, and nothing of ours.
import { proxyActivities } from '@temporalio/workflow';

export interface BareActivities {
  noop(index: number): Promise<void>;
}

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '2 minutes' });

export async function bareWorkflow(index: number): Promise<void> {
  await noop(index);
}
