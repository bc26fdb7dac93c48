// The spawn activities: idempotent, so a retry, a replay or a second worker never emits twice.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Activities, Activity } from '../temporal/activity.decorators';
import { SINK_SELECTOR } from '../emission/emission.tokens';
import { IssueCoreGate } from '../emission/issue-core.gate';
import { SinkError, SinkRetryableError } from '../emission/sink.errors';
import type { SinkSelector, TaskReference } from '../emission/sink.interface';
import { MetricsService } from '../metrics/metrics.service';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { ACTIVITY, EmitTasksInput, EmitTasksResult, SpawnFailureInput, SweepResult } from '../temporal/activity-contracts';
import { DECISION_NOT_FOUND } from '../temporal/retry-policy';
import { SpawnRecoveryService } from './spawn-recovery.service';
import { SpawnMetrics } from './spawn.metrics';
import { SpawnService } from './spawn.service';
import { deriveIdempotencyKey } from '../rules/workflow-id';

const HEARTBEAT_EVERY_MS = 1_000;

/** A live decision on a dry-run instance: never completed as dry-run, held for a live instance. */
export const LIVE_DECISION_HELD_REASON = 'live decision held: this instance runs in dry-run (ISSUE_SINK_TYPE=null); a live instance will emit it';

function liveDecisionHeld(): SinkRetryableError {
  return new SinkRetryableError('LIVE_DECISION_HELD', LIVE_DECISION_HELD_REASON);
}

@Injectable()
@Activities()
export class SpawnActivities {
  private readonly logger = new Logger('SpawnActivities');

  constructor(
    private readonly spawnLog: SpawnLogRepository,
    @Inject(SINK_SELECTOR) private readonly sinks: SinkSelector,
    private readonly gate: IssueCoreGate,
    private readonly spawns: SpawnService,
    private readonly recovery: SpawnRecoveryService,
    private readonly metrics: MetricsService,
    private readonly timings: SpawnMetrics,
  ) {}

  /** Reads the decision; emits it unless already emitted; records the reference. */
  @Activity(ACTIVITY.emitTasks)
  async emitTasks({ decisionId }: EmitTasksInput): Promise<EmitTasksResult> {
    const row = await this.spawnLog.findById(decisionId);
    if (!row) throw ApplicationFailure.nonRetryable(`no decision ${decisionId} in task_spawn_log`, DECISION_NOT_FOUND);
    if (row.status === 'emitted' && row.task_ref) {
      return { taskRef: row.task_ref, sinkType: row.sink_type, alreadyEmitted: true };
    }
    if (row.status === 'suppressed') {
      throw ApplicationFailure.nonRetryable(`decision ${decisionId} is suppressed (${row.reason})`, 'DecisionSuppressed');
    }
    const { attempt } = Context.current().info;
    const startedAt = process.hrtime.bigint();
    // The mode is the decision's (recorded with it), not this instance's.
    const sink = this.sinks.emitterFor(row.sink_type);
    if (!sink) throw await this.failAttempt(decisionId, liveDecisionHeld(), attempt, row.sink_type, startedAt);
    const live = sink.type === 'rest';
    let ref: TaskReference;
    try {
      ref = await this.withHeartbeat(live, async () => {
        if (live) await this.gate.assertReady();
        return sink.emit({ spec: row.task_spec, idempotencyKey: deriveIdempotencyKey(row.workflow_id) });
      });
    } catch (error) {
      if (live) this.gate.recordCreate(error);
      throw await this.failAttempt(decisionId, error, attempt, sink.type, startedAt);
    }
    if (live) this.gate.recordCreate();
    this.timings.observeAttempt(sink.type, 'emitted', startedAt);
    const emitted = await this.spawnLog.markEmitted(decisionId, ref, sink.type, attempt);
    this.metrics.emissions.inc({ sink: sink.type, outcome: 'emitted' });
    if (emitted) this.timings.observeEmitted(sink.type, emitted.created_at, emitted.emitted_at);
    // Another run got there first (only possible after retention): keep its reference.
    const taskRef = emitted?.task_ref ?? (await this.spawnLog.findById(decisionId))?.task_ref ?? ref.taskRef;
    return { taskRef, sinkType: sink.type, alreadyEmitted: false };
  }

  /** Retrying has ended: the row becomes failed, keeping the last error the sink gave. */
  @Activity(ACTIVITY.recordSpawnFailure)
  async recordSpawnFailure({ decisionId, error }: SpawnFailureInput): Promise<void> {
    const row = await this.spawnLog.findById(decisionId);
    if (!row || row.status !== 'pending') return;
    const message = row.error && !error.includes(row.error) ? `${row.error} (retrying ended: ${error})` : error;
    await this.spawnLog.markFailed(decisionId, message, row.attempts);
    this.logger.warn(`decision ${decisionId} (${row.source_id}) failed: ${message}`);
  }

  @Activity(ACTIVITY.sweepPendingSpawns)
  async sweepPendingSpawns(): Promise<SweepResult> {
    const requested = await this.spawns.requestStranded();
    return { requested, requestedAgain: await this.recovery.recheckStarted() };
  }

  private async failAttempt(decisionId: string, error: unknown, attempt: number, sinkType: string, startedAt: bigint): Promise<ApplicationFailure> {
    const message = (error as Error).message ?? String(error);
    const retryable = !(error instanceof SinkError) || error.retryable;
    this.metrics.emissions.inc({ sink: sinkType, outcome: retryable ? 'retry' : 'rejected' });
    this.timings.observeAttempt(sinkType, retryable ? 'retry' : 'rejected', startedAt);
    if (!retryable) {
      await this.spawnLog.markFailed(decisionId, message, attempt);
      return ApplicationFailure.create({ message, type: (error as Error).name, nonRetryable: true });
    }
    await this.spawnLog.recordAttemptFailure(decisionId, message, attempt);
    const retryAfterMs = error instanceof SinkError ? error.retryAfterMs : undefined;
    return ApplicationFailure.create({
      message,
      type: error instanceof SinkError ? error.name : 'SpawnError',
      // Already clamped to [1 s, the retry interval's cap] by the sink's classification.
      nextRetryDelay: retryAfterMs,
    });
  }

  /** Heartbeats while a live call is in flight, so a worker that dies is noticed within seconds. */
  private async withHeartbeat<T>(enabled: boolean, work: () => Promise<T>): Promise<T> {
    if (!enabled) return work();
    const context = Context.current();
    // No heartbeat at the start: the server's heartbeat timeout already runs from the start, and
    // each heartbeat is a write on Temporal's side, so only calls that last a second send one.
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}
