// What every sink offers: emit one task spec, idempotently under one key.
import type { SinkType } from '../config/environment';
import type { TaskSpec } from './task-spec';

export interface EmitRequest {
  spec: TaskSpec;
  /** The spawn workflow id: the same on every attempt, so issue-core can deduplicate. */
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

/** Picks the sink for a rule: the canary allow-list sends the other rules to dry-run. */
export interface SinkSelector {
  readonly mode: SinkType;
  sinkFor(ruleKey: string): IssueSink;
}
