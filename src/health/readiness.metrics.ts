// Readiness as gauges, evaluated at scrape time with the same time-boxed checks as /health/ready.
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { sharedPerScrape } from '../metrics/shared-per-scrape';
import { ReadinessChecks } from './readiness.checks';

@Injectable()
export class ReadinessMetrics {
  constructor(metrics: MetricsService, checks: ReadinessChecks) {
    const registers = [metrics.registry];
    const read = sharedPerScrape(async (): Promise<Record<string, boolean>> => {
      const results = await Promise.all(
        checks.list().map((check) =>
          Promise.resolve()
            .then(check)
            .then((result) => Object.entries(result).map(([key, state]) => [key, state.status === 'up'] as const))
            .catch(() => [] as Array<readonly [string, boolean]>),
        ),
      );
      return Object.fromEntries(results.flat());
    });
    const expected = () => checks.list().length;
    new Gauge({
      name: 'activity_core_ready',
      help: '1 when every readiness check passes (as /health/ready answers 200), else 0',
      registers,
      async collect() {
        const states = await read();
        const up = Object.values(states).filter(Boolean).length;
        this.set(up === expected() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'activity_core_readiness_check_up',
      help: 'Each readiness check: 1 up, 0 down (postgres, temporal, nats, issue-core)',
      labelNames: ['check'] as const,
      registers,
      async collect() {
        this.reset();
        for (const [check, up] of Object.entries(await read())) this.set({ check }, up ? 1 : 0);
      },
    });
  }
}
