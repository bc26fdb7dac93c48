import { Injectable } from '@nestjs/common';
import { Activities, Activity } from '../temporal/activity.decorators';
import { ACTIVITY, ScheduleTickInput, ScheduleTickResult } from '../temporal/activity-contracts';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { ruleScheduleId } from './schedule-reconciler.service';
import { ScheduleTickService } from './schedule-tick.service';

/** A tick is retried at least this long, however often its rule ticks. */
export const MIN_TICK_WINDOW_MS = 10 * 60_000;
/** ... and at most this long (a monthly rule's tick is retried for a month). */
export const MAX_TICK_WINDOW_MS = 31 * 86_400_000;
/** For a tick started by hand, or a schedule Temporal no longer describes. */
export const DEFAULT_TICK_WINDOW_MS = 60 * 60_000;

/** Until the next tick is due: a weekly rule keeps its week through a long outage. */
export function tickRetryWindow(scheduledTime: Date, nextTick: Date | undefined): number {
  if (!nextTick) return DEFAULT_TICK_WINDOW_MS;
  return Math.min(MAX_TICK_WINDOW_MS, Math.max(MIN_TICK_WINDOW_MS, nextTick.getTime() - scheduledTime.getTime()));
}

@Injectable()
@Activities()
export class RuleActivities {
  constructor(
    private readonly ticks: ScheduleTickService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** How long the tick's evaluation may be retried: until the schedule's next tick (Temporal knows it). */
  @Activity(ACTIVITY.scheduleTickWindow)
  async scheduleTickWindow({ key, scheduledTime }: ScheduleTickInput): Promise<number> {
    const scheduled = new Date(scheduledTime);
    try {
      const description = await this.temporal.client.schedule.getHandle(ruleScheduleId(key)).describe();
      return tickRetryWindow(
        scheduled,
        description.info.nextActionTimes.find((time) => time > scheduled),
      );
    } catch {
      return DEFAULT_TICK_WINDOW_MS;
    }
  }

  @Activity(ACTIVITY.evaluateScheduleTick)
  evaluateScheduleTick({ key, scheduledTime }: ScheduleTickInput): Promise<ScheduleTickResult> {
    return this.ticks.runTick(key, new Date(scheduledTime));
  }
}
