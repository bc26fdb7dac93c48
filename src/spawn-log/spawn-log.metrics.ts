// Backlog gauges, read from task_spawn_log at scrape time (so every replica reports the same
// numbers; alert on max()): pending decisions and the oldest one's age, held live decisions, failed ones.
import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { sharedPerScrape } from '../metrics/shared-per-scrape';
import { Backlog, SpawnLogStatsRepository } from './spawn-log-stats.repository';

@Injectable()
export class SpawnLogMetrics {
  private readonly logger = new Logger('SpawnLogMetrics');

  constructor(metrics: MetricsService, stats: SpawnLogStatsRepository) {
    const registers = [metrics.registry];
    // One query per scrape, shared by the four gauges.
    const read = sharedPerScrape(() =>
      stats.backlog().catch((error: Error) => {
        this.logger.warn(`backlog gauges not updated: ${error.message}`);
        return undefined;
      }),
    );
    const gauge = (name: string, help: string, value: (b: Backlog) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const backlog = await read();
          if (backlog) this.set(value(backlog));
        },
      });
    gauge('activity_core_pending_decisions', 'Decisions recorded and not yet emitted (status pending)', (b) => b.pending);
    gauge('activity_core_oldest_pending_decision_age_seconds', 'Age of the oldest pending decision, 0 when none is pending', (b) =>
      b.oldestPendingAt ? Math.max(0, (Date.now() - b.oldestPendingAt.getTime()) / 1000) : 0,
    );
    gauge(
      'activity_core_held_live_decisions',
      'Live (rest) decisions pending after a failed attempt: held while issue-core is unreachable, refuses the credentials, or failing',
      (b) => b.heldLive,
    );
    gauge('activity_core_failed_decisions', 'Decisions whose emission failed (status failed), waiting for an operator', (b) => b.failed);
  }
}
