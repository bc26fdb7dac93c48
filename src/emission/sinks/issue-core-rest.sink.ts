// Live: POST {ISSUE_CORE_URL}/issues/ with exactly the contract payload.
import type { IssueCoreClient } from '../issue-core.client';
import type { EmitRequest, IssueSink, TaskReference } from '../sink.interface';
import { pickTaskSpec } from '../../rules/task-spec';

export class IssueCoreRestSink implements IssueSink {
  readonly type = 'rest' as const;

  constructor(private readonly client: IssueCoreClient) {}

  emit(request: EmitRequest): Promise<TaskReference> {
    const what = `${request.spec.source_id}/${request.spec.triggering_event_id}`;
    return this.client.createIssue(pickTaskSpec(request.spec), request.idempotencyKey, what);
  }
}
