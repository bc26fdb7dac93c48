// Emission timings an operator alerts on: how long a sink call takes, and how long a decision
// waits from being recorded (the event's arrival, or the tick) to its task being emitted.
import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

export type EmissionOutcome = 'emitted' | 'retry' | 'rejected';

@Injectable()
export class SpawnMetrics {
  readonly emissionDuration: Histogram<'sink' | 'outcome'>;
  readonly receivedToEmitted: Histogram<'sink'>;

  constructor(metrics: MetricsService) {
    this.emissionDuration = new Histogram({
      name: 'activity_core_emission_duration_seconds',
      help: 'Duration of one emission attempt through a sink (live: the issue-core call, gate included), by sink and outcome',
      labelNames: ['sink', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
    this.receivedToEmitted = new Histogram({
      name: 'activity_core_received_to_emitted_seconds',
      help: 'Time from a decision being recorded (its event received, or its tick run) to its task emitted, by sink',
      labelNames: ['sink'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
      registers: [metrics.registry],
    });
  }

  /** Records one attempt, timed from `startedAt` (process.hrtime.bigint()). */
  observeAttempt(sink: string, outcome: EmissionOutcome, startedAt: bigint): void {
    this.emissionDuration.observe({ sink, outcome }, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }

  observeEmitted(sink: string, recordedAt: Date, emittedAt: Date | null): void {
    const seconds = ((emittedAt ?? new Date()).getTime() - recordedAt.getTime()) / 1000;
    this.receivedToEmitted.observe({ sink }, Math.max(0, seconds));
  }
}
