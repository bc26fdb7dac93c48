// Why a spawn workflow could not be started for a decision, when retrying the start cannot help.
import { status as grpcStatus } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';

/** Temporal refused the start itself (an invalid workflow id on this deployment, ...). */
export class StartRefusedError extends Error {
  readonly code = 'SPAWN_START_REFUSED';
}

/** The workflow id is taken by a completed run that did not emit this decision. */
export class WorkflowIdTakenError extends Error {
  readonly code = 'SPAWN_WORKFLOW_ID_TAKEN';
  constructor(
    message: string,
    readonly ownerDecisionId: string | undefined,
  ) {
    super(message);
  }
}

/** An INVALID_ARGUMENT answer to a start, as a StartRefusedError naming the workflow id; else undefined. */
export function asStartRefused(error: unknown, workflowId: string): StartRefusedError | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  const cause = error.cause as { code?: number; details?: string; message?: string } | undefined;
  if (cause?.code !== grpcStatus.INVALID_ARGUMENT) return undefined;
  const shown = workflowId.length > 120 ? `${workflowId.slice(0, 120)}… (${workflowId.length} characters)` : workflowId;
  return new StartRefusedError(`Temporal refused to start workflow ${shown}: ${cause.details ?? cause.message ?? error.message}`);
}
