// Per schedule rule: when it last ticked and the longest gap between its ticks, so an alert can
// say "a tick was missed" as `time() - last > interval + slack`.
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { sharedPerScrape } from '../metrics/shared-per-scrape';
import { ScheduleStatusService } from './schedule-status.service';

@Injectable()
export class ScheduleMetrics {
  constructor(metrics: MetricsService, schedules: ScheduleStatusService) {
    const registers = [metrics.registry];
    const read = sharedPerScrape(() => schedules.statuses());
    new Gauge({
      name: 'activity_core_schedule_last_tick_timestamp_seconds',
      help: 'Unix time of the last tick of each schedule rule (its scheduled time; the schedule creation before the first)',
      labelNames: ['rule'] as const,
      registers,
      async collect() {
        this.reset();
        for (const status of await read()) {
          if (status.lastTickAt) this.set({ rule: status.key }, status.lastTickAt.getTime() / 1000);
        }
      },
    });
    new Gauge({
      name: 'activity_core_schedule_interval_seconds',
      help: 'Longest gap between consecutive upcoming ticks of each schedule rule',
      labelNames: ['rule'] as const,
      registers,
      async collect() {
        this.reset();
        for (const status of await read()) {
          if (status.intervalSeconds !== null) this.set({ rule: status.key }, status.intervalSeconds);
        }
      },
    });
  }
}
