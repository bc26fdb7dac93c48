// Schedules the service itself needs (the stranded-decision sweep), created once Temporal answers.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WORKFLOW } from './activity-contracts';
import { TemporalClientService } from './temporal-client.service';

export const SWEEP_SCHEDULE_ID = 'activity-core-system/sweep-pending-spawns';

@Injectable()
export class SystemSchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SystemSchedules');

  constructor(
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.temporal.whenConnected().then(() =>
      this.ensureSweepSchedule().catch((error: Error) =>
        this.logger.error(`could not create the sweep schedule: ${error.message}`),
      ),
    );
  }

  async ensureSweepSchedule(): Promise<void> {
    try {
      await this.temporal.client.schedule.create({
        scheduleId: SWEEP_SCHEDULE_ID,
        spec: { intervals: [{ every: '1 minute' }] },
        action: {
          type: 'startWorkflow',
          workflowType: WORKFLOW.sweep,
          taskQueue: this.config.temporal.taskQueue,
          workflowId: SWEEP_SCHEDULE_ID,
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      });
      this.logger.log(`created schedule ${SWEEP_SCHEDULE_ID}`);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
