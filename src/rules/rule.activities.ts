import { Injectable } from '@nestjs/common';
import { Activities, Activity } from 'nestjs-temporal';
import { ACTIVITY, ScheduleTickInput, ScheduleTickResult } from '../temporal/activity-contracts';
import { ScheduleTickService } from './schedule-tick.service';

@Injectable()
@Activities()
export class RuleActivities {
  constructor(private readonly ticks: ScheduleTickService) {}

  @Activity(ACTIVITY.evaluateScheduleTick)
  evaluateScheduleTick({ key, scheduledTime }: ScheduleTickInput): Promise<ScheduleTickResult> {
    return this.ticks.runTick(key, new Date(scheduledTime));
  }
}
