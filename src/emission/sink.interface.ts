// What every sink offers: emit one task spec, idempotently under one key.
import type { SinkType } from '../common/sink-type';
import type { TaskSpec } from '../rules/task-spec';

export interface EmitRequest {
  spec: TaskSpec;
  /** Derived from the decision: the same on every attempt, so issue-core can deduplicate. */
  idempotencyKey: string;
}

export interface TaskReference {
  taskRef: string;
  taskUrl: string | null;
  backend: string | null;
}

export interface IssueSink {
  readonly type: SinkType;
  emit(request: EmitRequest): Promise<TaskReference>;
}

/**
 * The mode belongs to the decision: `sinkFor` fixes it when the decision is recorded (the canary
 * allow-list sends the other rules to dry-run); `emitterFor` honours the recorded mode whichever
 * instance emits, and is undefined for a live decision on a dry-run instance, which holds it.
 */
export interface SinkSelector {
  readonly mode: SinkType;
  sinkFor(ruleKey: string): IssueSink;
  emitterFor(sinkType: SinkType): IssueSink | undefined;
}
