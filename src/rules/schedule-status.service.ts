// What Temporal knows of each schedule rule: its next ticks, its last one, and the longest gap
// between ticks (the "interval" a missed-tick alert compares with). Read with a short cache.
import { Injectable } from '@nestjs/common';
import { timeBox } from '../common/time-box';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { DefinitionsService } from './definitions.service';
import { ruleScheduleId } from './schedule-reconciler.service';

export interface ScheduleStatus {
  key: string;
  nextTicks: Date[];
  /** The last tick taken, else when the schedule was created: the time a missed tick counts from. */
  lastTickAt: Date | null;
  intervalSeconds: number | null;
  error?: string;
}

const CACHE_MS = 10_000;
const DESCRIBE_BUDGET_MS = 2_000;

/** The longest gap between consecutive upcoming ticks, in seconds (null with fewer than two). */
export function longestGapSeconds(ticks: Date[]): number | null {
  let longest: number | null = null;
  for (let i = 1; i < ticks.length; i++) {
    const gap = (ticks[i].getTime() - ticks[i - 1].getTime()) / 1000;
    longest = longest === null ? gap : Math.max(longest, gap);
  }
  return longest;
}

@Injectable()
export class ScheduleStatusService {
  private cached?: { at: number; statuses: Promise<ScheduleStatus[]> };
  /** Ticks run by this instance, newer than what the last describe said. */
  private readonly ranAt = new Map<string, Date>();

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly temporal: TemporalClientService,
  ) {}

  recordTick(key: string, scheduledTime: Date): void {
    const previous = this.ranAt.get(key);
    if (!previous || previous < scheduledTime) this.ranAt.set(key, scheduledTime);
  }

  async statuses(): Promise<ScheduleStatus[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) this.cached = { at: now, statuses: this.describeAll() };
    const statuses = await this.cached.statuses;
    return statuses.map((status) => {
      const ran = this.ranAt.get(status.key);
      return ran && (!status.lastTickAt || ran > status.lastTickAt) ? { ...status, lastTickAt: ran } : status;
    });
  }

  private describeAll(): Promise<ScheduleStatus[]> {
    return Promise.all(this.definitions.enabledSchedules().map((definition) => this.describe(definition.key)));
  }

  private async describe(key: string): Promise<ScheduleStatus> {
    if (!this.temporal.connected) return { key, nextTicks: [], lastTickAt: null, intervalSeconds: null, error: 'Temporal not connected' };
    try {
      const description = await timeBox(
        this.temporal.client.schedule.getHandle(ruleScheduleId(key)).describe(),
        DESCRIBE_BUDGET_MS,
        `schedule ${ruleScheduleId(key)}`,
      );
      const recent = description.info.recentActions.at(-1);
      const nextTicks = description.info.nextActionTimes;
      return {
        key,
        nextTicks,
        lastTickAt: recent?.scheduledAt ?? description.info.createdAt,
        intervalSeconds: longestGapSeconds(nextTicks),
      };
    } catch (error) {
      return { key, nextTicks: [], lastTickAt: null, intervalSeconds: null, error: (error as Error).message };
    }
  }
}
