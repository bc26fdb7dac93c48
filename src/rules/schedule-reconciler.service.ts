// One Temporal Schedule per enabled schedule definition (id activity-core/<key>), kept in sync at
// start-up: created when missing, updated when the cron, time zone or task queue changed. Start-up
// never deletes: in a rolling deploy the schedule of a rule this instance lacks may be a newer
// instance's, so it is reported as stale and left to `activity-core schedules prune` (its ticks
// evaluate nothing on an instance without the rule). Each schedule is handled on its own: one that
// Temporal refuses is logged and shown on GET /definitions, and the others still go through.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { WORKFLOW } from '../temporal/activity-contracts';
import { TemporalClientService } from '../temporal/temporal-client.service';
import type { ActivityDefinition } from './definition.types';
import { DefinitionsService } from './definitions.service';

export const RULE_SCHEDULE_PREFIX = 'activity-core/';
export const ruleScheduleId = (key: string) => `${RULE_SCHEDULE_PREFIX}${key}`;

/** Written on each rule schedule; what reconciliation compares. */
export const scheduleNote = (cron: string, timezone: string) => `activity-core rule schedule: cron "${cron}" (${timezone})`;

export interface ScheduleFailure {
  schedule_id: string;
  error: string;
}

export interface ReconcileReport {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  /** Rule schedules with no enabled rule here: deleted only by a prune. */
  stale: string[];
  failed: ScheduleFailure[];
}

const emptyReport = (): ReconcileReport => ({ created: [], updated: [], deleted: [], unchanged: [], stale: [], failed: [] });

@Injectable()
export class ScheduleReconciler {
  private readonly logger = new Logger('ScheduleReconciler');
  private running?: Promise<unknown>;
  private last: ReconcileReport = emptyReport();

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly temporal: TemporalClientService,
    @Inject(temporalConfig.KEY) private readonly temporalSettings: ConfigType<typeof temporalConfig>,
  ) {}

  /** The service's start (RulesModule): reconciles, without pruning, once Temporal answers. */
  reconcileOnceConnected(): void {
    this.running = this.temporal
      .whenConnected()
      .then(() => this.reconcile().catch((error: Error) => this.logger.error(`schedule reconciliation failed: ${error.message}`)));
  }

  /** Resolves once the start-up reconciliation has run (tests wait on it). */
  settled(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  /** The last reconciliation: what Temporal refused, and the stale schedules left for a prune. */
  lastReport(): ReconcileReport {
    return this.last;
  }

  /** Creates and updates the rules' schedules; with `prune`, also deletes those of rules gone or disabled. */
  async reconcile(options: { prune?: boolean } = {}): Promise<ReconcileReport> {
    const client = this.temporal.client;
    const report = emptyReport();
    const desired = new Map(this.definitions.enabledSchedules().map((d) => [ruleScheduleId(d.key), d]));
    // The list comes from Temporal's visibility store and may lag a moment behind: it is only used
    // to find schedules no rule here wants.
    const existing = new Set<string>();
    for await (const summary of client.schedule.list()) {
      if (summary.scheduleId.startsWith(RULE_SCHEDULE_PREFIX)) existing.add(summary.scheduleId);
    }
    const each = async (scheduleId: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        const message = (error as Error).message;
        report.failed.push({ schedule_id: scheduleId, error: message });
        this.logger.error(`schedule ${scheduleId} not reconciled: ${message}`);
      }
    };
    for (const scheduleId of [...existing].sort()) {
      if (desired.has(scheduleId)) continue;
      // A rule whose file was refused at load is not gone: its schedule stays even on a prune.
      const refused = this.definitions.errorsFor(scheduleId.slice(RULE_SCHEDULE_PREFIX.length)).length > 0;
      if (!options.prune || refused) {
        report.stale.push(scheduleId);
        continue;
      }
      await each(scheduleId, () => this.delete(scheduleId, report));
    }
    for (const [scheduleId, definition] of desired) {
      await each(scheduleId, () => this.createOrUpdate(scheduleId, definition, report));
    }
    const changed = report.created.length + report.updated.length + report.deleted.length;
    if (changed > 0) {
      this.logger.log(`schedules: created [${report.created.join(',')}], updated [${report.updated.join(',')}], deleted [${report.deleted.join(',')}]`);
    }
    if (report.stale.length > 0) {
      this.logger.warn(
        `schedules of rules not enabled here, left in place: [${report.stale.join(',')}]; once every instance runs these definitions, remove them with: activity-core schedules prune`,
      );
    }
    this.last = report;
    return report;
  }

  private async delete(scheduleId: string, report: ReconcileReport): Promise<void> {
    await this.temporal.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch((error) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    report.deleted.push(scheduleId);
  }

  private async createOrUpdate(scheduleId: string, definition: ActivityDefinition, report: ReconcileReport): Promise<void> {
    const client = this.temporal.client;
    const options = this.scheduleOptions(scheduleId, definition);
    const handle = client.schedule.getHandle(scheduleId);
    // Asked by id, not taken from the list: a schedule made a moment ago may not be listed yet.
    let current = await handle.describe().catch((error) => {
      if (error instanceof ScheduleNotFoundError) return undefined;
      throw error;
    });
    if (!current) {
      try {
        await client.schedule.create(options);
        report.created.push(scheduleId);
        return;
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        current = await handle.describe(); // another replica made it in between
      }
    }
    const action = current.action as { taskQueue?: string };
    // The server keeps cron as calendars, and a memo cannot be updated: compare the note we wrote.
    const same = current.state.note === options.state?.note && action.taskQueue === this.temporalSettings.taskQueue;
    if (same) {
      report.unchanged.push(scheduleId);
      return;
    }
    await handle.update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      state: { ...previous.state, note: options.state?.note },
    }));
    report.updated.push(scheduleId);
  }

  private scheduleOptions(scheduleId: string, definition: ActivityDefinition): ScheduleOptions {
    if (definition.trigger.kind !== 'schedule') throw new Error(`${definition.key} is not a schedule rule`);
    return {
      scheduleId,
      spec: { cronExpressions: [definition.trigger.cron], timezone: definition.trigger.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW.scheduleTick,
        taskQueue: this.temporalSettings.taskQueue,
        workflowId: `tick/${definition.key}`,
        args: [{ key: definition.key }],
      },
      // A tick missed while the service was down is run when it returns (up to a day late).
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day' },
      state: { note: scheduleNote(definition.trigger.cron, definition.trigger.timezone) },
    };
  }
}
