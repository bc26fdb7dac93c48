// One Temporal Schedule per enabled schedule definition (id activity-core/<key>), kept in sync at
// start-up: created when missing, updated when the cron, time zone or task queue changed,
// deleted when the rule is gone or disabled.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WORKFLOW } from '../temporal/activity-contracts';
import { TemporalClientService } from '../temporal/temporal-client.service';
import type { ActivityDefinition } from './definition.types';
import { DefinitionsService } from './definitions.service';

export const RULE_SCHEDULE_PREFIX = 'activity-core/';
export const ruleScheduleId = (key: string) => `${RULE_SCHEDULE_PREFIX}${key}`;

/** Written on each rule schedule; what reconciliation compares. */
export const scheduleNote = (cron: string, timezone: string) => `activity-core rule schedule: cron "${cron}" (${timezone})`;

export interface ReconcileReport {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ScheduleReconciler');
  private running?: Promise<unknown>;

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.temporal.whenConnected().then(() =>
      this.reconcile().catch((error: Error) => this.logger.error(`schedule reconciliation failed: ${error.message}`)),
    );
  }

  /** Resolves once the start-up reconciliation has run (tests wait on it). */
  settled(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  async reconcile(): Promise<ReconcileReport> {
    const client = this.temporal.client;
    const report: ReconcileReport = { created: [], updated: [], deleted: [], unchanged: [] };
    const desired = new Map(this.definitions.enabledSchedules().map((d) => [ruleScheduleId(d.key), d]));
    const existing: string[] = [];
    for await (const summary of client.schedule.list()) {
      if (summary.scheduleId.startsWith(RULE_SCHEDULE_PREFIX)) existing.push(summary.scheduleId);
    }
    for (const scheduleId of existing) {
      if (desired.has(scheduleId)) continue;
      await client.schedule.getHandle(scheduleId).delete().catch((error) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
      report.deleted.push(scheduleId);
    }
    for (const [scheduleId, definition] of desired) {
      const options = this.scheduleOptions(scheduleId, definition);
      if (!existing.includes(scheduleId)) {
        try {
          await client.schedule.create(options);
          report.created.push(scheduleId);
        } catch (error) {
          if (!(error instanceof ScheduleAlreadyRunning)) throw error;
          report.unchanged.push(scheduleId); // another replica made it
        }
        continue;
      }
      const handle = client.schedule.getHandle(scheduleId);
      const current = await handle.describe();
      const action = current.action as { taskQueue?: string };
      // The server keeps cron as calendars, and a memo cannot be updated: compare the note we wrote.
      const same = current.state.note === options.state?.note && action.taskQueue === this.config.temporal.taskQueue;
      if (same) {
        report.unchanged.push(scheduleId);
        continue;
      }
      await handle.update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        state: { ...previous.state, note: options.state?.note },
      }));
      report.updated.push(scheduleId);
    }
    const changed = report.created.length + report.updated.length + report.deleted.length;
    if (changed > 0) {
      this.logger.log(`schedules: created [${report.created}], updated [${report.updated}], deleted [${report.deleted}]`);
    }
    return report;
  }

  private scheduleOptions(scheduleId: string, definition: ActivityDefinition): ScheduleOptions {
    if (definition.trigger.kind !== 'schedule') throw new Error(`${definition.key} is not a schedule rule`);
    return {
      scheduleId,
      spec: { cronExpressions: [definition.trigger.cron], timezone: definition.trigger.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW.scheduleTick,
        taskQueue: this.config.temporal.taskQueue,
        workflowId: `tick/${definition.key}`,
        args: [{ key: definition.key }],
      },
      // A tick missed while the service was down is run when it returns (up to a day late).
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day' },
      state: { note: scheduleNote(definition.trigger.cron, definition.trigger.timezone) },
    };
  }
}
