// Names and shapes shared by workflows (import type only) and the activity providers.
// Activities are registered under these explicit names, whatever their method names.

export const ACTIVITY = {
  emitTasks: 'emit_tasks',
  recordSpawnFailure: 'record_spawn_failure',
  sweepPendingSpawns: 'sweep_pending_spawns',
  evaluateScheduleTick: 'evaluate_schedule_tick',
  scheduleTickWindow: 'schedule_tick_window',
  pruneEvents: 'prune_events',
} as const;

export interface EmitTasksInput {
  decisionId: string;
}

export interface EmitTasksResult {
  taskRef: string;
  sinkType: 'null' | 'rest';
  /** true when the row was already emitted: nothing was sent. */
  alreadyEmitted: boolean;
}

export interface SpawnFailureInput {
  decisionId: string;
  error: string;
}

export interface SweepResult {
  /** Never-started decisions requested. */
  requested: number;
  /** Started decisions whose workflow was not running, requested again. */
  requestedAgain: number;
}

export interface ScheduleTickInput {
  key: string;
  /** ISO 8601; the tick's scheduled time, which is the rule's `now`. */
  scheduledTime: string;
}

export interface ScheduleTickResult {
  triggeringEventId: string;
  evaluated: number;
  matched: number;
  recorded: number;
  requested: number;
}

export interface PruneResult {
  cutoff: string;
  /** Daily partitions created ahead. */
  created: string[];
  /** Daily partitions dropped whole. */
  dropped: string[];
  /** Rows deleted one by one (only those the default partition caught). */
  deletedRows: number;
  deletedKeys: number;
  /** Latest events of unscoped (type, subject) pairs forgotten. */
  forgottenLatest: number;
}

export interface RetentionActivities {
  prune_events(): Promise<PruneResult>;
}

export interface RuleActivities {
  evaluate_schedule_tick(input: ScheduleTickInput): Promise<ScheduleTickResult>;
  /** Milliseconds the tick's evaluation may be retried for. */
  schedule_tick_window(input: ScheduleTickInput): Promise<number>;
}

export interface SpawnActivities {
  emit_tasks(input: EmitTasksInput): Promise<EmitTasksResult>;
  record_spawn_failure(input: SpawnFailureInput): Promise<void>;
  sweep_pending_spawns(): Promise<SweepResult>;
}

export const WORKFLOW = {
  spawn: 'spawnWorkflow',
  sweep: 'sweepPendingSpawnsWorkflow',
  scheduleTick: 'scheduleTickWorkflow',
  pruneEvents: 'pruneEventsWorkflow',
} as const;
