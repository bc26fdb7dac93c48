// Requests the spawn workflow of a recorded decision. Starting is idempotent: the workflow id is
// derived from the decision, a running one is reused, a completed one is never started again.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { SpawnLogRepository } from '../spawn-log/spawn-log.repository';
import { SpawnRecoveryRepository } from '../spawn-log/spawn-recovery.repository';
import type { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';
import { WORKFLOW } from '../temporal/activity-contracts';
import { TemporalClientService, TemporalUnavailableError } from '../temporal/temporal-client.service';
import { asStartRefused, StartRefusedError, WorkflowIdTakenError } from './spawn-start.errors';
import { describeSpawnWorkflow } from './workflow-owner';
import { deriveRowWorkflowId } from '../rules/workflow-id';

/** How long a pending row may wait for its start before the sweep takes it. */
export const STRANDED_AFTER_MS = 30_000;
const SWEEP_BATCH = 500;
export const START_CONCURRENCY = 32;

/** Like Promise.allSettled over `items`, with at most `limit` calls of `work` at once. */
export async function mapBounded<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
  const results = new Array<PromiseSettledResult<unknown>>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export type SpawnRequest = Pick<TaskSpawnLog, 'id' | 'workflow_id' | 'status'>;

export function workflowIdTaken(decision: SpawnRequest, owner: string | undefined): WorkflowIdTakenError {
  const whose = owner ? `decision ${owner}` : 'a decision that cannot be read back';
  return new WorkflowIdTakenError(
    `workflow id ${decision.workflow_id} is taken by a completed run of ${whose}; this decision was not emitted. ` +
      `It has a workflow id of its own now: send it again with spawn-log retry`,
    owner,
  );
}

@Injectable()
export class SpawnService {
  private readonly logger = new Logger('SpawnService');

  constructor(
    private readonly temporal: TemporalClientService,
    private readonly spawnLog: SpawnLogRepository,
    @Inject(temporalConfig.KEY) private readonly temporalSettings: ConfigType<typeof temporalConfig>,
    private readonly recovery: SpawnRecoveryRepository,
  ) {}

  /** Starts (or finds) the decision's workflow; returns its id. Throws while Temporal is down. */
  async requestSpawn(decision: SpawnRequest): Promise<string> {
    try {
      await this.startWorkflow(decision);
    } catch (error) {
      await this.recordStartFailure(decision, error);
      throw error;
    }
    await this.spawnLog.markWorkflowsStarted([decision.id]);
    return decision.workflow_id;
  }

  private async startWorkflow(decision: SpawnRequest): Promise<void> {
    try {
      await this.temporal.client.workflow.start(WORKFLOW.spawn, {
        taskQueue: this.temporalSettings.taskQueue,
        workflowId: decision.workflow_id,
        args: [{ decisionId: decision.id }],
        // Names the decision, so a workflow id shared by two decisions is found out (see below).
        memo: { decisionId: decision.id },
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A completed spawn is never run again; a failed or terminated one may be (by the sweep).
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw asStartRefused(error, decision.workflow_id) ?? error;
      // A completed run: this decision's (nothing to do), or another's, which never emits this one.
      const owner = await describeSpawnWorkflow(this.temporal.client, decision.workflow_id);
      if (owner.decisionId !== decision.id) throw workflowIdTaken(decision, owner.decisionId);
    }
  }

  /**
   * A start that retrying cannot fix is put on the row (failed, with the reason) instead of being
   * retried by every sweep; a taken workflow id gives the row one of its own for when it is sent again.
   */
  private async recordStartFailure(decision: SpawnRequest, error: unknown): Promise<void> {
    if (error instanceof StartRefusedError) {
      await this.recovery.markStartFailed(decision.id, error.message);
    } else if (error instanceof WorkflowIdTakenError) {
      await this.recovery.markStartFailed(decision.id, error.message, deriveRowWorkflowId(decision.workflow_id, decision.id));
    } else {
      return;
    }
    this.logger.error(`decision ${decision.id}: ${(error as Error).message}`);
  }

  /**
   * Requests every pending decision given; a failure leaves the row pending for the sweep,
   * so Temporal being down delays spawns without losing them. Returns how many were requested.
   */
  async requestSpawns(decisions: SpawnRequest[]): Promise<number> {
    const pending = decisions.filter((decision) => decision.status === 'pending');
    // A bounded number of starts in flight (a tick may bring thousands), one update for all.
    const results = await mapBounded(pending, START_CONCURRENCY, (decision) =>
      this.startWorkflow(decision).catch(async (error: unknown) => {
        await this.recordStartFailure(decision, error);
        throw error;
      }),
    );
    const started = pending.filter((_, i) => results[i].status === 'fulfilled').map((decision) => decision.id);
    await this.spawnLog.markWorkflowsStarted(started).catch((error: Error) => {
      // The workflows exist; at worst the sweep asks for them again, which starts nothing new.
      this.logger.warn(`could not mark ${started.length} workflow(s) started: ${error.message}`);
    });
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      const reason = failures[0].reason as Error;
      const level = reason instanceof TemporalUnavailableError ? 'warn' : 'error';
      this.logger[level](`${failures.length} spawn request(s) left pending for the sweep: ${reason.message}`);
    }
    return results.length - failures.length;
  }

  /** The sweep: pending rows whose workflow was never started (a crash between commit and start). */
  async requestStranded(olderThanMs = STRANDED_AFTER_MS): Promise<number> {
    const stranded = await this.recovery.findStranded(olderThanMs, SWEEP_BATCH);
    if (stranded.length === 0) return 0;
    const requested = await this.requestSpawns(stranded);
    this.logger.log(`sweep requested ${requested} of ${stranded.length} stranded decision(s)`);
    return requested;
  }
}
