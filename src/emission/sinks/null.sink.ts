// Dry-run: renders nothing anywhere, returns the decision's deterministic synthetic reference.
import type { EmitRequest, IssueSink, TaskReference } from '../sink.interface';
import { deriveNullReference } from '../reference';

export class NullSink implements IssueSink {
  readonly type = 'null' as const;

  async emit(request: EmitRequest): Promise<TaskReference> {
    return { taskRef: deriveNullReference(request.idempotencyKey), taskUrl: null, backend: null };
  }
}
