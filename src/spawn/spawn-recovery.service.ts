// Nothing stays pending forever: the sweep checks on started workflows (one terminated or lost is
// requested again, one that is another decision's is reported on the row), and an operator can send
// failed decisions again, under the same workflow id and Idempotency-Key, so still exactly once.
import { Injectable, Logger } from '@nestjs/common';
import { SpawnRecoveryRepository } from '../spawn-log/spawn-recovery.repository';
import type { TaskSpawnLog } from '../spawn-log/task-spawn-log.entity';
import { timeBox } from '../common/time-box';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { mapBounded, SpawnService, STRANDED_AFTER_MS, workflowIdTaken } from './spawn.service';
import { deriveRowWorkflowId } from '../rules/workflow-id';
import { describeSpawnWorkflow } from './workflow-owner';

/** Started rows described per sweep run: bounded, so recovery never crowds out the sweep's other work. */
export const CHECK_BATCH = 100;
const DESCRIBE_CONCURRENCY = 8;
const CLOSE_WAIT_MS = 15_000;

export interface RetryReport {
  reopened: number;
  requested: number;
  /** Failed rows whose last run had not closed within the wait: left failed, to retry again. */
  stillClosing: number;
}

@Injectable()
export class SpawnRecoveryService {
  private readonly logger = new Logger('SpawnRecovery');

  constructor(
    private readonly recovery: SpawnRecoveryRepository,
    private readonly spawns: SpawnService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** Pending rows whose workflow is not running are requested again; returns how many. */
  async recheckStarted(olderThanMs = STRANDED_AFTER_MS, limit = CHECK_BATCH): Promise<number> {
    const rows = await this.recovery.findStartedPending(olderThanMs, limit);
    if (rows.length === 0) return 0;
    const client = this.temporal.client;
    const again: TaskSpawnLog[] = [];
    const checked: string[] = [];
    await mapBounded(rows, DESCRIBE_CONCURRENCY, async (row) => {
      const state = await describeSpawnWorkflow(client, row.workflow_id);
      checked.push(row.id);
      if (state.status === 'RUNNING') return;
      if (state.status === 'COMPLETED') return this.reportTaken(row, state.decisionId);
      // Not found (lost), terminated, failed, cancelled or timed out while the row is still pending.
      again.push(row);
    });
    await this.recovery.markWorkflowsChecked(checked);
    if (again.length === 0) return 0;
    const requested = await this.spawns.requestSpawns(again);
    this.logger.warn(`sweep requested ${requested} of ${again.length} pending decision(s) whose workflow was not running`);
    return requested;
  }

  /** A completed run under this row's workflow id that left the row pending: it was not this row's emission. */
  private async reportTaken(row: TaskSpawnLog, owner: string | undefined): Promise<void> {
    const error = workflowIdTaken(row, owner === row.id ? `${owner} (itself, yet the row is still pending)` : owner);
    const marked = await this.recovery.markStartFailed(row.id, error.message, deriveRowWorkflowId(row.workflow_id, row.id));
    if (marked) this.logger.error(`decision ${row.id}: ${error.message}`);
  }

  /**
   * Sends failed decisions again (by id, or every one created since): pending, then requested. A
   * row's last run may still be closing (recording the failure); reopening under it would be
   * failed again by it, so each waits for its run to close first.
   */
  async retryFailed(filter: { ids?: string[]; since?: Date }): Promise<RetryReport> {
    const failed = await this.recovery.findFailed(filter);
    const closed = await mapBounded(failed, DESCRIBE_CONCURRENCY, (row) => this.untilClosed(row.workflow_id));
    const ready = failed.filter((_, i) => closed[i].status === 'fulfilled' && closed[i].value);
    const reopened = await this.recovery.reopenFailed(ready.map((row) => row.id));
    // Those not requested now (Temporal down) are started by the sweep.
    const requested = this.temporal.connected ? await this.spawns.requestSpawns(reopened) : 0;
    return { reopened: reopened.length, requested, stillClosing: failed.length - ready.length };
  }

  /** true once the workflow is not running (or Temporal cannot tell now: the sweep checks later). */
  private async untilClosed(workflowId: string): Promise<boolean> {
    if (!this.temporal.connected) return true;
    const state = await describeSpawnWorkflow(this.temporal.client, workflowId);
    if (state.status !== 'RUNNING') return true;
    const result = this.temporal.client.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => true,
        () => true,
      );
    return timeBox(result, CLOSE_WAIT_MS, `workflow ${workflowId} to close`).catch(() => false);
  }
}
