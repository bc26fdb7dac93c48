// Schedules the service itself needs (the stranded-decision sweep), created once Temporal answers.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import type { ConfigType } from '@nestjs/config';
import { temporalConfig } from '../config/namespaces';
import { WORKFLOW } from './activity-contracts';
import { TemporalClientService } from './temporal-client.service';

export const SWEEP_SCHEDULE_ID = 'activity-core-system/sweep-pending-spawns';
export const PRUNE_SCHEDULE_ID = 'activity-core-system/prune-events';

@Injectable()
export class SystemSchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SystemSchedules');
  private ensuring?: Promise<unknown>;

  constructor(
    private readonly temporal: TemporalClientService,
    @Inject(temporalConfig.KEY) private readonly temporalSettings: ConfigType<typeof temporalConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.ensuring = this.temporal.whenConnected().then(() =>
      Promise.all([
        // A crash between a decision's commit and its workflow start is repaired within a minute or so.
        this.ensureSchedule(SWEEP_SCHEDULE_ID, WORKFLOW.sweep, { intervals: [{ every: '1 minute' }] }),
        // Stored events are kept EVENT_RETENTION_DAYS; pruned daily, off the hour.
        this.ensureSchedule(PRUNE_SCHEDULE_ID, WORKFLOW.pruneEvents, { cronExpressions: ['17 3 * * *'] }),
      ]).catch((error: Error) => this.logger.error(`could not create the system schedules: ${error.message}`)),
    );
  }

  /** Resolves once the start-up schedule creation has run. */
  settled(): Promise<unknown> {
    return this.ensuring ?? Promise.resolve();
  }

  private async ensureSchedule(scheduleId: string, workflowType: string, spec: ScheduleSpec): Promise<void> {
    try {
      await this.temporal.client.schedule.create({
        scheduleId,
        spec,
        action: { type: 'startWorkflow', workflowType, taskQueue: this.temporalSettings.taskQueue, workflowId: scheduleId },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      });
      this.logger.log(`created schedule ${scheduleId}`);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
