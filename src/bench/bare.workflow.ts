// The bare baseline of a spawn: a workflow with one no-op activity, and nothing of ours.
import { proxyActivities } from '@temporalio/workflow';

export interface BareActivities {
  noop(id: string): Promise<void>;
}

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '2 minutes' });

export async function bareWorkflow(id: string): Promise<void> {
  await noop(id);
}
