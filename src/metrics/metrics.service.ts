// Prometheus counters for what an operator watches: decisions, emissions, intake.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly decisions = new Counter({
    name: 'activity_core_decisions_total',
    help: 'Decisions recorded in task_spawn_log, by rule, initial status and mode (null dry-run, rest live)',
    labelNames: ['rule', 'status', 'mode'] as const,
    registers: [this.registry],
  });

  readonly emissions = new Counter({
    name: 'activity_core_emissions_total',
    help: 'Emission attempts through a sink, by sink and outcome',
    labelNames: ['sink', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly events = new Counter({
    name: 'activity_core_events_total',
    help: 'Events taken in, by transport and outcome (stored, duplicate, dead_letter)',
    labelNames: ['transport', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'activity_core_' });
  }
}
