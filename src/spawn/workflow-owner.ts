// Which decision a spawn workflow carries out, and whether it still runs: the sweep and the start
// path ask when a workflow id might belong to another decision.
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { EmitTasksInput } from '../temporal/activity-contracts';

export interface SpawnWorkflowState {
  /** RUNNING, COMPLETED, FAILED, TERMINATED, ...; undefined when Temporal has no such workflow. */
  status?: string;
  decisionId?: string;
}

/** Spawn workflows carry their decision in the memo; older ones only in their first event's input. */
export async function describeSpawnWorkflow(client: Client, workflowId: string): Promise<SpawnWorkflowState> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    const memo = description.memo as { decisionId?: unknown } | undefined;
    let decisionId = typeof memo?.decisionId === 'string' ? memo.decisionId : undefined;
    if (!decisionId) {
      const history = await handle.fetchHistory();
      const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      decisionId = payload ? defaultPayloadConverter.fromPayload<EmitTasksInput>(payload)?.decisionId : undefined;
    }
    return { status: description.status.name, decisionId };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return {};
    throw error;
  }
}
